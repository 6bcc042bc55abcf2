/**
 * A location's exit hook (`LocationInit.onExit`): what `kubectl run -it` finishes with once the
 * learner leaves the container's shell. It runs once, after the location's exit message, with
 * exit's status; what it prints follows, in order, and its exit code becomes `$?`.
 */
import { describe, expect, it } from "vitest";
import { createCoreRegistry, FileSystem, type Command, type CommandResult, type LocationExitHook } from "@/lib/engine/shell";
import { nodeShell } from "./helpers";

/** Records the statuses it is told about and answers with status + 100. */
class RecordingHook implements LocationExitHook {
  readonly statuses: number[] = [];

  async left(status: number): Promise<CommandResult> {
    this.statuses.push(status);
    return { stdout: "done\n", stderr: "", exitCode: status + 100, chunks: [{ fd: 2, text: "first\n" }, { fd: 1, text: "done\n" }] };
  }
}

/** `enter`: moves the session into a bare location that carries the hook. */
function enter(hook: LocationExitHook): Command {
  return {
    name: "enter",
    summary: "enter a location with an exit hook",
    usage: "enter",
    spec: { flags: [] },
    run(_args, ctx) {
      const fs = new FileSystem(ctx.clock);
      fs.mkdirp("/root");
      ctx.session.pushLocation({ host: { name: "inner", user: "root", uid: 0, gid: 0, home: "/root" }, fs, commands: createCoreRegistry(), ps1: "inner$ ", exitMessage: "bye\n", onExit: hook });
      return { stdout: "", stderr: "", exitCode: 0 };
    },
  };
}

describe("location exit hook", () => {
  it("runs after the exit message with exit's status; its output follows in order and its code becomes $?", async () => {
    const hook = new RecordingHook();
    const { sh } = nodeShell({ extra: [enter(hook)] });
    await sh.run("enter");
    expect(sh.prompt()).toBe("inner$ ");
    const left = await sh.run("false; exit");
    expect(hook.statuses).toEqual([1]);
    expect(left).toMatchObject({ output: "bye\nfirst\ndone\n", stdout: "done\n", stderr: "bye\nfirst\n", exitCode: 101 });
    expect(sh.prompt()).toBe("controlplane:~$ ");
    expect((await sh.run("echo $?")).stdout).toBe("101\n");
  });

  it("runs once, and not for locations left by a subshell's exit", async () => {
    const hook = new RecordingHook();
    const { sh } = nodeShell({ extra: [enter(hook)] });
    await sh.run("enter");
    expect((await sh.run("(exit 7); echo $?")).stdout).toBe("7\n");
    expect(hook.statuses).toEqual([]);
    await sh.run("exit 2; echo after");
    expect(hook.statuses).toEqual([2]);
    await sh.run("exit");
    expect(hook.statuses).toEqual([2]);
  });
});
