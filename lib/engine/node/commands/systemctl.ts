/**
 * `systemctl` (systemd 249, Ubuntu 22.04) for the node's units: `status` with the unit's
 * Loaded/Drop-In/Active/Main PID/Tasks/Memory/CPU/CGroup lines and its last journal entries,
 * `start`, `stop`, `restart`, `is-active`, `is-enabled`, `daemon-reload`. Stopping the kubelet
 * stops its heartbeats (the node goes NotReady), its containers keep running.
 *
 * @example
 * systemctl stop kubelet && systemctl is-active kubelet   # "inactive", exit 3
 */
import type { Command, CommandResult } from "../../shell";
import type { NodeAgent } from "../agent";
import { systemdAgo, systemdTime } from "../format";
import { journalLine } from "./journalctl";

type Unit = "kubelet" | "containerd";

const UNITS: Record<Unit, { description: string; dropIn?: string; docs: string; tasks: string; exec: string }> = {
  kubelet: {
    description: "kubelet: The Kubernetes Node Agent",
    dropIn: "10-kubeadm.conf",
    docs: "https://kubernetes.io/docs/",
    tasks: " (limit: 4612)",
    exec: "/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS",
  },
  containerd: { description: "containerd container runtime", docs: "https://containerd.io", tasks: "", exec: "/usr/bin/containerd" },
};

const unitName = (word: string) => word.replace(/\.service$/, "");
const isUnit = (name: string): name is Unit => name in UNITS;

/** systemd's `format_timespan` for CPU time: `5.123s`, `1min 2.345s`. */
function cpuTime(ms: number): string {
  const min = Math.floor(ms / 60_000);
  const rest = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, "");
  return min > 0 ? `${min}min ${rest}s` : `${rest}s`;
}

