import { codePointWidth } from "@/lib/terminal/text-width";

/**
 * A minimal VT screen for tests: printable text with autowrap (xterm's deferred wrap), CR, LF,
 * BS, BEL, CUU/CUD/CUF/CUB/CHA, CUP home, ED 0/2/3, EL 0, bracketed-paste mode switches. Rows grow
 * downwards without scrolling. It keeps xterm's "wrapped" mark per row (set by an autowrap,
 * cleared by a line feed into the row and by erasing from its first column), which decides how
 * xterm reflows the rows on a resize.
 */
export class Screen {
  private rows: string[][] = [[]];
  /** Rows that continue the row above (xterm's BufferLine.isWrapped). */
  wrapped: boolean[] = [false];
  x = 0;
  y = 0;
  bells = 0;

  constructor(readonly cols: number) {}

  write(data: string): this {
    let i = 0;
    while (i < data.length) {
      const ch = data[i];
      if (ch === "\x1b") {
        const m = /^\x1b\[([?\d;]*)([A-Za-z~])/.exec(data.slice(i));
        if (!m) throw new Error(`unsupported escape at ${JSON.stringify(data.slice(i, i + 8))}`);
        this.csi(m[1], m[2]);
        i += m[0].length;
        continue;
      }
      if (ch === "\r") this.x = 0;
      else if (ch === "\n") {
        this.y += 1;
        this.row(this.y);
        this.wrapped[this.y] = false;
      } else if (ch === "\b") this.x = Math.max(0, Math.min(this.x, this.cols - 1) - 1);
      else if (ch === "\x07") this.bells += 1;
      else this.print(String.fromCodePoint(data.codePointAt(i)!));
      i += data.codePointAt(i)! > 0xffff ? 2 : 1;
    }
    return this;
  }

  /** Rows as text, right-trimmed, without trailing empty rows. */
  lines(): string[] {
    const out = this.rows.map((r) => Array.from({ length: r.length }, (_, k) => r[k] ?? " ").join("").replace(/\s+$/, ""));
    while (out.length > 0 && out[out.length - 1] === "") out.pop();
    return out;
  }

  get cursor(): { row: number; col: number } {
    return { row: this.y, col: this.x };
  }

  private row(y: number): string[] {
    while (this.rows.length <= y) {
      this.rows.push([]);
      this.wrapped.push(false);
    }
    return this.rows[y];
  }

  private print(ch: string) {
    const width = codePointWidth(ch.codePointAt(0)!);
    if (width === 0) return;
    if (this.x >= this.cols || this.x + width > this.cols) {
      this.x = 0;
      this.y += 1;
      this.row(this.y);
      this.wrapped[this.y] = true;
    }
    const row = this.row(this.y);
    row[this.x] = ch;
    if (width === 2) row[this.x + 1] = "";
    this.x += width;
  }

  private csi(params: string, final: string) {
    const n = Number(params || "1");
    switch (final) {
      case "A":
        this.y = Math.max(0, this.y - n);
        this.x = Math.min(this.x, this.cols - 1);
        break;
      case "B":
        this.y += n;
        this.x = Math.min(this.x, this.cols - 1);
        break;
      case "C":
        this.x = Math.min(this.cols - 1, this.x + n);
        break;
      case "D":
        this.x = Math.max(0, Math.min(this.x, this.cols - 1) - n);
        break;
      case "G":
        this.x = Math.min(this.cols - 1, n - 1);
        break;
      case "H":
        this.x = 0;
        this.y = 0;
        break;
      case "J":
        if (params === "2" || params === "3") {
          if (params === "2") {
            this.rows = this.rows.map(() => []);
            this.wrapped = this.wrapped.map(() => false);
          }
        } else {
          this.row(this.y).length = Math.min(this.row(this.y).length, this.x);
          if (this.x === 0) this.wrapped[this.y] = false;
          this.rows.length = Math.min(this.rows.length, this.y + 1);
          this.wrapped.length = this.rows.length;
        }
        break;
      case "K":
        this.row(this.y).length = Math.min(this.row(this.y).length, this.x);
        if (this.x === 0) this.wrapped[this.y] = false;
        break;
      case "h":
      case "l":
        break;
      default:
        throw new Error(`unsupported CSI ${params}${final}`);
    }
  }
}
