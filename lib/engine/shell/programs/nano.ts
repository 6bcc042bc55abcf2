/**
 * GNU nano 6.2 as Ubuntu 22.04 ships it: the title bar, the text, the status bar and the two
 * help lines; typing inserts, the arrows and ^A/^E/^P/^N/^F/^B move, ^K cuts lines (runs of
 * ^K gather into one cut), ^U pastes, ^O writes (`[ Wrote 3 lines ]`), ^X leaves (asking
 * `Save modified buffer?` first), ^W searches, ^C reports the cursor position and ^/ goes to
 * a line. The buffer keeps nano's "magic line": an empty last line, so files end in a newline.
 *
 * @example
 * const nano = new Nano({ fs, resolve: (p) => joinPath(cwd, p), file: "notes.txt" });
 * await ctx.session.startProgram(nano);
 */
import { FsError, type FileSystem } from "../fs";
import type { CommandResult, Program, ProgramStep, Screen } from "../types";
import { cellWidth, Frame, type Row, type Segment, specialKey, splitKeys, textWidth } from "./screen";

export interface NanoOptions {
  fs: FileSystem;
  resolve(path: string): string;
  /** The file as typed; none for a new buffer. */
  file?: string;
  /** `+LINE[,COLUMN]`. */
  line?: number;
  column?: number;
  /** `-l`: line numbers. */
  lineNumbers?: boolean;
  /** `-v`: view only. */
  view?: boolean;
}

interface Prompt {
  kind: "write" | "save" | "search" | "goto" | "exit-write";
  label: string;
  answer: string;
}

const REVERSE = "7";
const TAB = 8;
/** Pico's blanking: a status message goes after 26 keystrokes. */
const MESSAGE_LIFE = 26;

const MAIN_MENU: readonly [string, string][] = [
  ["^G", "Help"], ["^X", "Exit"], ["^O", "Write Out"], ["^R", "Read File"], ["^W", "Where Is"], ["^\\", "Replace"],
  ["^K", "Cut"], ["^U", "Paste"], ["^T", "Execute"], ["^J", "Justify"], ["^C", "Location"], ["^/", "Go To Line"],
];
const WRITE_MENU: readonly [string, string][] = [
  ["^G", "Help"], ["^C", "Cancel"], ["M-D", "DOS Format"], ["M-M", "Mac Format"], ["M-A", "Append"], ["M-P", "Prepend"], ["M-B", "Backup File"], ["^T", "Browse"],
];
const SEARCH_MENU: readonly [string, string][] = [
  ["^G", "Help"], ["^C", "Cancel"], ["M-C", "Case Sens"], ["M-B", "Backwards"], ["M-R", "Reg.exp."], ["^R", "Replace"],
  ["^T", "Go To Line"], ["^Y", "First Line"], ["^V", "Last Line"], ["^W", "Beg of Par"], ["^O", "End of Par"], ["^P", "Older"],
];
const GOTO_MENU: readonly [string, string][] = [
  ["^G", "Help"], ["^C", "Cancel"], ["^Y", "First Line"], ["^V", "Last Line"], ["^T", "Go To Text"], ["^W", "Beg of Par"], ["^O", "End of Par"],
];
const UNBOUND: Record<string, string> = {
  "\x07": "^G Help",
  "\x12": "^R Read File",
  "\x1c": "^\\ Replace",
  "\x14": "^T Execute",
  "\x0a": "^J Justify",
};

export class Nano implements Program {
  /** The text; the last line is nano's empty "magic line". */
  private lines: string[] = [""];
  private cursor = { line: 0, col: 0 };
  /** The display column up/down try to keep. */
  private want = 0;
  private top = 0;
  private modified = false;
  private name: string;
  private message: { text: string; life: number } | null = null;
  private prompt: Prompt | null = null;
  private cut: string[] = [];
  private cutting = false;
  private lastSearch = "";
  private screen: Screen = { rows: 24, columns: 80 };
  private readonly frame = new Frame();
  private done: CommandResult | null = null;

  constructor(private readonly options: NanoOptions) {
    this.name = options.file ?? "";
  }

  start(screen: Screen): ProgramStep {
    this.screen = screen;
    if (this.name !== "") this.open();
    if (this.options.line !== undefined) {
      const line = Math.max(0, Math.min(this.lines.length - 1, this.options.line - 1));
      this.cursor = { line, col: Math.max(0, Math.min(this.lines[line].length, (this.options.column ?? 1) - 1)) };
    }
    return { output: this.render() };
  }

