import { describe, expect, it } from "vitest";
import { nodeShell } from "../helpers";
import { drive } from "./drive";

const FILES = { "/root/hello.txt": "hello world\nsecond line\n" };
const HELP = [
  "^G Help      ^O Write Out ^W Where Is  ^K Cut       ^T Execute   ^C Location",
  "^X Exit      ^R Read File ^\\ Replace   ^U Paste     ^J Justify   ^/ Go To Line",
];

describe("nano", () => {
  it("draws GNU nano 6.2: the title bar, the text, the status and the two help lines", async () => {
    const { sh } = nodeShell({ files: FILES });
    const nano = await drive(sh, "nano hello.txt");
    const lines = nano.vt.lines();
    expect(lines[0]).toBe("  GNU nano 6.2                       hello.txt");
    expect(nano.vt.isReverse(0, 0) && nano.vt.isReverse(0, 79)).toBe(true);
    expect(lines.slice(1, 4)).toEqual(["hello world", "second line", ""]);
    expect(lines[21]).toBe("                                [ Read 2 lines ]");
    expect(nano.vt.isReverse(21, 32)).toBe(true);
    expect(lines.slice(22)).toEqual(HELP);
    expect(nano.vt.isReverse(22, 0) && !nano.vt.isReverse(22, 3)).toBe(true);
    expect([nano.vt.row, nano.vt.col]).toEqual([1, 0]);
  });

  it("inserts what is typed, shows Modified, and writes with ^O", async () => {
    const { sh, fs } = nodeShell({ files: FILES });
    const nano = await drive(sh, "nano hello.txt");
    await nano.keys("\x1b[B\x05, again");
    const title = nano.vt.line(0);
    expect([title.indexOf("hello.txt"), title.indexOf("Modified"), title.length]).toEqual([38, 70, 80]);
    expect(nano.vt.lines()[2]).toBe("second line, again");
    await nano.keys("\x0f");
    expect(nano.vt.lines()[21]).toBe("File Name to Write: hello.txt");
    expect(nano.vt.lines()[22].startsWith("^G Help             M-D DOS Format")).toBe(true);
    await nano.keys("\r");
    expect(nano.vt.lines()[21].trim()).toBe("[ Wrote 2 lines ]");
    expect(fs.readFile("/root/hello.txt")).toBe("hello world\nsecond line, again\n");
    await nano.keys("\x18");
    expect(nano.result?.exitCode).toBe(0);
  });

  it("asks before leaving a modified buffer: Y then the file name writes, N leaves it", async () => {
    const { sh, fs } = nodeShell({ files: FILES });
    const a = await drive(sh, "nano hello.txt");
    await a.keys("X");
    await a.keys("\x18");
    expect(a.vt.lines()[21]).toBe("Save modified buffer?");
    expect(a.vt.lines().slice(22)).toEqual([" Y Yes", " N No        ^C Cancel"]);
    await a.keys("\x03");
    expect(a.vt.lines()[21].trim()).toBe("[ Cancelled ]");
    await a.keys("\x18y");
    expect(a.vt.lines()[21]).toBe("File Name to Write: hello.txt");
    await a.keys("\r");
    expect(a.result?.exitCode).toBe(0);
    expect(fs.readFile("/root/hello.txt")).toBe("Xhello world\nsecond line\n");

    const b = await drive(sh, "nano hello.txt");
    await b.keys("Y\x18n");
    expect(b.result?.exitCode).toBe(0);
    expect(fs.readFile("/root/hello.txt")).toBe("Xhello world\nsecond line\n");
  });

  it("cuts lines with ^K (a run of cuts is one cut) and pastes them with ^U", async () => {
    const { sh, fs } = nodeShell({ files: { "/root/abc.txt": "a\nb\nc\n" } });
    const nano = await drive(sh, "nano abc.txt");
    await nano.keys("\x0b\x0b");
    expect(nano.vt.lines().slice(1, 3)).toEqual(["c", ""]);
    await nano.keys("\x0e\x15");
    expect(nano.vt.lines().slice(1, 5)).toEqual(["c", "a", "b", ""]);
    await nano.keys("\x0f\r\x18");
    expect(fs.readFile("/root/abc.txt")).toBe("c\na\nb\n");
  });

  it("starts a new file, and a new buffer asks for a name", async () => {
    const { sh, fs } = nodeShell();
    const a = await drive(sh, "nano /tmp/n.txt");
    expect(a.vt.lines()[21].trim()).toBe("[ New File ]");
    await a.keys("hi\r");
    await a.keys("\x18y\r");
    expect(fs.readFile("/tmp/n.txt")).toBe("hi\n\n");

    const b = await drive(sh, "nano");
    expect(b.vt.lines()[0]).toContain("New Buffer");
    await b.keys("x\x18y");
    expect(b.vt.lines()[21]).toBe("File Name to Write:");
    await b.keys("/tmp/named.txt\r");
    expect(fs.readFile("/tmp/named.txt")).toBe("x\n");
  });

  it("searches with ^W, reports the position with ^C and goes to a line with ^/", async () => {
    const { sh } = nodeShell({ files: FILES });
    const nano = await drive(sh, "nano hello.txt");
    await nano.keys("\x17");
    expect(nano.vt.lines()[21]).toBe("Search:");
    await nano.keys("line\r");
    expect([nano.vt.row, nano.vt.col]).toEqual([2, 7]);
    await nano.keys("\x17nope\r");
    expect(nano.vt.lines()[21].trim()).toBe('[ "nope" not found ]');
    await nano.keys("\x03");
    expect(nano.vt.lines()[21].trim()).toBe("[ line 2/3 (66%), col  8/12 ( 66%), char 19/24 (79%) ]");
    await nano.keys("\x1f1,3\r");
    expect([nano.vt.row, nano.vt.col]).toEqual([1, 2]);
  });
});
