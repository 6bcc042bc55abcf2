/**
 * `exportfs` (nfs-kernel-server 2.6.1) on the NFS server, or nfs-utils' in a server pod: lists the kernel's export table
 * (`-v` with every effective option), reloads it from /etc/exports (`-r`, `-a`: until then an
 * edit to the file changes nothing), unexports (`-u client:/path`, `-ua`), exports one
 * directory by hand (`-o OPTS client:/path`), and prints the table in exports(5) form (`-s`).
 *
 * @example
 * exportfs -rav
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { currentNet } from "../../net";
import { formatExportTable, optionText, parseExports, type ExportEntry } from "../exports";
import { exporterIn, type NfsExporter } from "../exporter";
import { NFS_PORT, nfsServer } from "../server";

/** The server this location is: the nfs-server machine (nfsd running or not), or a server pod's namespace. */
function serverHere(ctx: CommandContext): NfsExporter | undefined {
  const net = currentNet(ctx);
  if (!net) return undefined;
  const machine = nfsServer(net.network);
  if (machine && net.stack.host === machine.name) return machine;
  return exporterIn(net.network, net.stack.host, net.stack.inode, NFS_PORT);
}

const each = (table: readonly ExportEntry[]) => table.flatMap((e) => e.clients.map((c) => ({ path: e.path, client: c })));

/** `client:/path` as exportfs takes it. */
function splitTarget(word: string): { client: string; path: string } | undefined {
  const colon = word.indexOf(":/");
  return colon < 0 ? undefined : { client: word.slice(0, colon) || "*", path: word.slice(colon + 1) };
}

export const exportfsCommand: Command = {
  name: "exportfs",
  summary: "maintain table of exported NFS file systems",
  usage: "exportfs [-adfhioruvs] [host:/path]",
  path: "/usr/sbin/exportfs",
  spec: {
    flags: [
      { name: "all", short: "a", help: "export or unexport all directories" },
      { name: "options", short: "o", value: "required", valueName: "options,...", help: "specify a list of export options" },
      { name: "reexport", short: "r", help: "reexport all directories, synchronizing /var/lib/nfs/etab with /etc/exports" },
      { name: "unexport", short: "u", help: "unexport one or more directories" },
      { name: "verbose", short: "v", help: "be verbose" },
      { name: "show", short: "s", help: "display the current export list suitable for /etc/exports" },
    ],
  },
  run(args, ctx): CommandResult {
    const server = serverHere(ctx);
    if (!server) return { stdout: "", stderr: "exportfs: could not open /proc/fs/nfsd/exports for locking: errno 2 (No such file or directory)\n", exitCode: 1 };
    const verbose = args.has("verbose");
    let stdout = "";
    let stderr = "";
    if (args.has("unexport")) {
      const targets = args.has("all") ? each(server.table).map((x) => ({ client: x.client.spec, path: x.path })) : args.operands.map(splitTarget);
      for (const [i, t] of targets.entries()) {
        if (!t) return { stdout, stderr: `exportfs: Invalid unexport syntax: ${args.operands[i]}\n`, exitCode: 1 };
        const entry = server.table.find((e) => e.path === t.path && e.clients.some((c) => c.spec === t.client));
        if (!entry) {
          stderr += `exportfs: Could not find '${t.client}:${t.path}' to unexport.\n`;
          continue;
        }
        entry.clients = entry.clients.filter((c) => c.spec !== t.client);
        if (verbose) stdout += `unexporting ${t.client}:${t.path}\n`;
      }
      server.table = server.table.filter((e) => e.clients.length > 0);
      return { stdout, stderr, exitCode: 0 };
    }
    if (args.has("reexport") || args.has("all")) {
      const errors = server.reexport();
      if (verbose) stdout += each(server.table).map((x) => `exporting ${x.client.spec}:${x.path}\n`).join("");
      return { stdout, stderr: errors.map((e) => `${e}\n`).join(""), exitCode: errors.length ? 1 : 0 };
    }
    if (args.operands.length) {
      for (const word of args.operands) {
        const t = splitTarget(word);
        if (!t) return { stdout, stderr: `exportfs: Invalid export syntax: ${word}\n`, exitCode: 1 };
        if (!server.fs.isDirectory(t.path)) return { stdout, stderr: `exportfs: Failed to stat ${t.path}: No such file or directory\n`, exitCode: 1 };
        const parsed = parseExports(`${t.path} ${t.client === "*" ? "" : t.client}(${args.value("options") ?? ""})\n`, "<command line>");
        if (parsed.errors.length) return { stdout, stderr: parsed.errors.map((e) => `${e}\n`).join(""), exitCode: 1 };
        const added = parsed.exports[0].clients[0];
        const entry = server.table.find((e) => e.path === t.path);
        if (entry) entry.clients = [...entry.clients.filter((c) => c.spec !== added.spec), added];
        else server.table.push({ path: t.path, clients: [added] });
        if (verbose) stdout += `exporting ${t.client}:${t.path}\n`;
      }
      return { stdout, stderr, exitCode: 0 };
    }
    if (args.has("show")) return { stdout: each(server.table).map((x) => `${x.path}  ${x.client.spec}(${optionText(x.client.options)})\n`).join(""), stderr: "", exitCode: 0 };
    return { stdout: formatExportTable(server.table, verbose), stderr: "", exitCode: 0 };
  },
};
