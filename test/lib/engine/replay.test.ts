import { describe, expect, it } from "vitest";
import { createCluster, MAX_ELAPSED_MS, replayTranscript, type InputResult, type RunResult, type Shell, type TranscriptEntry } from "@/lib/engine";

type Call = [string, ...unknown[]];

/** A shell that records what it is asked and answers as told. */
function recordingShell(answer: (call: Call) => Partial<RunResult & InputResult> | Error = () => ({})): { shell: Shell; calls: Call[] } {
  const calls: Call[] = [];
  const respond = async (call: Call) => {
    calls.push(call);
    const a = answer(call);
    if (a instanceof Error) throw a;
    return { output: "", stdout: "", stderr: "", exitCode: 0, screen: "", running: false, ...a } as RunResult & InputResult;
  };
  const shell: Shell = {
    run: (line, options) => respond(["run", line, options?.elapsedMs]),
    input: (data, options) => respond(["input", data, options?.elapsedMs]),
    resize: (screen) => respond(["resize", screen]),
    complete: () => ({ candidates: [], replaceFrom: 0, replaceTo: 0 }),
    prompt: () => "$ ",
  };
  return { shell, calls };
}

describe("replayTranscript", () => {
  it("runs lines and program keys in order, with elapsed time clamped as the live terminal clamps it", async () => {
    const { shell, calls } = recordingShell();
    const entries: TranscriptEntry[] = [
      { line: "hostname", elapsedMs: 1500.4 },
      { line: "sleep 1", elapsedMs: -3 },
      { keys: "ix", elapsedMs: Number.NaN, screen: { rows: 30, columns: 100 } },
      { keys: "\x1b", elapsedMs: MAX_ELAPSED_MS * 5 },
    ];
    const result = await replayTranscript(shell, entries);
    expect(calls).toEqual([
      ["run", "hostname", 1500],
      ["run", "sleep 1", 0],
      ["resize", { rows: 30, columns: 100 }],
      ["input", "ix", 0],
      ["input", "\x1b", MAX_ELAPSED_MS],
    ]);
    expect(result).toEqual({ replayed: 4, stopped: false, running: false, wakeMs: undefined, size: { rows: 30, columns: 100 } });
  });

  it("reports a full-screen program still running at the end, and when it wants a tick", async () => {
    const { shell } = recordingShell(([kind]) => (kind === "run" ? { program: { screen: "…", wakeMs: 2000 } } : {}));
    const result = await replayTranscript(shell, [{ line: "watch kubectl get pods", elapsedMs: 0 }], { size: { rows: 40, columns: 120 } });
    expect(result).toMatchObject({ running: true, wakeMs: 2000, size: { rows: 40, columns: 120 } });
  });

  it("passes over an entry that throws, as it failed the first time", async () => {
    const { shell, calls } = recordingShell(([, line]) => (line === "boom" ? new Error("internal") : {}));
    const result = await replayTranscript(shell, [{ line: "boom", elapsedMs: 0 }, { line: "after", elapsedMs: 0 }]);
    expect(calls.map((c) => c[1])).toEqual(["boom", "after"]);
    expect(result.replayed).toBe(2);
  });

  it("ends when `stop` says so after an entry, and says it stopped", async () => {
    const { shell, calls } = recordingShell();
    let asked = 0;
    const result = await replayTranscript(shell, Array.from({ length: 5 }, (_, i) => ({ line: `echo ${i}`, elapsedMs: 0 })), { stop: () => ++asked >= 2 });
    expect(calls.map((c) => c[1])).toEqual(["echo 0", "echo 1"]);
    expect(result).toMatchObject({ replayed: 2, stopped: true });
  });

  it("ends the whole replay when the cluster's interrupt stops a command", async () => {
    let asked = 0;
    const shell = createCluster({ scenario: "single-node", seed: 1, interrupt: () => ++asked > 50 }).shell();
    const replay = replayTranscript(shell, [{ line: "sleep 100000", elapsedMs: 0 }, { line: "touch /root/after", elapsedMs: 0 }]);
    await expect(replay).rejects.toMatchObject({ name: "InterruptedError" });
    // Stopped at once: asked a few more times on the way out, never for the second entry's work.
    expect(asked).toBeLessThan(60);
    expect(await shell.run("ls /root").catch((e: Error) => e.name)).toBe("InterruptedError");
  });

  it("rebuilds the same cluster from the same transcript", async () => {
    const entries: TranscriptEntry[] = [
      { line: "kubectl create deployment web --image=nginx --replicas=2", elapsedMs: 4000 },
      { line: "kubectl expose deployment web --port=80", elapsedMs: 9000 },
      { line: "sleep 20", elapsedMs: 1000 },
    ];
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const shell = createCluster({ scenario: "single-node", seed: 5 }).shell();
      await replayTranscript(shell, entries);
      outputs.push((await shell.run("kubectl get pods,svc -o wide")).output);
    }
    expect(outputs[0]).toContain("web-");
    expect(outputs[1]).toBe(outputs[0]);
  });
});
