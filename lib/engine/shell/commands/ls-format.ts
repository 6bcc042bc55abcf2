import type { FsStat } from "../fs";
import { MONTHS } from "../text/time";

/** An entry as ls shows it: the name it prints and what stat said. */
export interface Listed {
  name: string;
  stat: FsStat;
  /** For symlinks in long format: `name -> target`. */
  target?: string;
}

const HALF_YEAR_MS = 15_778_476_000;

/** `drwxr-xr-x`, with setuid/setgid/sticky letters. */
function modeString(stat: FsStat): string {
  const type = stat.kind === "dir" ? "d" : stat.kind === "symlink" ? "l" : "-";
  const m = stat.mode;
  const triplet = (shift: number, special: boolean, letter: string) => {
    const r = m & (4 << shift) ? "r" : "-";
    const w = m & (2 << shift) ? "w" : "-";
    const exec = (m & (1 << shift)) !== 0;
    const x = special ? (exec ? letter : letter.toUpperCase()) : exec ? "x" : "-";
    return r + w + x;
  };
  return type + triplet(6, (m & 0o4000) !== 0, "s") + triplet(3, (m & 0o2000) !== 0, "s") + triplet(0, (m & 0o1000) !== 0, "t");
}

/** GNU's `-h`: powers of 1024, one decimal below 10, always rounded up (4096 → 4.0K). */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  const units = ["K", "M", "G", "T", "P"];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  if (value < 10) {
    const tenths = Math.ceil(value * 10 - 1e-9) / 10;
    if (tenths < 10) return tenths.toFixed(1) + units[unit];
  }
  return String(Math.ceil(value - 1e-9)) + units[unit];
}

/** `Jan 12 09:00` within half a year of now, `Jan 12  2025` otherwise. */
function listTime(mtime: number, now: number): string {
  const d = new Date(mtime);
  const day = String(d.getUTCDate()).padStart(2, " ");
  const recent = now - mtime < HALF_YEAR_MS && mtime <= now + 60_000;
  const tail = recent
    ? `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`
    : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

/** Allocated 1K blocks, as `total` counts them (4K file-system blocks). */
export function blocks(stat: FsStat): number {
  if (stat.kind === "symlink") return 0;
  return Math.ceil(stat.size / 4096) * 4;
}

/** `-l` lines with GNU's column alignment. */
export function longLines(entries: readonly Listed[], now: number, human: boolean): string[] {
  const size = (e: Listed) => (human ? humanSize(e.stat.size) : String(e.stat.size));
  const width = (f: (e: Listed) => string) => Math.max(0, ...entries.map((e) => f(e).length));
  const links = width((e) => String(e.stat.nlink));
  const owner = width((e) => e.stat.owner);
  const group = width((e) => e.stat.group);
  const sizes = width(size);
  return entries.map((e) => {
    const name = e.target === undefined ? e.name : `${e.name} -> ${e.target}`;
    return [
      modeString(e.stat),
      String(e.stat.nlink).padStart(links),
      e.stat.owner.padEnd(owner),
      e.stat.group.padEnd(group),
      size(e).padStart(sizes),
      listTime(e.stat.mtime, now),
      name,
    ].join(" ");
  });
}

/**
 * GNU ls's vertical columns (`-C`, the default on a terminal): the most columns whose widths
 * (longest name + 2, except the last) stay under the line width.
 */
export function columns(names: readonly string[], lineWidth: number): string[] {
  const n = names.length;
  if (n === 0) return [];
  const maxCols = Math.max(1, Math.min(n, Math.floor(lineWidth / 3)));
  let chosen = { cols: 1, rows: n, widths: [0] };
  for (let cols = 1; cols <= maxCols; cols++) {
    const rows = Math.ceil(n / cols);
    const widths = new Array<number>(cols).fill(0);
    names.forEach((name, k) => {
      const col = Math.floor(k / rows);
      widths[col] = Math.max(widths[col], name.length + (col === cols - 1 ? 0 : 2));
    });
    if (widths.reduce((a, b) => a + b, 0) < lineWidth) chosen = { cols, rows, widths };
  }
  const lines: string[] = [];
  for (let row = 0; row < chosen.rows; row++) {
    let line = "";
    let pos = 0;
    for (let k = row, col = 0; k < n; k += chosen.rows, col++) {
      line += names[k];
      if (k + chosen.rows >= n) break;
      line += indent(pos + names[k].length, pos + chosen.widths[col]);
      pos += chosen.widths[col];
    }
    lines.push(line);
  }
  return lines;
}

/** GNU ls pads with tabs (8 wide) where a tab lands exactly, spaces otherwise. */
function indent(from: number, to: number): string {
  let out = "";
  for (let at = from; at < to; ) {
    if (Math.floor(to / 8) > Math.floor((at + 1) / 8)) {
      out += "\t";
      at += 8 - (at % 8);
    } else {
      out += " ";
      at++;
    }
  }
  return out;
}
