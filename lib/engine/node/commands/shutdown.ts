/**
 * `shutdown [-h|-r|-c] [TIME]`: `now` acts at once; `+N` or no time schedules it (systemd's
 * "Shutdown scheduled for …" notice) on the virtual clock; `-c` cancels.
 *
 * @example
 * shutdown -h now
 * shutdown -r +5
 */
import type { Command } from "../../shell";
import type { Cluster } from "../../cluster/cluster";
import type { NodeAgent } from "../agent";
import { systemdTime } from "../format";
import { goDown } from "./power";

/** The scheduled shutdown (module-level: a timer is data, see ../../cluster/timers.ts). */
function goDownLater(agent: NodeAgent, how: "reboot" | "poweroff"): void {
  if (how === "reboot") agent.reboot();
  else agent.powerOff();
}

export function shutdownCommand(agent: NodeAgent, cluster: Cluster): Command {
  const key = `node/${agent.name}/shutdown`;
  return {
    name: "shutdown",
    summary: "halt, power off or reboot the machine",
    usage: "shutdown [OPTIONS...] [TIME] [WALL...]",
    path: "/usr/sbin/shutdown",
    spec: {
      flags: [
        { name: "halt", short: "H", long: "halt", help: "halt the machine" },
        { name: "poweroff", short: "P", long: "poweroff", help: "power-off the machine (the default)" },
        { name: "h", short: "h", help: "equivalent to --poweroff" },
        { name: "reboot", short: "r", long: "reboot", help: "reboot the machine" },
        { name: "cancel", short: "c", help: "cancel a pending shutdown" },
        { name: "no-wall", long: "no-wall", help: "don't send wall message" },
      ],
    },
    run(args, ctx) {
      if (args.has("cancel")) {
        cluster.timers.cancel(key);
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      const how = args.has("reboot") ? "reboot" : "poweroff";
      const when = args.operands[0] ?? "+1";
      if (when === "now" || when === "+0") return goDown(agent, ctx, how);
      const minutes = /^\+(\d+)$/.exec(when);
      if (!minutes) return { stdout: "", stderr: `Failed to parse time specification: ${when}\n`, exitCode: 1 };
      const at = ctx.clock.now() + Number(minutes[1]) * 60_000;
      cluster.timers.at(at, key, goDownLater, agent, how);
      const verb = how === "reboot" ? "Reboot" : "Shutdown";
      return { stdout: "", stderr: `${verb} scheduled for ${systemdTime(at)}, use 'shutdown -c' to cancel.\n`, exitCode: 0 };
    },
  };
}
