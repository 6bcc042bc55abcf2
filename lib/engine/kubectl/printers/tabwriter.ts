/**
 * Go's `text/tabwriter` (left-aligned, space padding): cells end at a tab; the text after a
 * line's last tab belongs to no column. A column's width is decided per *block* — the run of
 * consecutive lines that have a cell in that column — so a line with fewer cells ends the
 * alignment above it, exactly as `kubectl describe`'s layout shows. Widths count code points.
 *
 * @example
 * goTabwrite("Name:\tweb\nNamespace:\tdefault\n", { minWidth: 0, padding: 2 });
 * // "Name:       web\nNamespace:  default\n"
 */

/** Writer settings (`tabwriter.NewWriter(out, minwidth, tabwidth, padding, ' ', 0)`). */
export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

const width = (s: string) => [...s].length;

/** Formats `text` as a flushed Go tabwriter with `options` would. */
export function goTabwrite(text: string, options: TabwriterOptions): string {
  const endsWithNewline = text.endsWith("\n");
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split("\n").map((l) => l.split("\t"));
  const widths: number[] = [];
  let out = "";
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i];
      line.forEach((cell, j) => {
        out += cell;
        if (j < widths.length && j < line.length - 1) out += " ".repeat(Math.max(0, widths[j] - width(cell)));
      });
      if (i + 1 < lines.length || endsWithNewline) out += "\n";
    }
  };
  // A port of tabwriter's recursive `format`: find each block of lines sharing column
  // `widths.length`, size it, then format the columns to its right within that block.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur].length - 1) continue;
      writeLines(start, cur);
      start = cur;
      let w = options.minWidth;
      for (; cur < line1 && column < lines[cur].length - 1; cur++) {
        w = Math.max(w, width(lines[cur][column]) + options.padding);
      }
      widths.push(w);
      format(start, cur);
      widths.pop();
      start = cur;
      cur--;
    }
    writeLines(start, line1);
  };
  format(0, lines.length);
  return out;
}
