/**
 * `uptime` (procps-ng 3.3.17): wall clock, time since the node booted (a reboot resets it),
 * one logged-in user, and load averages from the processes running on it.
 *
 * @example
 * uptime   #  09:00:03 up 18 min,  1 user,  load average: 0.21, 0.17, 0.11
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { clockTime } from "../format";

export function uptimeCommand(agent: NodeAgent): Command {
  return {
    name: "uptime",
    summary: "Tell how long the system has been running",
    usage: "uptime [options]",
    spec: {
      flags: [
        { name: "pretty", short: "p", long: "pretty", help: "show uptime in pretty format" },
        { name: "since", short: "s", long: "since", help: "system up since" },
      ],
    },
    run(args, ctx) {
      const now = ctx.clock.now();
      const up = Math.floor((now - agent.machine.bootTime) / 60_000);
      const days = Math.floor(up / 1440);
      const hours = Math.floor((up % 1440) / 60);
      const minutes = up % 60;
      if (args.has("since")) {
        const d = new Date(agent.machine.bootTime).toISOString();
        return { stdout: `${d.slice(0, 10)} ${d.slice(11, 19)}\n`, stderr: "", exitCode: 0 };
      }
      if (args.has("pretty")) {
        const parts = [days && `${days} day${days > 1 ? "s" : ""}`, hours && `${hours} hour${hours > 1 ? "s" : ""}`, `${minutes} minute${minutes === 1 ? "" : "s"}`].filter(Boolean);
        return { stdout: `up ${parts.join(", ")}\n`, stderr: "", exitCode: 0 };
      }
      // Load follows what runs: the daemons' and containers' average CPU use.
      const busy = agent.processes.list().reduce((n, p) => n + p.cpu, 0) / 100;
      const load = [busy * 1.1, busy, busy * 0.8].map((l) => l.toFixed(2));
      const since = (days ? `${days} day${days > 1 ? "s" : ""}, ` : "") + (hours ? `${String(hours).padStart(2)}:${String(minutes).padStart(2, "0")}, ` : `${minutes} min, `);
      return { stdout: ` ${clockTime(now)} up ${since} 1 user,  load average: ${load.join(", ")}\n`, stderr: "", exitCode: 0 };
    },
  };
}