  key(data: string): ProgramStep {
    const keys = splitKeys(data);
    for (let i = 0; i < keys.length && !this.done; i++) {
      // Alt-key arrives as ESC and the key.
      if (keys[i] === "\x1b" && i + 1 < keys.length && keys[i + 1].length === 1) {
        this.handle("\x1b" + keys[++i]);
        continue;
      }
      this.handle(keys[i]);
    }
    if (this.done) return { output: "", done: this.done };
    return { output: this.render() };
  }

  resize(screen: Screen): ProgramStep {
    this.screen = screen;
    this.frame.reset();
    return { output: this.render() };
  }

  // ---------- files ----------

  private open(): void {
    const { fs } = this.options;
    const path = this.options.resolve(this.name);
    if (fs.isDirectory(path)) {
      this.say(`"${this.name}" is a directory`);
      this.name = "";
      return;
    }
    if (!fs.isFile(path)) {
      this.say("New File");
      return;
    }
    const text = fs.readFile(path);
    this.lines = text.split("\n");
    if (this.lines.at(-1) !== "") this.lines.push("");
    const count = this.lines.length - 1;
    this.say(`Read ${count} ${count === 1 ? "line" : "lines"}`);
  }

  private write(name: string): boolean {
    const { fs } = this.options;
    const path = this.options.resolve(name);
    try {
      if (fs.isDirectory(path)) throw new FsError("EISDIR", path);
      fs.writeFile(path, this.lines.join("\n"));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      this.say(`Error writing ${name}: ${error.reason}`);
      return false;
    }
    this.name = name;
    this.modified = false;
    const count = this.lines.length - 1;
    this.say(`Wrote ${count} ${count === 1 ? "line" : "lines"}`);
    return true;
  }

  private say(text: string): void {
    this.message = { text, life: MESSAGE_LIFE };
  }

  // ---------- keys ----------

  private handle(key: string): void {
    if (this.message && --this.message.life <= 0) this.message = null;
    if (this.prompt) return this.promptKey(key);
    const wasCut = this.cutting;
    this.cutting = false;
    const special = specialKey(key);
    const { line, col } = this.cursor;
    const text = this.lines[line];
    switch (special ?? key) {
      case "left":
      case "\x02":
        if (col > 0) this.cursor.col = col - 1;
        else if (line > 0) this.cursor = { line: line - 1, col: this.lines[line - 1].length };
        return this.remember();
      case "right":
      case "\x06":
        if (col < text.length) this.cursor.col = col + 1;
        else if (line < this.lines.length - 1) this.cursor = { line: line + 1, col: 0 };
        return this.remember();
      case "up":
      case "\x10":
        if (line > 0) this.cursor = { line: line - 1, col: this.colFor(line - 1) };
        return;
      case "down":
      case "\x0e":
        if (line < this.lines.length - 1) this.cursor = { line: line + 1, col: this.colFor(line + 1) };
        return;
      case "home":
      case "\x01":
        this.cursor.col = 0;
        return this.remember();
      case "end":
      case "\x05":
        this.cursor.col = text.length;
        return this.remember();
      case "pageup":
      case "\x19":
        return this.page(-1);
      case "pagedown":
      case "\x16":
        return this.page(1);
      case "\x0b":
        return this.cutLine(wasCut);
      case "\x15":
        return this.paste();
      case "\x0f":
        this.prompt = { kind: "write", label: "File Name to Write", answer: this.name };
        return;
      case "\x18":
        if (!this.modified || this.options.view) {
          this.done = { stdout: "", stderr: "", exitCode: 0 };
          return;
        }
        this.prompt = { kind: "save", label: "Save modified buffer? ", answer: "" };
        return;
      case "\x17":
        this.prompt = { kind: "search", label: this.lastSearch ? `Search [${this.lastSearch}]` : "Search", answer: "" };
        return;
      case "\x1f":
      case "\x1bg":
      case "\x1bG":
        this.prompt = { kind: "goto", label: "Enter line number, column number", answer: "" };
        return;
      case "\x03":
        return this.location();
      case "\x7f":
      case "\x08":
        if (this.options.view) return this.viewOnly();
        if (col > 0) this.edit(line, text.slice(0, col - 1) + text.slice(col), col - 1);
        else if (line > 0) {
          const previous = this.lines[line - 1];
          this.lines.splice(line - 1, 2, previous + text);
          this.cursor = { line: line - 1, col: previous.length };
          this.modified = true;
        }
        return this.remember();
      case "delete":
      case "\x04":
        if (this.options.view) return this.viewOnly();
        if (col < text.length) this.edit(line, text.slice(0, col) + text.slice(col + 1), col);
        else if (line < this.lines.length - 1) {
          this.lines.splice(line, 2, text + this.lines[line + 1]);
          this.modified = true;
          this.magicLine();
        }
        return;
      case "\r":
        if (this.options.view) return this.viewOnly();
        this.lines.splice(line, 1, text.slice(0, col), text.slice(col));
        this.cursor = { line: line + 1, col: 0 };
        this.modified = true;
        this.magicLine();
        return this.remember();
      case "\t":
        if (this.options.view) return this.viewOnly();
        this.insert("\t");
        return;
      default:
        if (UNBOUND[key]) return this.say(`${UNBOUND[key]} is not available here`);
        if (key.startsWith("\x1b")) return this.say("Unknown sequence");
        if (key.length > 0 && key.codePointAt(0)! >= 0x20 && key !== "\x7f") {
          if (this.options.view) return this.viewOnly();
          this.insert(key);
          return;
        }
        if (key.length === 1 && key.charCodeAt(0) < 0x20) this.say(`Unbound key: ^${String.fromCharCode(key.charCodeAt(0) + 64)}`);
    }
  }

