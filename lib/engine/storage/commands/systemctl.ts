/**
 * `systemctl` (systemd 249) on the NFS server, for its one unit a learner acts on:
 * `nfs-server.service` (alias `nfs-kernel-server`). Stopping it stops nfsd and mountd (mounts
 * are refused) and unexports everything, as the unit's ExecStopPost does; starting it
 * re-exports /etc/exports (ExecStartPre `exportfs -r`). `status`, `is-active`, `start`, `stop`,
 * `restart`.
 *
 * @example
 * systemctl stop nfs-server
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { currentNet } from "../../net";
import { systemdAgo, systemdTime } from "../../node/format";
import { nfsServer, type NfsServer } from "../server";

const UNIT = "nfs-server";
const unitOf = (word: string) => {
  const name = word.replace(/\.service$/, "");
  return name === "nfs-kernel-server" ? UNIT : name;
};

function serverHere(ctx: CommandContext): NfsServer | undefined {
  const net = currentNet(ctx);
  const server = net && nfsServer(net.network);
  return server && net.stack.host === server.name ? server : undefined;
}

function status(server: NfsServer, now: number): string {
  const since = `since ${systemdTime(server.nfsdSince)}; ${systemdAgo(now - server.nfsdSince)}`;
  const lines = [
    `${server.nfsd ? "●" : "○"} nfs-server.service - NFS server and services`,
    "     Loaded: loaded (/lib/systemd/system/nfs-server.service; enabled; vendor preset: enabled)",
    "    Drop-In: /run/systemd/generator/nfs-server.service.d",
    "             └─order-with-mounts.conf",
    `     Active: ${server.nfsd ? "active (exited)" : "inactive (dead)"} ${since}`,
  ];
  if (server.nfsd) {
    lines.push(
      "    Process: 812 ExecStartPre=/usr/sbin/exportfs -r (code=exited, status=0/SUCCESS)",
      "    Process: 813 ExecStart=/usr/sbin/rpc.nfsd (code=exited, status=0/SUCCESS)",
      "   Main PID: 813 (code=exited, status=0/SUCCESS)",
      "        CPU: 5ms",
    );
  }
  return lines.join("\n") + "\n";
}

export const systemctlCommand: Command = {
  name: "systemctl",
  summary: "Control the systemd system and service manager",
  usage: "systemctl [OPTIONS...] COMMAND ...",
  spec: { flags: [{ name: "quiet", short: "q", long: "quiet", help: "suppress output" }, { name: "no-pager", long: "no-pager", help: "do not pipe output into a pager" }] },
  run(args, ctx): CommandResult {
    const server = serverHere(ctx);
    const [verb, word] = args.operands;
    if (!server || !verb) return { stdout: "", stderr: "systemctl: name a verb and the unit, e.g. systemctl status nfs-server\n", exitCode: 1 };
    const unit = word === undefined ? undefined : unitOf(word);
    if (unit === undefined) return { stdout: "", stderr: "Too few arguments.\n", exitCode: 1 };
    if (unit !== UNIT) {
      if (verb === "status") return { stdout: "", stderr: `Unit ${unit}.service could not be found.\n`, exitCode: 4 };
      if (verb === "is-active") return { stdout: "inactive\n", stderr: "", exitCode: 3 };
      return { stdout: "", stderr: `Failed to ${verb} ${unit}.service: Unit ${unit}.service not found.\n`, exitCode: 5 };
    }
    const now = ctx.clock.now();
    switch (verb) {
      case "status":
        return { stdout: status(server, now), stderr: "", exitCode: server.nfsd ? 0 : 3 };
      case "is-active":
        return { stdout: args.has("quiet") ? "" : server.nfsd ? "active\n" : "inactive\n", stderr: "", exitCode: server.nfsd ? 0 : 3 };
      case "start":
      case "restart": {
        if (verb === "restart" || !server.nfsd) server.setNfsd(true, now);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      case "stop":
        if (server.nfsd) server.setNfsd(false, now);
        return { stdout: "", stderr: "", exitCode: 0 };
      default:
        return { stdout: "", stderr: `Unknown command verb ${verb}.\n`, exitCode: 1 };
    }
  },
};
