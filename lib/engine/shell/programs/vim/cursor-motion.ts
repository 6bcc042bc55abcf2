/**
 * Where a motion key takes the cursor (for a plain move, or as the range of an operator).
 */
import { bottomLine, colForDisplay, colForWant } from "./layout";
import { backWord, endOfWord, findChar, firstNonBlank, forwardWord, matchPair, paragraph, type Pos } from "./motions";
import { findMatch } from "./search";
import { setMessage, showError, type VimState } from "./state";

interface Motion {
  pos: Pos;
  linewise: boolean;
  inclusive: boolean;
  /** j/k and friends keep the remembered column. */
  vertical?: boolean;
}

export function resolveMotion(vim: VimState, key: string, count: number, counted: boolean, arg: string | undefined, forOp: boolean): Motion | null {
  const { lines } = vim;
  const cur = vim.cursor;
  const line = lines[cur.line];
  const at = (pos: Pos, inclusive = false): Motion => ({ pos, linewise: false, inclusive });
  const toLine = (n: number): Motion => ({ pos: { line: n, col: firstNonBlank(lines[n]) }, linewise: true, inclusive: false });
  switch (key) {
    case "h":
    case "left":
    case "\x7f":
    case "\x08":
      if (cur.col === 0) return null;
      return at({ line: cur.line, col: Math.max(0, cur.col - count) });
    case "l":
    case "right":
    case " ": {
      const max = forOp ? line.length : Math.max(0, line.length - 1);
      if (cur.col >= max) return null;
      return at({ line: cur.line, col: Math.min(max, cur.col + count) });
    }
    case "j":
    case "down":
    case "\x0e":
    case "k":
    case "up":
    case "\x10": {
      const down = key === "j" || key === "down" || key === "\x0e";
      if (down ? cur.line >= lines.length - 1 : cur.line === 0) return null;
      const target = down ? Math.min(lines.length - 1, cur.line + count) : Math.max(0, cur.line - count);
      return { pos: { line: target, col: colForWant(vim, target) }, linewise: true, inclusive: false, vertical: true };
    }
    case "\r":
    case "+":
      if (cur.line >= lines.length - 1) return null;
      return toLine(Math.min(lines.length - 1, cur.line + count));
    case "-":
      if (cur.line === 0) return null;
      return toLine(Math.max(0, cur.line - count));
    case "_":
      return toLine(Math.min(lines.length - 1, cur.line + count - 1));
    case "0":
    case "home":
      return at({ line: cur.line, col: 0 });
    case "^":
      return at({ line: cur.line, col: firstNonBlank(line) });
    case "|":
      return at({ line: cur.line, col: colForDisplay(vim, cur.line, count - 1) });
    case "$":
    case "end": {
      const target = Math.min(lines.length - 1, cur.line + count - 1);
      return { pos: { line: target, col: Math.max(0, lines[target].length - (forOp ? 1 : 1)) }, linewise: false, inclusive: true };
    }
    case "w":
    case "W": {
      const pos = forwardWord(lines, cur, count, key === "W", forOp);
      if (!pos) return forOp ? at({ line: cur.line, col: line.length }) : null;
      if (!forOp && pos.col >= lines[pos.line].length && pos.col > 0) pos.col = lines[pos.line].length - 1;
      if (forOp && pos.col >= lines[pos.line].length && pos.col > 0 && pos.line === cur.line) return at({ line: pos.line, col: pos.col - 1 }, true);
      return at(pos);
    }
    case "b":
    case "B": {
      const pos = backWord(lines, cur, count, key === "B");
      return pos ? at(pos) : null;
    }
    case "e":
    case "E": {
      const pos = endOfWord(lines, cur, count, key === "E", false);
      return pos ? at(pos, true) : null;
    }
    case "G":
      return toLine(counted ? Math.min(count, lines.length) - 1 : lines.length - 1);
    case "gg":
      return toLine(counted ? Math.min(count, lines.length) - 1 : 0);
    case "f":
    case "t":
    case "F":
    case "T": {
      vim.lastFind = { kind: key, ch: arg! };
      const col = findChar(line, cur.col, count, key, arg!);
      return col === null ? null : at({ line: cur.line, col }, key === "f" || key === "t");
    }
    case ";":
    case ",": {
      if (!vim.lastFind) return null;
      const flip: Record<string, "f" | "t" | "F" | "T"> = { f: "F", F: "f", t: "T", T: "t" };
      const kind = key === ";" ? vim.lastFind.kind : flip[vim.lastFind.kind];
      const col = findChar(line, cur.col, count, kind, vim.lastFind.ch);
      return col === null ? null : at({ line: cur.line, col }, kind === "f" || kind === "t");
    }
    case "n":
    case "N": {
      if (!vim.lastSearch) {
        showError(vim, "E35: No previous regular expression");
        return null;
      }
      const forward = key === "n" ? vim.lastSearch.forward : !vim.lastSearch.forward;
      let pos: Pos | null = cur;
      for (let k = 0; k < count && pos; k++) pos = findMatch(vim, vim.lastSearch.pattern, forward, pos, true);
      if (pos && !vim.message?.style) setMessage(vim, `${forward ? "/" : "?"}${vim.lastSearch.pattern}`);
      return pos ? at(pos) : null;
    }
    case "H":
      return toLine(Math.min(bottomLine(vim) - 1, vim.top + count - 1));
    case "L":
      return toLine(Math.max(vim.top, bottomLine(vim) - count));
    case "M":
      return toLine(Math.floor((vim.top + Math.max(vim.top, bottomLine(vim) - 1)) / 2));
    case "%": {
      const pos = matchPair(lines, cur);
      return pos ? at(pos, true) : null;
    }
    case "{":
    case "}": {
      const pos = paragraph(lines, cur, count, key === "}");
      return pos ? at(pos) : null;
    }
    default:
      return null;
  }
}