  private viewOnly(): void {
    this.say("Key is invalid in view mode");
  }

  private remember(): void {
    this.want = this.displayCol(this.lines[this.cursor.line], this.cursor.col);
  }

  private colFor(line: number): number {
    const text = this.lines[line];
    let width = 0;
    for (let i = 0; i < text.length; i++) {
      const next = text[i] === "\t" ? width + TAB - (width % TAB) : width + cellWidth(text.codePointAt(i)!);
      if (next > this.want) return i;
      width = next;
    }
    return text.length;
  }

  private edit(line: number, text: string, col: number): void {
    this.lines[line] = text;
    this.cursor = { line, col };
    this.modified = true;
    this.magicLine();
  }

  private insert(text: string): void {
    const { line, col } = this.cursor;
    const current = this.lines[line];
    this.edit(line, current.slice(0, col) + text + current.slice(col), col + text.length);
    this.remember();
  }

  /** Typing on the magic line makes it a real line, with a new magic line after it. */
  private magicLine(): void {
    if (this.lines.at(-1) !== "") this.lines.push("");
  }

  private cutLine(append: boolean): void {
    if (this.options.view) return this.viewOnly();
    const { line } = this.cursor;
    if (line === this.lines.length - 1 && this.lines[line] === "") {
      this.cutting = true;
      return;
    }
    const removed = this.lines.splice(line, 1)[0];
    this.cut = append ? [...this.cut, removed] : [removed];
    this.cursor = { line, col: 0 };
    this.modified = true;
    this.cutting = true;
    this.magicLine();
    this.remember();
  }

  private paste(): void {
    if (this.options.view) return this.viewOnly();
    if (this.cut.length === 0) return;
    const { line, col } = this.cursor;
    const text = this.lines[line];
    const inserted = [text.slice(0, col) + this.cut[0], ...this.cut.slice(1), text.slice(col)];
    this.lines.splice(line, 1, ...inserted);
    this.cursor = { line: line + this.cut.length, col: 0 };
    this.modified = true;
    this.magicLine();
    this.remember();
  }

  private page(direction: number): void {
    const rows = this.textRows();
    const line = Math.max(0, Math.min(this.lines.length - 1, this.cursor.line + direction * (rows - 2)));
    this.top = Math.max(0, Math.min(this.lines.length - 1, this.top + direction * (rows - 2)));
    this.cursor = { line, col: this.colFor(line) };
  }

  /** ^C: `[ line 2/4 (50%), col  3/12 ( 25%), char 9/31 (29%) ]`. */
  private location(): void {
    const { line, col } = this.cursor;
    const total = this.lines.length;
    const text = this.lines[line];
    const column = this.displayCol(text, col) + 1;
    const fullwidth = this.displayCol(text, text.length) + 1;
    let sum = 0;
    for (let l = 0; l < line; l++) sum += [...this.lines[l]].length + 1;
    sum += [...text.slice(0, col)].length;
    const size = this.lines.reduce((n, l) => n + [...l].length, 0) + total - 1;
    const w = String(total).length;
    const cw = String(size).length;
    const pct = (a: number, b: number) => (b === 0 ? 0 : Math.floor((100 * a) / b));
    this.say(
      `line ${String(line + 1).padStart(w)}/${total} (${String(pct(line + 1, total)).padStart(2)}%), ` +
        `col ${String(column).padStart(2)}/${String(fullwidth).padStart(2)} (${String(pct(column, fullwidth)).padStart(3)}%), ` +
        `char ${String(sum).padStart(cw)}/${size} (${String(pct(sum, size)).padStart(2)}%)`,
    );
  }

