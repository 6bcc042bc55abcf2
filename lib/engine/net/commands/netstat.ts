/**
 * `netstat` (net-tools 2.10 on the nodes; busybox's applet in busybox images): the listening
 * sockets of the shell's namespace (see sockets.ts) in netstat's fixed columns.
 *
 * @example
 * netstat -tlnp
 * // tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      2301/nginx
 */
import type { Command } from "../../shell";
import { listed, parseFlags, SERVICES } from "./sockets";
import { userland } from "./userland";

export const netstatCommand: Command = {
  name: "netstat",
  summary: "print network connections",
  usage: "netstat [-tulnp]",
  path: "/bin/netstat",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const sel = parseFlags(args.argv, "netstat");
    if ("error" in sel) return sel.error;
    const sockets = listed(ctx, sel);
    if (!sockets) return { stdout: "", stderr: "netstat: socket: Operation not permitted\n", exitCode: 1 };
    const busybox = userland(ctx) === "busybox";
    let out = `Active Internet connections ${sel.listening ? "(only servers)" : "(w/o servers)"}\n`;
    out += `Proto Recv-Q Send-Q Local Address           Foreign Address         State      ${sel.processes ? " PID/Program name    " : ""}\n`;
    for (const s of sockets) {
      const v6 = s.address === "::";
      const proto = (s.protocol === "TCP" ? "tcp" : "udp") + (v6 ? "6" : "");
      const local = `${v6 ? ":::" : `${s.address || "0.0.0.0"}:`}${sel.numeric || busybox ? s.port : (SERVICES[s.port] ?? s.port)}`;
      const peer = v6 ? ":::*" : "0.0.0.0:*";
      const holder = s.holders[0];
      const program = sel.processes ? ` ${(holder ? `${holder.pid}/${holder.comm}` : "-").padEnd(20)}` : "";
      out += `${proto.padEnd(5)} ${"0".padStart(6)} ${"0".padStart(6)} ${local.padEnd(23)} ${peer.padEnd(23)} ${(s.protocol === "TCP" ? "LISTEN" : "").padEnd(11)}${program}\n`;
    }
    return { stdout: out, stderr: "", exitCode: 0 };
  },
};
