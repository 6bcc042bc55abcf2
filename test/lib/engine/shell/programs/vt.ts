/**
 * A small VT screen for testing full-screen programs: cursor addressing (CUP, CUU/CUD/CUF/CUB,
 * CHA), erase (ED 0/2, EL 0), SGR (reverse video remembered per cell), the alternate screen (1049),
 * cursor visibility, bells, CR/LF/BS and xterm's deferred wrap. Anything else throws, so a
 * program cannot send what the tests do not understand.
 */
export class VirtualTerminal {
  private main: string[][];
  private alt: string[][];
  private reverseMain: boolean[][];
  private reverseAlt: boolean[][];
  private onAlt = false;
  private savedCursor = { row: 0, col: 0 };
  private pendingWrap = false;
  private reverse = false;
  row = 0;
  col = 0;
  bells = 0;
  cursorVisible = true;

  constructor(
    readonly rows = 24,
    readonly columns = 80,
  ) {
    this.main = this.blank();
    this.alt = this.blank();
    this.reverseMain = this.blankFlags();
    this.reverseAlt = this.blankFlags();
  }

  get alternate(): boolean {
    return this.onAlt;
  }

  private blank(): string[][] {
    return Array.from({ length: this.rows }, () => Array<string>(this.columns).fill(" "));
  }

  private blankFlags(): boolean[][] {
    return Array.from({ length: this.rows }, () => Array<boolean>(this.columns).fill(false));
  }

  private get cells(): string[][] {
    return this.onAlt ? this.alt : this.main;
  }

  private get flags(): boolean[][] {
    return this.onAlt ? this.reverseAlt : this.reverseMain;
  }

  write(data: string): this {
    let i = 0;
    while (i < data.length) {
      const c = data[i];
      if (c === "\x1b") {
        const m = /^\x1b\[(\??)([\d;]*)([A-Za-z@])/.exec(data.slice(i, i + 24));
        if (!m) throw new Error(`unsupported escape ${JSON.stringify(data.slice(i, i + 10))}`);
        this.csi(m[1], m[2], m[3]);
        i += m[0].length;
        continue;
      }
      if (c === "\r") {
        this.col = 0;
        this.pendingWrap = false;
      } else if (c === "\n") this.lineFeed();
      else if (c === "\x07") this.bells += 1;
      else if (c === "\b") this.col = Math.max(0, this.col - 1);
      else {
        const ch = String.fromCodePoint(data.codePointAt(i)!);
        this.put(ch);
        i += ch.length;
        continue;
      }
      i += 1;
    }
    return this;
  }

  private lineFeed(): void {
    this.pendingWrap = false;
    if (this.row < this.rows - 1) this.row += 1;
    else {
      this.cells.shift();
      this.cells.push(Array<string>(this.columns).fill(" "));
      this.flags.shift();
      this.flags.push(Array<boolean>(this.columns).fill(false));
    }
  }

  private put(ch: string): void {
    if (this.pendingWrap) {
      this.col = 0;
      this.lineFeed();
    }
    this.cells[this.row][this.col] = ch;
    this.flags[this.row][this.col] = this.reverse;
    if (this.col === this.columns - 1) this.pendingWrap = true;
    else this.col += 1;
  }

  private csi(private_: string, params: string, final: string): void {
    const nums = params === "" ? [] : params.split(";").map(Number);
    const n = nums[0] || 1;
    this.pendingWrap = false;
    if (private_ === "?") {
      if (params === "1049") {
        if (final === "h" && !this.onAlt) {
          this.savedCursor = { row: this.row, col: this.col };
          this.onAlt = true;
          this.alt = this.blank();
          this.reverseAlt = this.blankFlags();
        } else if (final === "l" && this.onAlt) {
          this.onAlt = false;
          ({ row: this.row, col: this.col } = this.savedCursor);
        }
        return;
      }
      if (params === "25") {
        this.cursorVisible = final === "h";
        return;
      }
      if (params === "2004") return;
      throw new Error(`unsupported private mode ${params}${final}`);
    }
    switch (final) {
      case "H":
        this.row = Math.min(this.rows - 1, (nums[0] || 1) - 1);
        this.col = Math.min(this.columns - 1, (nums[1] || 1) - 1);
        return;
      case "A":
        this.row = Math.max(0, this.row - n);
        return;
      case "B":
        this.row = Math.min(this.rows - 1, this.row + n);
        return;
      case "C":
        this.col = Math.min(this.columns - 1, this.col + n);
        return;
      case "D":
        this.col = Math.max(0, this.col - n);
        return;
      case "G":
        this.col = Math.min(this.columns - 1, n - 1);
        return;
      case "J":
        if (params === "" || params === "0") {
          for (let c = this.col; c < this.columns; c++) this.cells[this.row][c] = " ";
          for (let r = this.row + 1; r < this.rows; r++) this.cells[r].fill(" ");
          return;
        }
        if (params === "2" || params === "3") {
          if (params === "2") {
            for (const row of this.cells) row.fill(" ");
            for (const row of this.flags) row.fill(false);
          }
          return;
        }
        throw new Error(`unsupported ED ${params}`);
      case "K":
        if (params !== "" && params !== "0") throw new Error(`unsupported EL ${params}`);
        for (let c = this.col; c < this.columns; c++) {
          this.cells[this.row][c] = " ";
          this.flags[this.row][c] = false;
        }
        return;
      case "m":
        for (const p of nums.length ? nums : [0]) {
          if (p === 0 || p === 27) this.reverse = false;
          else if (p === 7) this.reverse = true;
        }
        return;
      default:
        throw new Error(`unsupported CSI ${params}${final}`);
    }
  }

  /** The screen's rows, right-trimmed. */
  lines(): string[] {
    return this.cells.map((row) => row.join("").replace(/\s+$/, ""));
  }

  /** Row `r` as text (not trimmed). */
  line(r: number): string {
    return this.cells[r].join("");
  }

  /** Whether the cell is drawn in reverse video. */
  isReverse(row: number, col: number): boolean {
    return this.flags[row][col];
  }

  /** Everything on screen as one string (rows joined by newlines, trailing blank rows dropped). */
  text(): string {
    const lines = this.lines();
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines.join("\n");
  }
}