  private search(pattern: string): void {
    const needle = pattern || this.lastSearch;
    if (needle === "") return this.say("Cancelled");
    this.lastSearch = needle;
    const n = this.lines.length;
    const { line, col } = this.cursor;
    for (let step = 0; step <= n; step++) {
      const l = (line + step) % n;
      const text = this.lines[l];
      const from = step === 0 ? col + 1 : 0;
      let at = text.indexOf(needle, from);
      if (step === n) at = at >= 0 && at <= col ? at : -1;
      if (at < 0) continue;
      this.cursor = { line: l, col: at };
      this.remember();
      if (step === n && l === line && at === col) this.say("This is the only occurrence");
      else if (line + step >= n) this.say("Search Wrapped");
      return;
    }
    this.say(`"${needle.length > 30 ? needle.slice(0, 30) + "..." : needle}" not found`);
  }

  private promptKey(key: string): void {
    const prompt = this.prompt!;
    if (prompt.kind === "save") {
      const answer = key.toLowerCase();
      if (answer === "y") {
        this.prompt = { kind: "exit-write", label: "File Name to Write", answer: this.name };
      } else if (answer === "n") {
        this.done = { stdout: "", stderr: "", exitCode: 0 };
      } else if (key === "\x03") {
        this.prompt = null;
        this.say("Cancelled");
      }
      return;
    }
    const special = specialKey(key);
    switch (key) {
      case "\x03":
        this.prompt = null;
        this.say("Cancelled");
        return;
      case "\r": {
        this.prompt = null;
        const answer = prompt.answer;
        if (prompt.kind === "search") return this.search(answer);
        if (prompt.kind === "goto") return this.goTo(answer);
        if (answer === "") return this.say("Cancelled");
        if (this.write(answer) && prompt.kind === "exit-write") this.done = { stdout: "", stderr: "", exitCode: 0 };
        return;
      }
      case "\x7f":
      case "\x08":
        prompt.answer = [...prompt.answer].slice(0, -1).join("");
        return;
      default:
        if (special || key.startsWith("\x1b") || key === "\t") return;
        if (key.codePointAt(0)! >= 0x20) prompt.answer += key;
    }
  }

  private goTo(answer: string): void {
    const m = /^\s*(-?\d+)?\s*(?:[,.\s]\s*(-?\d+))?\s*$/.exec(answer);
    if (!m || (m[1] === undefined && m[2] === undefined)) return this.say("Invalid line or column number");
    const total = this.lines.length;
    let line = m[1] === undefined ? this.cursor.line + 1 : Number(m[1]);
    if (line < 0) line = total + line + 1;
    line = Math.max(1, Math.min(total, line));
    const text = this.lines[line - 1];
    const col = m[2] === undefined ? 1 : Number(m[2]);
    this.cursor = { line: line - 1, col: Math.max(0, Math.min(text.length, col - 1)) };
    this.remember();
  }

  // ---------- drawing ----------

  private textRows(): number {
    return Math.max(1, this.screen.rows - 4);
  }

  private displayCol(text: string, col: number): number {
    let width = 0;
    for (let i = 0; i < col && i < text.length; i++) width = text[i] === "\t" ? width + TAB - (width % TAB) : width + cellWidth(text.codePointAt(i)!);
    return width;
  }

  private expand(text: string): string {
    let out = "";
    let width = 0;
    for (const ch of text) {
      if (ch === "\t") {
        const n = TAB - (width % TAB);
        out += " ".repeat(n);
        width += n;
      } else if (ch.charCodeAt(0) < 32) {
        out += "^" + String.fromCharCode(ch.charCodeAt(0) + 64);
        width += 2;
      } else {
        out += ch;
        width += cellWidth(ch.codePointAt(0)!);
      }
    }
    return out;
  }

