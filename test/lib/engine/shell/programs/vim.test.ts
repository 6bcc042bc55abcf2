import { describe, expect, it } from "vitest";
import { nodeShell } from "../helpers";
import { drive } from "./drive";

const FILES = {
  "/root/hello.txt": "hello world\nsecond line\n",
  "/root/words.txt": "one two three\nfour five six\nseven eight nine\n",
  "/root/web.yaml": "spec:\n  replicas: 2\n  template:\n",
};

function shell(files: Record<string, string> = FILES) {
  return nodeShell({ files });
}

/** The ruler part of vim's last line (columns 63-79 on 80 columns). */
const ruler = (status: string) => status.slice(62).trimEnd();
/** The message part of vim's last line (before the ruler). */
const message = (status: string) => status.slice(0, 62).trimEnd();

describe("vi", () => {
  it("opens a file on the alternate screen, with ~ past the end, the file info and the ruler", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi hello.txt");
    expect(vi.started.program?.screen.startsWith("\x1b[?1049h")).toBe(true);
    expect(vi.vt.alternate).toBe(true);
    const lines = vi.vt.lines();
    expect(lines.slice(0, 4)).toEqual(["hello world", "second line", "~", "~"]);
    expect(lines.slice(2, 23).every((l) => l === "~")).toBe(true);
    expect(vi.status).toBe(`"hello.txt" 2L, 24B${" ".repeat(43)}1,1           All`);
    expect([vi.vt.row, vi.vt.col]).toEqual([0, 0]);
  });

  it("edits, writes and quits: the file changes and the prompt comes back", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi hello.txt");
    await vi.keys("j");
    await vi.keys("A");
    expect(vi.status.startsWith("-- INSERT --")).toBe(true);
    await vi.keys("!!!");
    expect(ruler(vi.status)).toBe("2,15          All");
    await vi.keys("\x1b");
    expect(vi.status.trim()).toBe("2,14          All");
    await vi.keys(":wq");
    expect(vi.status).toBe(":wq");
    const end = await vi.keys("\r");
    expect(end.running).toBe(false);
    expect(end.screen.endsWith("\x1b[?1049l")).toBe(true);
    expect(vi.result).toMatchObject({ exitCode: 0, output: "" });
    expect(vi.vt.alternate).toBe(false);
    expect(fs.readFile("/root/hello.txt")).toBe("hello world\nsecond line!!!\n");
    expect(sh.programRunning).toBe(false);
  });

  it("refuses :q with unsaved changes (E37), and :q! leaves them", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi hello.txt");
    await vi.keys("x");
    await vi.keys(":q\r");
    expect(message(vi.status)).toBe("E37: No write since last change (add ! to override)");
    expect(vi.result).toBeUndefined();
    await vi.keys(":q!\r");
    expect(vi.result?.exitCode).toBe(0);
    expect(fs.readFile("/root/hello.txt")).toBe(FILES["/root/hello.txt"]);
  });

  it("creates a new file: [New], then written with its line and byte counts", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi /tmp/new.txt");
    expect(vi.status.startsWith('"/tmp/new.txt" [New]')).toBe(true);
    expect(ruler(vi.status)).toBe("0,0-1         All");
    await vi.keys("ihello");
    await vi.keys("\x1b");
    await vi.keys(":w\r");
    expect(vi.status.startsWith('"/tmp/new.txt" [New] 1L, 6B written')).toBe(true);
    await vi.keys(":q\r");
    expect(fs.readFile("/tmp/new.txt")).toBe("hello\n");
  });

  it("says E492 for an unknown command and E32 without a file name", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vim");
    expect(vi.vt.text()).toContain("VIM - Vi IMproved");
    await vi.keys(":foo bar\r");
    expect(message(vi.status)).toBe("E492: Not an editor command: foo bar");
    await vi.keys("ihi\x1b");
    expect(vi.vt.text()).not.toContain("VIM - Vi IMproved");
    await vi.keys(":wq\r");
    expect(message(vi.status)).toBe("E32: No file name");
    await vi.keys(":w /tmp/named\r");
    expect(vi.status.startsWith('"/tmp/named" [New] 1L, 3B written')).toBe(true);
    await vi.keys(":wq\r");
    expect(vi.result?.exitCode).toBe(0);
  });

  it("ZZ writes and quits; :x only writes a modified buffer", async () => {
    const { sh, fs } = shell();
    fs.touch("/root/hello.txt", 0);
    const a = await drive(sh, "vi hello.txt");
    await a.keys(":x\r");
    expect(fs.stat("/root/hello.txt").mtime).toBe(0);
    const b = await drive(sh, "vi hello.txt");
    await b.keys("ddZZ");
    expect(b.result?.exitCode).toBe(0);
    expect(fs.readFile("/root/hello.txt")).toBe("second line\n");
  });

  it("deletes, yanks and puts lines; undo and redo say what they did", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi words.txt");
    await vi.keys("dd");
    expect(vi.vt.lines().slice(0, 3)).toEqual(["four five six", "seven eight nine", "~"]);
    await vi.keys("p");
    expect(vi.vt.lines().slice(0, 3)).toEqual(["four five six", "one two three", "seven eight nine"]);
    await vi.keys("u", 3_000);
    expect(vi.vt.lines().slice(0, 3)).toEqual(["four five six", "seven eight nine", "~"]);
    expect(message(vi.status)).toBe("1 line less; before #2  3 seconds ago");
    await vi.keys("\x12");
    expect(message(vi.status)).toBe("1 more line; after #2  3 seconds ago");
    await vi.keys("\x12");
    expect(vi.status.startsWith("Already at newest change")).toBe(true);
    expect(vi.vt.lines().slice(0, 3)).toEqual(["four five six", "one two three", "seven eight nine"]);
    await vi.keys("ggyyGp");
    expect(vi.vt.lines().slice(0, 4)).toEqual(["four five six", "one two three", "seven eight nine", "four five six"]);
    await vi.keys("uuuu");
    expect(vi.status.startsWith("Already at oldest change")).toBe(true);
    await vi.keys(":wq\r");
    expect(fs.readFile("/root/words.txt")).toBe(FILES["/root/words.txt"]);
  });

  it("moves by words, line ends and lines; counts repeat", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi words.txt");
    const at = () => [vi.vt.row, vi.vt.col];
    await vi.keys("w");
    expect(at()).toEqual([0, 4]);
    await vi.keys("2w");
    expect(at()).toEqual([1, 0]);
    await vi.keys("b");
    expect(at()).toEqual([0, 8]);
    await vi.keys("w");
    expect(at()).toEqual([1, 0]);
    await vi.keys("$");
    expect(at()).toEqual([1, 12]);
    await vi.keys("b");
    expect(at()).toEqual([1, 10]);
    await vi.keys("e");
    expect(at()).toEqual([1, 12]);
    await vi.keys("0");
    expect(at()).toEqual([1, 0]);
    await vi.keys("G");
    expect(at()).toEqual([2, 0]);
    await vi.keys("gg");
    expect(at()).toEqual([0, 0]);
    await vi.keys("2j");
    expect(at()).toEqual([2, 0]);
    await vi.keys("\x1b[A\x1b[C");
    expect(at()).toEqual([1, 1]);
    await vi.keys("fv");
    expect(at()).toEqual([1, 7]);
  });

  it("changes and deletes with operators: cw, dw at a line's end, D, 3x, J, r, ~ and .", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi words.txt");
    await vi.keys("cwONE\x1b");
    await vi.keys("w.");
    await vi.keys("wdw");
    expect(vi.vt.lines()[0]).toBe("ONE ONE");
    await vi.keys("j0D");
    expect(vi.vt.lines()[1]).toBe("");
    await vi.keys("j3x");
    expect(vi.vt.lines()[2]).toBe("en eight nine");
    await vi.keys("kkJ");
    expect(vi.vt.lines()[0]).toBe("ONE ONE");
    await vi.keys("u");
    await vi.keys("0r1l~");
    expect(vi.vt.lines()[0]).toBe("1nE ONE");
    await vi.keys(":wq\r");
    expect(fs.readFile("/root/words.txt")).toBe("1nE ONE \n\nen eight nine\n");
  });

  it("opens lines with o and O; YAML files indent as the yaml ftplugin does", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi web.yaml");
    await vi.keys("jo");
    await vi.keys("paused: true\x1b");
    await vi.keys("jo");
    await vi.keys("spec:\x1b");
    await vi.keys("Ofoo\x1b");
    await vi.keys(":wq\r");
    expect(fs.readFile("/root/web.yaml")).toBe("spec:\n  replicas: 2\n  paused: true\n  template:\n    foo\n    spec:\n");
  });

  it("searches forward and back, wraps with a warning, and says E486 when nothing matches", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi words.txt");
    await vi.keys("/e");
    expect(vi.status).toBe("/e");
    await vi.keys("\r");
    expect([vi.vt.row, vi.vt.col]).toEqual([0, 2]);
    await vi.keys("n");
    expect([vi.vt.row, vi.vt.col]).toEqual([0, 11]);
    await vi.keys("G$n");
    expect([vi.vt.row, vi.vt.col]).toEqual([0, 2]);
    expect(vi.status.startsWith("search hit BOTTOM, continuing at TOP")).toBe(true);
    await vi.keys("?six\r");
    expect([vi.vt.row, vi.vt.col]).toEqual([1, 10]);
    await vi.keys("/nope\r");
    expect(vi.status.startsWith("E486: Pattern not found: nope")).toBe(true);
  });

  it("substitutes with :s and :%s, reporting more than two changes", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi words.txt");
    await vi.keys(":s/o/0/g\r");
    expect(vi.vt.lines()[0]).toBe("0ne tw0 three");
    await vi.keys(":%s/e/E/g\r");
    expect(message(vi.status)).toBe("8 substitutions on 3 lines");
    await vi.keys(":2,3s/\\(f\\w*\\)/[\\1]/\r");
    expect(vi.vt.lines()[1]).toBe("[four] fivE six");
    await vi.keys(":%s/zzz/y/\r");
    expect(vi.status.startsWith("E486: Pattern not found: zzz")).toBe(true);
    await vi.keys(":wq\r");
    expect(fs.readFile("/root/words.txt")).toBe("0nE tw0 thrEE\n[four] fivE six\nsEvEn Eight ninE\n");
  });

  it("shows line numbers with :set nu, and refuses unknown options", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi hello.txt");
    await vi.keys(":set nu\r");
    expect(vi.vt.lines().slice(0, 2)).toEqual(["  1 hello world", "  2 second line"]);
    expect([vi.vt.row, vi.vt.col]).toEqual([0, 4]);
    await vi.keys(":set nonu\r");
    expect(vi.vt.lines()[0]).toBe("hello world");
    await vi.keys(":set bogus\r");
    expect(message(vi.status)).toBe("E518: Unknown option: bogus");
  });

  it("scrolls a long file, keeping five lines of context, and the ruler says where", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const { sh } = shell({ "/root/long.txt": text });
    const vi = await drive(sh, "vi long.txt");
    expect(ruler(vi.status)).toBe("1,1           Top");
    await vi.keys("18j");
    expect(vi.vt.lines()[0]).toBe("line 2");
    expect(ruler(vi.status)).toBe("19,1           1%");
    await vi.keys("G");
    expect(vi.vt.lines()[22]).toBe("line 100");
    expect(ruler(vi.status)).toBe("100,1         Bot");
    await vi.keys(":50\r");
    expect(vi.vt.row).toBe(11);
  });

  it("wraps long lines and draws what does not fit as @", async () => {
    const { sh } = shell({ "/root/wide.txt": "x".repeat(100) + "\nnext\n" });
    const vi = await drive(sh, "vi wide.txt");
    expect(vi.vt.lines().slice(0, 3)).toEqual(["x".repeat(80), "x".repeat(20), "next"]);
    await vi.keys("$");
    expect([vi.vt.row, vi.vt.col]).toEqual([1, 19]);
  });

  it("warns with Ctrl-C how to leave, and beeps on Esc in normal mode", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi hello.txt");
    await vi.keys("\x03");
    expect(vi.status).toBe("Type  :qa!  and press <Enter> to abandon all changes and exit Vim");
    const step = await vi.keys("\x1b");
    expect(step.screen.startsWith("\x07")).toBe(true);
  });

  it("is vim too, and fails on unknown options as vim does", async () => {
    const { sh } = shell();
    expect((await sh.run("vim -z")).stderr).toBe('VIM - Vi IMproved 8.2 (2019 Dec 12, compiled Oct 01 2021 01:51:08)\nUnknown option argument: "-z"\nMore info with: "vim -h"\n');
    expect((await sh.run("which vi vim")).stdout).toBe("/usr/bin/vi\n/usr/bin/vim\n");
    const vi = await drive(sh, "vim +2 hello.txt");
    expect(vi.vt.row).toBe(1);
  });

  it("opens read-only with -R and refuses to write without !", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi -R hello.txt");
    expect(vi.status.startsWith('"hello.txt" [readonly] 2L, 24B')).toBe(true);
    await vi.keys(":w\r");
    expect(message(vi.status)).toBe("E45: 'readonly' option is set (add ! to override)");
  });

  it("says a write into a missing directory fails (E212)", async () => {
    const { sh } = shell();
    const vi = await drive(sh, "vi /nope/x.txt");
    expect(vi.status.startsWith('"/nope/x.txt" [New DIRECTORY]')).toBe(true);
    await vi.keys("ihi\x1b:w\r");
    expect(message(vi.status)).toBe('"/nope/x.txt" E212: Can\'t open file for writing');
  });

  it("takes pasted text in insert mode, line breaks and all", async () => {
    const { sh, fs } = shell();
    const vi = await drive(sh, "vi /tmp/p.txt");
    await vi.keys("i");
    await vi.keys("\x1b[200~a: 1\nb: 2\x1b[201~");
    await vi.keys("\x1b:wq\r");
    expect(fs.readFile("/tmp/p.txt")).toBe("a: 1\nb: 2\n");
  });
});
