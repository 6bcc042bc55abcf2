/**
 * `ss` (iproute2 5.15): the listening sockets of the shell's namespace (see sockets.ts), laid
 * out as ss lays its columns out (widths from the widest cell, addresses right-aligned up to
 * their colon, the process column with its leading space).
 *
 * @example
 * ss -tlnp
 * // State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
 * // LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:(("nginx",pid=2345,fd=6),("nginx",pid=2301,fd=6))
 */
import type { Command } from "../../shell";
import { backlog, FD, listed, parseFlags, SERVICES } from "./sockets";

/** Columns laid out as ss lays them: widths from the widest cell, addresses right-aligned up to their colon. */
function ssTable(rows: string[][], align: ("l" | "r")[], seps: string[]): string {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (align[i] === "r" ? cell.padStart(widths[i]) : cell.padEnd(widths[i])) + seps[i]).join("")).join("\n") + "\n";
}

export const ssCommand: Command = {
  name: "ss",
  summary: "another utility to investigate sockets",
  usage: "ss [ OPTIONS ]",
  path: "/usr/bin/ss",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    if (args.argv.includes("-V") || args.argv.includes("--version")) return { stdout: "ss utility, iproute2-5.15.0\n", stderr: "", exitCode: 0 };
    const sel = parseFlags(args.argv, "ss");
    if ("error" in sel) return sel.error;
    const sockets = listed(ctx, sel);
    if (!sockets) return { stdout: "", stderr: "Cannot open netlink socket: Operation not permitted\n", exitCode: 1 };
    const both = sel.tcp && sel.udp;
    const head = [...(both ? ["Netid"] : []), "State", "Recv-Q", "Send-Q", "Local Address:", "Port", "Peer Address:", "Port", "Process"];
    const rows = [head];
    for (const s of sockets) {
      const wildcard = s.address === "::" || s.address === "";
      const bound = s.device ? `${s.address}%${s.device}` : s.address;
      const local = wildcard ? "*:" : s.address.includes(":") ? `[${bound}]:` : `${bound}:`;
      const port = sel.numeric ? String(s.port) : (SERVICES[s.port] ?? String(s.port));
      const users = sel.processes ? ` users:(${[...s.holders].sort((a, b) => b.pid - a.pid).map((h) => `("${h.comm}",pid=${h.pid},fd=${FD[`${h.comm}/${s.protocol}`] ?? FD[h.comm] ?? 3})`).join(",")})` : "";
      const state = s.protocol === "TCP" ? "LISTEN" : "UNCONN";
      rows.push([...(both ? [s.protocol === "TCP" ? "tcp" : "udp"] : []), state, "0", s.protocol === "TCP" ? String(backlog(s)) : "0", local, port, wildcard ? "*:" : "0.0.0.0:", "*", users]);
    }
    const align: ("l" | "r")[] = [...(both ? ["l" as const] : []), "l", "l", "l", "r", "l", "r", "l", "l"];
    const seps = [...(both ? [" "] : []), " ", " ", " ", "", " ", "", "", ""];
    return { stdout: ssTable(rows, align, seps), stderr: "", exitCode: 0 };
  },
};