  private render(): string {
    const { rows: height, columns } = this.screen;
    const textRows = this.textRows();
    const margin = this.options.lineNumbers ? String(this.lines.length).length + 2 : 0;
    const width = Math.max(1, columns - margin);
    if (this.cursor.line < this.top) this.top = this.cursor.line;
    if (this.cursor.line >= this.top + textRows) this.top = this.cursor.line - textRows + 1;
    const rows: Row[] = [this.titleBar(columns)];
    let cursorAt = { row: 1, col: 0 };
    for (let r = 0; r < textRows; r++) {
      const l = this.top + r;
      if (l >= this.lines.length) {
        rows.push([]);
        continue;
      }
      const shown = this.expand(this.lines[l]);
      const row: Segment[] = [];
      if (margin > 0) row.push({ text: `${String(l + 1).padStart(margin - 1)} `, style: "33" });
      // The cursor's line scrolls sideways (nano's get_page_start); others are cut with `>`.
      let start = 0;
      const column = this.displayCol(this.lines[l], l === this.cursor.line ? this.cursor.col : 0);
      if (l === this.cursor.line && column > 0 && column + 2 >= width) start = width > 8 ? column - 6 - ((column - 6) % (width - 8)) : column - (width - 2);
      let visible = cells(shown, start, start + width);
      if (start > 0) visible = "<" + cells(shown, start + 1, start + width);
      if (textWidth(shown) > start + width) visible = cells(visible, 0, width - 1) + ">";
      row.push({ text: visible });
      rows.push(row);
      if (l === this.cursor.line) cursorAt = { row: r + 1, col: margin + column - start };
    }
    rows.push(this.statusBar(columns));
    rows.push(...this.helpLines(columns));
    if (this.prompt) cursorAt = { row: height - 3, col: Math.min(columns - 1, textWidth(this.promptText())) };
    return this.frame.draw(rows, cursorAt, this.screen);
  }

  private titleBar(columns: number): Row {
    const brand = "GNU nano 6.2";
    const path = this.name === "" ? "New Buffer" : this.name;
    const state = this.modified ? "Modified" : this.options.view ? "View" : "";
    const verlen = brand.length + 3;
    // Room for "Modified" is kept while the state is empty, so the name barely moves.
    const pluglen = state ? 0 : "Modified".length + 1;
    const statelen = state.length + 2;
    const cells = Array<string>(columns).fill(" ");
    const put = (at: number, text: string) => [...text].forEach((c, i) => at + i >= 0 && at + i < columns && (cells[at + i] = c));
    put(2, brand);
    put(verlen + Math.floor((columns - (verlen + pluglen + statelen) - path.length) / 2), path);
    if (state) put(columns - statelen, state);
    return [{ text: cells.join(""), style: REVERSE }];
  }

  private promptText(): string {
    const prompt = this.prompt!;
    return prompt.kind === "save" ? prompt.label : `${prompt.label}: ${prompt.answer}`;
  }

  private statusBar(columns: number): Row {
    if (this.prompt) {
      const text = this.promptText();
      return [{ text: text + " ".repeat(Math.max(0, columns - textWidth(text))), style: REVERSE }];
    }
    if (!this.message) return [];
    const text = `[ ${this.message.text} ]`;
    const start = Math.max(0, Math.floor((columns - textWidth(text)) / 2));
    return [{ text: " ".repeat(start) }, { text, style: REVERSE }];
  }

  private helpLines(columns: number): Row[] {
    if (this.prompt?.kind === "save") {
      const width = Math.floor(columns / 6);
      const item = (key: string, label: string, w: number): Segment[] => [{ text: key, style: REVERSE }, { text: (" " + label).padEnd(w - key.length) }];
      return [[...item(" Y", "Yes", width)], [...item(" N", "No", width), ...item("^C", "Cancel", width)]];
    }
    const menu = !this.prompt ? MAIN_MENU : this.prompt.kind === "search" ? SEARCH_MENU : this.prompt.kind === "goto" ? GOTO_MENU : WRITE_MENU;
    const maximum = Math.floor((columns + 40) / 20) * 2;
    const shown = menu.slice(0, maximum);
    const perRow = Math.ceil(shown.length / 2);
    const itemWidth = Math.floor(columns / perRow);
    const rows: Segment[][] = [[], []];
    shown.forEach(([key, label], i) => {
      const row = rows[i % 2];
      const last = Math.floor(i / 2) === perRow - 1;
      const w = last ? columns - itemWidth * (perRow - 1) : itemWidth;
      row.push({ text: key, style: REVERSE });
      const rest = w - key.length;
      if (rest >= 2) row.push({ text: (" " + label).slice(0, rest).padEnd(last ? 0 : rest) });
    });
    return rows;
  }
}

/** The cells [from, to) of an expanded line. */
function cells(text: string, from: number, to: number): string {
  let col = 0;
  let out = "";
  for (const ch of text) {
    const w = cellWidth(ch.codePointAt(0)!);
    if (col >= from && col + w <= to) out += ch;
    col += w;
    if (col >= to) break;
  }
  return out;
}
