import { describe, expect, it } from "vitest";
import { nodeShell } from "../helpers";
import { drive } from "./drive";

describe("full-screen programs in a shell session", () => {
  it("pauses the line for the program and goes on after it", async () => {
    const { sh } = nodeShell();
    const vi = await drive(sh, "echo before; vi /tmp/a; echo after $?");
    expect(vi.started).toMatchObject({ output: "before\n", stdout: "before\n", program: { screen: expect.stringMatching(/^\x1b\[\?1049h/) } });
    expect(sh.programRunning).toBe(true);
    await vi.keys(":q\r");
    expect(vi.result).toMatchObject({ output: "after 0\n", stdout: "after 0\n", exitCode: 0 });
    expect(sh.programRunning).toBe(false);
    expect(sh.history()).toEqual(["echo before; vi /tmp/a; echo after $?"]);
  });

  it("runs one program after another in the same line, the normal screen in between", async () => {
    const { sh } = nodeShell();
    const vi = await drive(sh, "vi /tmp/a; echo between; vi /tmp/b");
    const step = await vi.keys(":q\r");
    expect(step.running).toBe(true);
    expect(step.screen).toMatch(/^.*\x1b\[\?1049lbetween\r\n\x1b\[\?1049h/s);
    expect(vi.status.startsWith('"/tmp/b" [New]')).toBe(true);
    await vi.keys(":q\r");
    expect(vi.result).toMatchObject({ output: "", exitCode: 0 });
  });

  it("refuses a new line while a program runs, and ignores keys when none does", async () => {
    const { sh } = nodeShell();
    expect(await sh.input("abc", { elapsedMs: 5_000 })).toEqual({ screen: "", running: false });
    const vi = await drive(sh, "vi /tmp/a");
    expect(await sh.run("ls")).toMatchObject({ exitCode: 1, stderr: "bash: a full-screen program is running: send it keys with input()\n" });
    await vi.keys(":q\r");
    expect((await sh.run("echo ok")).stdout).toBe("ok\n");
  });

  it("lets virtual time pass with the keys", async () => {
    const { sh, clock } = nodeShell();
    const start = clock.now();
    const vi = await drive(sh, "vi /tmp/a", { elapsedMs: 1_000 });
    await vi.keys("i", 2_000);
    await vi.keys("x\x1b", 3_000);
    await vi.keys(":q!\r", 4_000);
    expect(clock.now() - start).toBe(10_000);
  });

  it("redraws the program when the terminal changes size, and ls uses the width", async () => {
    const { sh } = nodeShell({ files: { "/root/x.txt": "abc\n" } });
    const vi = await drive(sh, "vi x.txt");
    const redraw = await sh.resize(40, 10);
    expect(redraw.running).toBe(true);
    expect(redraw.screen).toContain("\x1b[H\x1b[2J");
    expect(redraw.screen).toContain("\x1b[10;1H");
    expect(redraw.screen).toContain("1,1           All");
    await vi.keys(":q\r");
    expect((await sh.resize(100, 30)).running).toBe(false);
  });

  it("replays the same keys at the same times into the same bytes", async () => {
    const play = async () => {
      const { sh, fs } = nodeShell({ files: { "/root/x.txt": "one\ntwo\n" } });
      const bytes: string[] = [];
      const vi = await drive(sh, "vi x.txt; watch -n 1 'date; cat x.txt'", { elapsedMs: 700 });
      for (const [keys, ms] of [["jdd", 1_200], ["u", 3_000], ["Otop", 400], ["\x1b", 90], [":wq\r", 2_000], ["", 1_000], ["", 1_500], ["\x03", 10]] as const) {
        await vi.keys(keys, ms);
      }
      bytes.push(...vi.bytes);
      return { bytes: bytes.join(""), file: fs.readFile("/root/x.txt") };
    };
    const first = await play();
    const second = await play();
    expect(second).toEqual(first);
    expect(first.file).toBe("one\ntop\ntwo\n");
    expect(first.bytes).toContain("09:00:07");
  });
});