function memory(kib: number): string {
  return kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(1)}G` : `${(kib / 1024).toFixed(1)}M`;
}

function status(agent: NodeAgent, unit: Unit, now: number, columns: number | undefined): string {
  const spec = UNITS[unit];
  const active = agent.host.unit(unit) === "active";
  const since = agent.unitSince.get(unit) ?? now;
  const pid = agent.pids.get(unit) ?? 0;
  const main = agent.processes.get(pid);
  const members = active ? agent.processes.list().filter((p) => p.pid === pid || (unit === "containerd" && p.args.startsWith("/usr/bin/containerd-shim-runc-v2"))) : [];
  const started = agent.unitStarted.get(unit) ?? since;
  const cpuMs = Math.round(((main?.cpu ?? (unit === "kubelet" ? 1.4 : 0.8)) / 100) * ((active ? now : since) - started));
  const lines = [
    `${active ? "●" : "○"} ${unit}.service - ${spec.description}`,
    `     Loaded: loaded (/lib/systemd/system/${unit}.service; enabled; vendor preset: enabled)`,
  ];
  if (spec.dropIn) lines.push(`    Drop-In: /usr/lib/systemd/system/${unit}.service.d`, `             └─${spec.dropIn}`);
  lines.push(`     Active: ${active ? "active (running)" : "inactive (dead)"} since ${systemdTime(since)}; ${systemdAgo(now - since)}`);
  lines.push(`       Docs: ${spec.docs}`);
  if (active) {
    const width = String(Math.max(...members.map((p) => p.pid))).length;
    lines.push(`   Main PID: ${pid} (${unit})`);
    lines.push(`      Tasks: ${unit === "kubelet" ? 13 : 10 + members.length * 11}${spec.tasks}`);
    lines.push(`     Memory: ${memory(members.reduce((n, p) => n + p.rss, 0))}`);
    lines.push(`        CPU: ${cpuTime(cpuMs)}`);
    lines.push(`     CGroup: /system.slice/${unit}.service`);
    members.forEach((p, i) => lines.push(`             ${i === members.length - 1 ? "└─" : "├─"}${members.length > 1 ? String(p.pid).padStart(width) : p.pid} ${p.args}`));
  } else {
    lines.push(`    Process: ${pid} ExecStart=${spec.exec} (code=exited, status=0/SUCCESS)`);
    lines.push(`   Main PID: ${pid} (code=exited, status=0/SUCCESS)`);
    lines.push(`        CPU: ${cpuTime(cpuMs)}`);
  }
  const journal = agent.journal.forUnit(unit).slice(-10).map((e) => journalLine(agent.name, e));
  if (journal.length > 0) lines.push("", ...journal);
  // On a terminal systemctl cuts long lines to the width with an ellipsis.
  return lines.map((l) => (columns && l.length > columns ? l.slice(0, columns - 1) + "…" : l)).join("\n") + "\n";
}

export function systemctlCommand(agent: NodeAgent): Command {
  return {
    name: "systemctl",
    summary: "Control the systemd system and service manager",
    usage: "systemctl [OPTIONS...] COMMAND ...",
    spec: {
      flags: [
        { name: "no-pager", long: "no-pager", help: "do not pipe output into a pager" },
        { name: "full", short: "l", long: "full", help: "don't ellipsize unit names on output" },
        { name: "quiet", short: "q", long: "quiet", help: "suppress output" },
      ],
    },
    run(args, ctx): CommandResult {
      const [verb, ...names] = args.operands;
      if (!verb) return { stdout: "", stderr: "systemctl: listing units is not simulated here; name a unit, e.g. systemctl status kubelet\n", exitCode: 1 };
      const units = names.map(unitName);
      const quiet = args.has("quiet");
      const now = ctx.clock.now();
      switch (verb) {
        case "status": {
          if (units.length === 0) return { stdout: "", stderr: "systemctl: showing the whole system is not simulated here; name a unit\n", exitCode: 1 };
          const unknown = units.find((u) => !isUnit(u));
          if (unknown) return { stdout: "", stderr: `Unit ${unknown}.service could not be found.\n`, exitCode: 4 };
          const columns = ctx.terminal.isTerminal && !args.has("full") ? ctx.terminal.columns : undefined;
          const text = units.map((u) => status(agent, u as Unit, now, columns)).join("\n");
          return { stdout: text, stderr: "", exitCode: units.every((u) => agent.host.unit(u) === "active") ? 0 : 3 };
        }
        case "is-active": {
          const states = units.map((u) => (isUnit(u) ? (agent.host.unit(u) === "active" ? "active" : "inactive") : "inactive"));
          return { stdout: quiet ? "" : states.map((s) => s + "\n").join(""), stderr: "", exitCode: states.every((s) => s === "active") ? 0 : 3 };
        }
        case "is-enabled": {
          const unknown = units.find((u) => !isUnit(u));
          if (unknown) return { stdout: "", stderr: `Failed to get unit file state for ${unknown}.service: No such file or directory\n`, exitCode: 1 };
          return { stdout: quiet ? "" : units.map(() => "enabled\n").join(""), stderr: "", exitCode: 0 };
        }
        case "daemon-reload":
          return { stdout: "", stderr: "", exitCode: 0 };
        case "start":
        case "stop":
        case "restart": {
          if (units.length === 0) return { stdout: "", stderr: "Too few arguments.\n", exitCode: 1 };
          const unknown = units.find((u) => !isUnit(u));
          if (unknown) return { stdout: "", stderr: `Failed to ${verb} ${unknown}.service: Unit ${unknown}.service not found.\n`, exitCode: 5 };
          for (const u of units as Unit[]) {
            if (verb === "restart") agent.restartUnit(u);
            else agent.setUnit(u, verb === "start" ? "active" : "inactive");
          }
          return { stdout: "", stderr: "", exitCode: 0 };
        }
        default:
          return { stdout: "", stderr: `Unknown command verb ${verb}.\n`, exitCode: 1 };
      }
    },
    complete: (words) => (words.length === 0 ? ["daemon-reload", "is-active", "is-enabled", "restart", "start", "status", "stop"] : ["containerd", "kubelet"]),
  };
}
