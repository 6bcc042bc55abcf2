/**
 * `free` (procps-ng 3.3.17): the node's 4 GiB, used by the system and by every process in its
 * table (containers included), with `-h`, `-m`, `-g`, `-k`, `-b`.
 *
 * @example
 * free -h
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { MEMORY_KIB } from "../machine";

/** Kernel, page tables and slab: what is used beyond the processes' resident sets. */
const KERNEL_KIB = 262_144;
const CACHE_KIB = 1_310_720;
const SHARED_KIB = 3_072;

/** procps's `scale_size` for -h: the first unit where "%.1f" or "%ld" fits in 4 characters. */
function human(kib: number): string {
  if (kib === 0) return "0B";
  const units = ["K", "M", "G", "T"];
  let value = kib;
  for (const unit of units) {
    const fixed = `${value.toFixed(1)}${unit}`;
    if (fixed.length <= 4) return `${fixed}i`;
    const whole = `${Math.floor(value)}${unit}`;
    if (whole.length <= 4) return `${whole}i`;
    value /= 1024;
  }
  return `${value.toFixed(1)}Pi`;
}

export function freeCommand(agent: NodeAgent): Command {
  return {
    name: "free",
    summary: "Display amount of free and used memory in the system",
    usage: "free [options]",
    spec: {
      flags: [
        { name: "human", short: "h", long: "human", help: "show human-readable output" },
        { name: "bytes", short: "b", long: "bytes", help: "show output in bytes" },
        { name: "kibi", short: "k", long: "kibi", help: "show output in kibibytes" },
        { name: "mebi", short: "m", long: "mebi", help: "show output in mebibytes" },
        { name: "gibi", short: "g", long: "gibi", help: "show output in gibibytes" },
      ],
    },
    run(args) {
      const used = KERNEL_KIB + agent.processes.list().reduce((n, p) => n + p.rss, 0);
      const free = Math.max(0, MEMORY_KIB - used - CACHE_KIB);
      const available = free + Math.floor(CACHE_KIB * 0.8);
      const fmt = (kib: number) => {
        if (args.has("human")) return human(kib);
        if (args.has("bytes")) return String(kib * 1024);
        if (args.has("mebi")) return String(Math.floor(kib / 1024));
        if (args.has("gibi")) return String(Math.floor(kib / 1024 / 1024));
        return String(kib);
      };
      const line = (label: string, values: number[]) => label.padEnd(8) + values.map((v) => fmt(v).padStart(12)).join("");
      const text = [
        " ".repeat(8) + ["total", "used", "free", "shared", "buff/cache", "available"].map((h) => h.padStart(12)).join(""),
        line("Mem:", [MEMORY_KIB, used, free, SHARED_KIB, CACHE_KIB, available]),
        line("Swap:", [0, 0, 0]),
      ];
      return { stdout: text.join("\n") + "\n", stderr: "", exitCode: 0 };
    },
  };
}
