/**
 * Helpers the node's commands share: Go's tabwriter (crictl, docker), user names from the
 * node's `/etc/passwd` as `ps` shows them, go-units sizes, and the agent a command runs on.
 *
 * @example
 * tabwrite([["POD ID", "NAME"], ["b2e4c1f09a7d3", "web"]], 20, 3); // "POD ID              NAME\n…"
 */
import type { FileSystem } from "../../shell";

/** text/tabwriter with `minwidth`, `padding` and space padding; the last cell is not padded. */
export function tabwrite(rows: readonly (readonly string[])[], minwidth: number, padding: number): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => {
    if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length + padding, minwidth);
  });
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join("") + "\n").join("");
}

/** The user name for a uid as `ps` prints it: names over 8 characters end in `+`, unknown uids are numbers. */
export function userName(fs: FileSystem, uid: number, width = 8): string {
  const passwd = fs.isFile("/etc/passwd") ? fs.readFile("/etc/passwd") : "";
  const name = passwd.split("\n").map((l) => l.split(":")).find((f) => f.length > 2 && Number(f[2]) === uid)?.[0];
  if (!name) return String(uid);
  return name.length > width ? name.slice(0, width - 1) + "+" : name;
}

/** go-units `HumanSizeWithPrecision(size, 3)`: decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  const text = size.toPrecision(3).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return `${text}${units[i]}`;
}

/** Right-aligns `text` in `width` (what `%*s` does; longer text is kept whole). */
export const right = (text: string | number, width: number) => String(text).padStart(width);
