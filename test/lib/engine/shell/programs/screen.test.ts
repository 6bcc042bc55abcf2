import { describe, expect, it } from "vitest";
import { Frame, fitWidth, specialKey, splitKeys, textWidth } from "@/lib/engine/shell/programs/screen";
import { expandReplacement, vimRegExp } from "@/lib/engine/shell/programs/vim/pattern";
import { backWord, endOfWord, forwardWord, matchPair, paragraph, wordObject } from "@/lib/engine/shell/programs/vim/motions";

describe("splitKeys", () => {
  it.each([
    ["ihi", ["i", "h", "i"]],
    ["\x1b[A\x1bOB\x1b[3~", ["\x1b[A", "\x1bOB", "\x1b[3~"]],
    ["\x1b:wq\r", ["\x1b", ":", "w", "q", "\r"]],
    ["\x1b[200~a\nb\x1b[201~", ["a", "\r", "b"]],
    ["é😀", ["é", "😀"]],
  ])("%j", (data, keys) => {
    expect(splitKeys(data)).toEqual(keys);
  });

  it("names xterm's special keys", () => {
    expect(["\x1b[A", "\x1bOD", "\x1b[H", "\x1b[4~", "\x1b[3~", "\x1b[6~", "x"].map(specialKey)).toEqual(["up", "left", "home", "end", "delete", "pagedown", undefined]);
  });
});

describe("cell widths", () => {
  it("counts wide characters as two cells and cuts at a width", () => {
    expect(textWidth("a漢b")).toBe(4);
    expect(fitWidth("a漢b", 2)).toBe("a");
  });
});

describe("Frame", () => {
  it("draws everything first, then only the rows that changed", () => {
    const frame = new Frame();
    const screen = { rows: 3, columns: 10 };
    const first = frame.draw([[{ text: "one" }], [{ text: "two", style: "7" }], []], { row: 0, col: 1 }, screen);
    expect(first).toBe("\x1b[?25l\x1b[H\x1b[2J\x1b[1;1Hone\x1b[K\x1b[2;1H\x1b[7mtwo\x1b[0m\x1b[K\x1b[1;2H\x1b[?25h");
    const second = frame.draw([[{ text: "one" }], [{ text: "TWO" }], [{ text: "x".repeat(12) }]], { row: 2, col: 9 }, screen);
    expect(second).toBe("\x1b[?25l\x1b[2;1HTWO\x1b[K\x1b[3;1Hxxxxxxxxxx\x1b[3;10H\x1b[?25h");
  });
});

describe("vim patterns", () => {
  it.each([
    ["replicas: \\d\\+", "  replicas: 12", "replicas: 12"],
    ["a(b)", "xa(b)y", "a(b)"],
    ["\\(ab\\)\\{2}", "ababab", "abab"],
    ["^spec", "spec:", "spec"],
    ["\\<on\\>", "one on", "on"],
    ["x\\=y", "y", "y"],
    ["[0-9]*$", "abc123", "123"],
  ])("/%s in %j", (pattern, text, match) => {
    expect(vimRegExp(pattern, {}).exec(text)?.[0]).toBe(match);
  });

  it("honours \\c and 'ignorecase' with 'smartcase'", () => {
    expect(vimRegExp("\\cSPEC", {}).test("spec")).toBe(true);
    expect(vimRegExp("spec", { ignorecase: true }).test("SPEC")).toBe(true);
    expect(vimRegExp("Spec", { ignorecase: true, smartcase: true }).test("SPEC")).toBe(false);
  });

  it("expands & and groups in replacements, \\r as a line break", () => {
    const m = /(a)(b)/.exec("ab")!;
    expect(expandReplacement("[&] \\2\\1\\r\\&", m)).toBe("[ab] ba\n&");
  });
});

describe("vim motions", () => {
  const lines = ["foo.bar baz", "", "  qux"];
  it("moves by words across lines, stopping at an empty line", () => {
    expect(forwardWord(lines, { line: 0, col: 0 }, 1, false, false)).toEqual({ line: 0, col: 3 });
    expect(forwardWord(lines, { line: 0, col: 0 }, 1, true, false)).toEqual({ line: 0, col: 8 });
    expect(forwardWord(lines, { line: 0, col: 8 }, 1, false, false)).toEqual({ line: 1, col: 0 });
    expect(forwardWord(lines, { line: 0, col: 8 }, 1, false, true)).toEqual({ line: 0, col: 11 });
    expect(endOfWord(lines, { line: 0, col: 0 }, 1, false, false)).toEqual({ line: 0, col: 2 });
    expect(backWord(lines, { line: 2, col: 2 }, 1, false)).toEqual({ line: 1, col: 0 });
    expect(backWord(lines, { line: 0, col: 0 }, 1, false)).toBeNull();
  });

  it("finds paragraphs, matching brackets and words under the cursor", () => {
    expect(paragraph(lines, { line: 0, col: 0 }, 1, true)).toEqual({ line: 1, col: 0 });
    expect(matchPair(["f(a[b])"], { line: 0, col: 0 })).toEqual({ line: 0, col: 6 });
    expect(wordObject("one two  three", 5, false, false)).toEqual({ start: 4, end: 6 });
    expect(wordObject("one two  three", 5, true, false)).toEqual({ start: 4, end: 8 });
  });
});
