/**
 * `df`: coreutils 8.32 on Ubuntu machines (columns sized to their widest cell, `-h` in powers
 * of 1024 rounded up, `-T` adds the type), busybox 1.36's applet in busybox and Alpine images
 * (fixed 20-column device names, a long one on its own line). With files as operands it shows
 * the file system each is on, so `df -h /data` in a pod shows the NFS export behind /data.
 * Pseudo file systems (sizes of 0) are left out, as df does without `-a`.
 *
 * @example
 * df -hT /mnt
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { userland } from "../../net";
import { mountOf, mountTable, type MountRow } from "./mounts";

/** coreutils' human_readable with -h: powers of 1024, rounded up, one decimal below 10. */
function gnuHuman(kib: number): string {
  if (kib === 0) return "0";
  let value = kib * 1024;
  const units = ["", "K", "M", "G", "T", "P"];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return String(Math.ceil(value));
  if (value < 10) {
    const tenth = Math.ceil(value * 10 - 1e-9) / 10;
    if (tenth < 10) return `${tenth.toFixed(1)}${units[unit]}`;
    value = tenth;
  }
  const whole = Math.ceil(value - 1e-9);
  return whole >= 1024 ? `1.0${units[unit + 1]}` : `${whole}${units[unit]}`;
}

/** busybox's make_human_readable_str: one decimal, rounded to nearest, for every unit from K up. */
function busyboxHuman(kib: number): string {
  if (kib === 0) return "0";
  let value = kib;
  const units = ["K", "M", "G", "T", "P"];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)}${units[unit]}`;
}

const percent = (m: MountRow) => {
  const denominator = m.usage.used + m.usage.avail;
  return denominator === 0 ? "-" : `${Math.ceil((m.usage.used * 100) / denominator)}%`;
};

function gnu(rows: readonly MountRow[], human: boolean, withType: boolean): string {
  const num = (kib: number) => (human ? gnuHuman(kib) : String(kib));
  const header = ["Filesystem", ...(withType ? ["Type"] : []), human ? "Size" : "1K-blocks", "Used", human ? "Avail" : "Available", "Use%", "Mounted on"];
  const left = [true, ...(withType ? [true] : []), false, false, false, false, true];
  const minimum = [14, ...(withType ? [4] : []), 5, 5, 5, 4, 0];
  const cells = [header, ...rows.map((m) => [m.device, ...(withType ? [m.type] : []), num(m.usage.total), num(m.usage.used), num(m.usage.avail), percent(m), m.target])];
  const widths = header.map((_, i) => Math.max(minimum[i], ...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((cell, i) => (i === c.length - 1 ? cell : left[i] ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" ") + "\n").join("");
}

function busybox(rows: readonly MountRow[], human: boolean): string {
  const num = (kib: number) => (human ? busyboxHuman(kib) : String(kib));
  let out = `${"Filesystem".padEnd(20)} ${(human ? "Size" : "1K-blocks").padStart(9)} ${"Used".padStart(9)} ${"Available".padStart(9)} Use% Mounted on\n`;
  for (const m of rows) {
    const device = m.device.length > 20 ? `${m.device}\n${"".padEnd(20)}` : m.device.padEnd(20);
    out += `${device} ${num(m.usage.total).padStart(9)} ${num(m.usage.used).padStart(9)} ${num(m.usage.avail).padStart(9)} ${percent(m).padStart(4)} ${m.target}\n`;
  }
  return out;
}

export const dfCommand: Command = {
  name: "df",
  summary: "report file system disk space usage",
  usage: "df [OPTION]... [FILE]...",
  path: "/usr/bin/df",
  spec: {
    flags: [
      { name: "human", short: "h", long: "human-readable", help: "print sizes in powers of 1024 (e.g., 1023M)" },
      { name: "type", short: "T", long: "print-type", help: "print file system type" },
      { name: "types", short: "t", long: "type", value: "required", valueName: "TYPE", help: "limit listing to file systems of type TYPE" },
    ],
  },
  run(args, ctx: CommandContext): CommandResult {
    const table = mountTable(ctx);
    let rows: MountRow[] = table.filter((m) => m.usage.total > 0);
    let stderr = "";
    if (args.operands.length) {
      rows = [];
      for (const operand of args.operands) {
        const path = ctx.resolve(operand);
        if (!ctx.fs.exists(path)) {
          stderr += `df: ${operand}: No such file or directory\n`;
          continue;
        }
        const m = mountOf(table, path);
        if (m) rows.push(m);
      }
    }
    const type = args.value("types");
    if (type) rows = rows.filter((m) => m.type === type);
    if (rows.length === 0 && !stderr) return { stdout: "", stderr: "df: no file systems processed\n", exitCode: 1 };
    const stdout = rows.length === 0 ? "" : userland(ctx) === "busybox" ? busybox(rows, args.has("human")) : gnu(rows, args.has("human"), args.has("type"));
    return { stdout, stderr, exitCode: stderr ? 1 : 0 };
  },
};
