/**
 * `showmount` (nfs-common 2.6.1): asks a server's rpcbind (111) and rpc.mountd (20048), over
 * the packet walker, for its export list (`-e`) or the clients mountd has seen mount (the
 * default, `-a`). NFSv4 mounts never talk to mountd, so those lists stay empty for them, as on
 * a real server. Unreachable or stopped servers fail with the RPC library's words.
 *
 * @example
 * showmount -e nfs-server
 */
import type { Command, CommandResult } from "../../shell";
import { currentNet, resolveHost } from "../../net";
import { connectTcp, recordExchange } from "../../net/walker";
import { exporterBehind } from "../exporter";
import { MOUNTD_PORT, RPCBIND_PORT } from "../server";

const failed = (stderr: string): CommandResult => ({ stdout: "", stderr, exitCode: 1 });

export const showmountCommand: Command = {
  name: "showmount",
  summary: "show mount information for an NFS server",
  usage: "showmount [-adehv] [--all] [--directories] [--exports] [--no-headers] [--help] [--version] [host]",
  path: "/usr/sbin/showmount",
  spec: {
    flags: [
      { name: "all", short: "a", long: "all", help: "list both the client hostname or IP address and mounted directory" },
      { name: "directories", short: "d", long: "directories", help: "list only the directories mounted by some client" },
      { name: "exports", short: "e", long: "exports", help: "show the NFS server's export list" },
      { name: "noHeaders", long: "no-headers", help: "suppress the descriptive headings from the output" },
      { name: "version", short: "v", long: "version", help: "report the current version number of the program" },
    ],
  },
  run(args, ctx) {
    if (args.has("version")) return { stdout: "showmount for 2.6.1\n", stderr: "", exitCode: 0 };
    const host = args.operands[0] ?? "localhost";
    const net = currentNet(ctx);
    const ip = resolveHost(ctx, host === "localhost" ? "127.0.0.1" : host);
    if (ip === undefined) return failed("clnt_create: RPC: Unknown host\n");
    if (!net) return failed("clnt_create: RPC: Remote system error - Network is unreachable\n");
    const now = ctx.clock.now();
    const rpcbind = connectTcp(net.network, { from: net.stack, dst: ip, dport: RPCBIND_PORT, now, request: 100, response: 28 });
    recordExchange(net.network, rpcbind, { host, port: RPCBIND_PORT });
    const o = rpcbind.outcome;
    if (o.kind === "refused") return failed("clnt_create: RPC: Port mapper failure - Unable to receive: errno 111 (Connection refused)\n");
    if (o.kind === "error") return failed("clnt_create: RPC: Remote system error - No route to host\n");
    if (o.kind !== "connected") return failed("clnt_create: RPC: Timed out\n");
    const mountd = connectTcp(net.network, { from: net.stack, dst: ip, dport: MOUNTD_PORT, now, request: 40, response: 200 });
    if (mountd.outcome.kind === "refused") return failed("clnt_create: RPC: Program not registered\n");
    if (mountd.outcome.kind !== "connected") return failed("rpc mount export: RPC: Unable to receive; errno = Connection timed out\n");
    const server = exporterBehind(net.network, mountd.server!);
    if (!server) return failed("clnt_create: RPC: Program not registered\n");
    const headers = !args.has("noHeaders");
    if (!args.has("exports")) {
      const what = args.has("all") ? "All mount points" : args.has("directories") ? "Directories" : "Hosts";
      return { stdout: headers ? `${what} on ${host}:\n` : "", stderr: "", exitCode: 0 };
    }
    const width = Math.max(0, ...server.table.map((e) => e.path.length));
    const lines = server.table.map((e) => `${e.path.padEnd(width)} ${e.clients.map((c) => c.spec).join(",")}\n`);
    return { stdout: (headers ? `Export list for ${host}:\n` : "") + lines.join(""), stderr: "", exitCode: 0 };
  },
};
