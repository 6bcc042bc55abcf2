import { describe, expect, it } from "vitest";
import { nodeShell } from "../helpers";
import { drive } from "./drive";

describe("watch", () => {
  it("shows procps' header, a blank line and the output, and says when it runs next", async () => {
    const { sh } = nodeShell();
    const w = await drive(sh, "watch date");
    const lines = w.vt.lines();
    expect(lines[0]).toBe(`Every 2.0s: date${" ".repeat(26)}controlplane: Mon Jan 12 09:00:00 2026`);
    expect(lines[0].length).toBe(80);
    expect(lines.slice(1, 4)).toEqual(["", "Mon Jan 12 09:00:00 UTC 2026", ""]);
    expect(w.started.program?.wakeMs).toBe(2000);
  });

  it("runs again once the interval has passed on the virtual clock, and Ctrl-C leaves", async () => {
    const { sh } = nodeShell();
    const w = await drive(sh, "watch -n 5 'date +%T; echo oops >&2'");
    expect(w.vt.lines().slice(2, 4)).toEqual(["09:00:00", "oops"]);
    const early = await w.keys("", 3_000);
    expect(early).toMatchObject({ screen: "", running: true, wakeMs: 2_000 });
    const due = await w.keys("", 2_500);
    expect(due.wakeMs).toBe(5_000);
    expect(w.vt.lines()[0]).toMatch(/^Every 5\.0s: date \+%T; echo oops >&2 +controlplane: Mon Jan 12 09:00:05 2026$/);
    expect(w.vt.lines()[2]).toBe("09:00:05");
    await w.keys("q");
    expect(w.result).toBeUndefined();
    const end = await w.keys("\x03", 100);
    expect(end).toMatchObject({ running: false, screen: "\x1b[?1049l" });
    expect(w.result).toMatchObject({ exitCode: 0, output: "" });
    expect((await sh.run("echo $?")).stdout).toBe("0\n");
  });

  it("leaves out the header with -t, and wraps long lines at the screen's width", async () => {
    const { sh } = nodeShell();
    const w = await drive(sh, `watch -t -n 0.01 echo ${"x".repeat(100)}`);
    expect(w.vt.lines().slice(0, 2)).toEqual(["x".repeat(80), "x".repeat(20)]);
    expect(w.started.program?.wakeMs).toBe(100);
  });

  it("leaves when the output changes with -g", async () => {
    const { sh } = nodeShell();
    const w = await drive(sh, "watch -g -n 1 date");
    await w.keys("", 1_000);
    expect(w.result?.exitCode).toBe(0);
  });

  it("fails like procps on bad arguments", async () => {
    const { sh } = nodeShell();
    const usage = (await sh.run("watch")).stderr;
    expect(usage.startsWith("\nUsage:\n watch [options] command\n")).toBe(true);
    expect(await sh.run("watch -n abc date")).toMatchObject({ stderr: "watch: failed to parse argument: 'abc'\n", exitCode: 1 });
    expect((await sh.run("watch -z date")).stderr.startsWith("watch: invalid option -- 'z'\n\nUsage:")).toBe(true);
    expect((await sh.run("watch -v")).stdout).toBe("watch from procps-ng 3.3.17\n");
    expect((await sh.run("watch -d date")).stderr).toBe("watch: --differences is not supported here\n");
  });

  it("completes the watched command as if it stood alone", async () => {
    const { sh } = nodeShell();
    expect(sh.complete("watch -n 5 dat", 14).candidates).toEqual(["date"]);
  });
});
