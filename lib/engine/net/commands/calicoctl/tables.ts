/**
 * The two table printers calicoctl uses. `get` renders a Go template through text/tabwriter
 * (minwidth 5, padding 3, every cell ends in a tab, so even the last column is padded);
 * `node status` and `ipam show` use olekukonko/tablewriter v0.0.5: a boxed table with the
 * header upper-cased and centred, numbers right-aligned and text left-aligned, and cells
 * longer than 30 characters wrapped with its minimum-raggedness word wrap.
 *
 * @example
 * tabwriter([["NAME", "CIDR"], ["default-ipv4-ippool", "192.168.0.0/16"]]);
 * // "NAME                  CIDR             \ndefault-ipv4-ippool   192.168.0.0/16   \n"
 * boxTable(["Peer address", "Peer type"], [["172.30.1.3", "node-to-node mesh"]]);
 */

/** text/tabwriter with calicoctl's settings over rows of cells. */
export function tabwriter(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(5, ...rows.map((r) => (r[i] ?? "").length + 3)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("") + "\n").join("");
}

const WRAP_AT = 30;
const DECIMAL = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;
const PERCENT = /^-?\d+\.?\d*$%$/;

/** tablewriter's WrapWords: the split of `words` into lines of at most `limit` with the least raggedness. */
function wrapWords(words: readonly string[], limit: number): string[][] {
  const n = words.length;
  const length = (i: number, j: number) => words.slice(i, j + 1).reduce((sum, w) => sum + w.length, 0) + (j - i);
  const cost = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const breakAt = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (length(i, n - 1) <= limit) {
      cost[i] = 0;
      breakAt[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const d = limit - length(i, j - 1);
      let c = d * d + cost[j];
      if (length(i, j - 1) > limit) c += 1e6;
      if (c < cost[i]) {
        cost[i] = c;
        breakAt[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = breakAt[i]) lines.push(words.slice(i, breakAt[i]));
  return lines;
}

/** A cell's lines and the width its column needs for it. */
function cellLines(text: string): { lines: string[]; width: number } {
  if (text.length <= WRAP_AT) return { lines: [text], width: text.length };
  const words = text.split(" ");
  const limit = Math.max(WRAP_AT, ...words.map((w) => w.length));
  return { lines: wrapWords(words, limit).map((l) => l.join(" ")), width: limit };
}

/** tablewriter's header text: underscores and stray dots become spaces, then upper case. */
function title(name: string): string {
  return name.replace(/_/g, " ").trim().toUpperCase() || " ";
}

function centre(text: string, width: number): string {
  const gap = width - text.length;
  if (gap <= 0) return text;
  const left = Math.floor(gap / 2);
  return " ".repeat(left) + text + " ".repeat(gap - left);
}

/** tablewriter.Render with a header and default alignment. */
export function boxTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const heads = header.map(title);
  const cells = rows.map((r) => r.map(cellLines));
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.width ?? 0)));
  const rule = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+\n";
  let out = rule + "|" + heads.map((h, i) => ` ${centre(h, widths[i])} `).join("|") + "|\n" + rule;
  for (const row of cells) {
    const height = Math.max(...row.map((c) => c.lines.length));
    for (let line = 0; line < height; line++) {
      out += "|" + row.map((c, i) => {
        const text = c.lines[line] ?? "";
        const numeric = DECIMAL.test(text.trim()) || PERCENT.test(text.trim());
        return ` ${numeric ? text.padStart(widths[i]) : text.padEnd(widths[i])} `;
      }).join("|") + "|\n";
    }
  }
  return out + rule;
}
