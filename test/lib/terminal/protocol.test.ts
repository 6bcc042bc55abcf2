import { describe, expect, it } from "vitest";
import { clusterView, createCluster, isIncomplete, type ClusterHandle, type ClusterView } from "@/lib/engine";
import { clampElapsed, createHandler, mightContinue, MAX_ELAPSED_MS, type EngineFactory, type Request, type Response, type TranscriptEntry } from "@/lib/terminal/protocol";

const engine: EngineFactory = { createCluster, isIncomplete };

/** A handler with its responses collected; `ask` sends a request and returns what it answered. */
function harness(factory: EngineFactory = engine) {
  const responses: Response[] = [];
  const handle = createHandler(factory, (r) => responses.push(r));
  let id = 0;
  const ask = async (request: Request) => {
    const from = responses.length;
    await handle(request);
    return responses.slice(from);
  };
  const run = async (line: string, elapsedMs = 0) => {
    const [r] = await ask({ type: "run", id: ++id, line, elapsedMs });
    if (r.type !== "result") throw new Error(`expected a result, got ${JSON.stringify(r)}`);
    return r;
  };
  return { ask, run, responses, handle };
}

describe("worker handler", () => {
  it("boots a cluster and answers with its prompt", async () => {
    const h = harness();
    const [ready] = await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    expect(ready).toMatchObject({ type: "ready", prompt: "controlplane:~$ ", replayed: 0 });
  });

  it("runs a line and answers with output, exit code and the next prompt", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    expect(await h.run("hostname")).toEqual({ type: "result", id: 1, output: "controlplane\n", exitCode: 0, prompt: "controlplane:~$ " });
    expect(await h.run("cd /etc; cat nope")).toMatchObject({ output: "cat: nope: No such file or directory\n", exitCode: 1, prompt: "controlplane:/etc$ " });
  });

  it("completes a word", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    const [answer] = await h.ask({ type: "complete", id: 7, line: "hostn", cursor: 5 });
    expect(answer).toEqual({ type: "candidates", id: 7, candidates: ["hostname"], replaceFrom: 0, replaceTo: 5 });
  });

  it("tells whether an input goes on", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    expect(await h.ask({ type: "check", id: 1, input: "cat <<EOF\nhello" })).toEqual([{ type: "checked", id: 1, incomplete: true }]);
    expect(await h.ask({ type: "check", id: 2, input: "cat <<EOF\nhello\nEOF" })).toEqual([{ type: "checked", id: 2, incomplete: false }]);
  });

  it("reset brings a fresh cluster from the same scenario and seed", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    await h.run("echo hi > /tmp/x");
    expect((await h.run("cat /tmp/x")).output).toBe("hi\n");
    const [ready] = await h.ask({ type: "reset" });
    expect(ready).toMatchObject({ type: "ready", prompt: "controlplane:~$ ", replayed: 0 });
    expect(await h.run("cat /tmp/x")).toMatchObject({ output: "cat: /tmp/x: No such file or directory\n", exitCode: 1 });
  });

  it("rebuilds the same cluster by replaying a transcript", async () => {
    const transcript = [
      { line: "cat <<EOF > /tmp/x\nhello\nEOF", elapsedMs: 4_000 },
      { line: "ssh node01", elapsedMs: 12_345 },
      { line: "cd /etc", elapsedMs: 61_000 },
      { line: "no-such-command", elapsedMs: 2_000 },
    ];
    const first = harness();
    await first.ask({ type: "init", scenario: "three-node-flannel", seed: 42 });
    const outputs = [];
    for (const entry of transcript) outputs.push(await first.run(entry.line, entry.elapsedMs));
    const probe = ["cat /tmp/x; exit", "cat /tmp/x", "date", "history"];
    const expected = [];
    for (const line of probe) expected.push(await first.run(line, 1_000));

    const second = harness();
    const [ready] = await second.ask({ type: "init", scenario: "three-node-flannel", seed: 42, transcript });
    expect(ready).toMatchObject({ type: "ready", replayed: 4, prompt: outputs.at(-1)!.prompt });
    expect(ready).toMatchObject({ prompt: "node01:/etc$ " });
    for (const [i, line] of probe.entries()) {
      const got = await second.run(line, 1_000);
      expect({ output: got.output, exitCode: got.exitCode, prompt: got.prompt }).toEqual({
        output: expected[i].output,
        exitCode: expected[i].exitCode,
        prompt: expected[i].prompt,
      });
    }
    expect(expected[1].output).toBe("hello\n");
  });

  it("runs a full-screen program: the line answers with its screen, keys step it, the last step ends the line", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    const started = await h.run("echo go; vi /tmp/hello", 500);
    expect(started).toMatchObject({ type: "result", output: "go\n", prompt: "controlplane:~$ ", program: { screen: expect.stringMatching(/^\x1b\[\?1049h/) } });
    const [typed] = await h.ask({ type: "keys", id: 2, data: "ihello", elapsedMs: 1_000 });
    expect(typed).toMatchObject({ type: "step", id: 2, running: true });
    expect((typed as { screen: string }).screen).toContain("-- INSERT --");
    const [done] = await h.ask({ type: "keys", id: 3, data: "\x1b:wq\r", elapsedMs: 1_000 });
    expect(done).toEqual({ type: "step", id: 3, screen: expect.stringMatching(/\x1b\[\?1049l$/), running: false, result: { output: "", exitCode: 0, prompt: "controlplane:~$ " } });
    expect((await h.run("cat /tmp/hello")).output).toBe("hello\n");
  });

  it("answers keys without a program as not running, and a resize with a redraw while one runs", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    expect(await h.ask({ type: "keys", id: 1, data: "ls\r", elapsedMs: 0 })).toEqual([{ type: "step", id: 1, screen: "", running: false }]);
    expect(await h.ask({ type: "resize", id: 2, rows: 30, columns: 100 })).toEqual([{ type: "step", id: 2, screen: "", running: false }]);
    await h.run("watch -n 3 date");
    const [redraw] = await h.ask({ type: "resize", id: 4, rows: 10, columns: 60 });
    expect(redraw).toMatchObject({ type: "step", running: true, wakeMs: 3_000 });
    expect((redraw as { screen: string }).screen).toMatch(/\x1b\[1;1HEvery 3\.0s: date {6}controlplane: Mon Jan 12 09:00:\d\d 2026/);
  });

  it("replays program keys from the transcript, and comes back inside a program still running", async () => {
    const transcript: TranscriptEntry[] = [
      { line: "vi /tmp/a", elapsedMs: 1_000 },
      { keys: "ione", elapsedMs: 2_000, screen: { rows: 20, columns: 60 } },
      { keys: "\x1b:wq\r", elapsedMs: 500 },
      { line: "vi /tmp/a", elapsedMs: 3_000 },
      { keys: "Atwo", elapsedMs: 700 },
    ];
    const h = harness();
    const [ready] = await h.ask({ type: "init", scenario: "single-node", seed: 1, transcript });
    expect(ready).toMatchObject({ type: "ready", replayed: 5, program: { screen: expect.stringMatching(/^\x1b\[\?1049h/) } });
    const screen = (ready as { program: { screen: string } }).program.screen;
    expect(screen).toContain("onetwo");
    expect(screen).toContain("\x1b[20;1H\x1b[1m-- INSERT --");
    const [done] = await h.ask({ type: "keys", id: 1, data: "\x1b:wq\r", elapsedMs: 0 });
    expect(done).toMatchObject({ running: false, result: { exitCode: 0 } });
    expect((await h.run("cat /tmp/a")).output).toBe("onetwo\n");
  });

  it("turns an exception inside the engine into an error line, and keeps going", async () => {
    const faulty: EngineFactory = {
      isIncomplete,
      createCluster(options) {
        const real = createCluster(options).shell();
        return {
          shell: () => ({
            ...real,
            run: (line, opts) => (line === "boom" ? Promise.reject(new TypeError("x is undefined")) : real.run(line, opts)),
            complete: (line, cursor) => (line === "boom" ? (() => { throw new Error("no"); })() : real.complete(line, cursor)),
            prompt: () => real.prompt(),
          }),
        };
      },
    };
    const h = harness(faulty);
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    expect(await h.run("boom")).toMatchObject({ output: "netlab: internal error: x is undefined\n", exitCode: 1, prompt: "controlplane:~$ " });
    expect(await h.run("hostname")).toMatchObject({ output: "controlplane\n", exitCode: 0 });
    expect(await h.ask({ type: "complete", id: 3, line: "boom", cursor: 4 })).toEqual([{ type: "candidates", id: 3, candidates: [], replaceFrom: 4, replaceTo: 4 }]);
  });

  it("reports a scenario that does not exist", async () => {
    const h = harness();
    const [answer] = await h.ask({ type: "init", scenario: "no-such-scenario", seed: 1 });
    expect(answer.type).toBe("error");
    expect((answer as { message: string }).message).toMatch(/^netlab: could not start the cluster: unknown scenario "no-such-scenario"/);
  });

  it("answers a run before init with an error for that id", async () => {
    const h = harness();
    expect(await h.ask({ type: "run", id: 9, line: "ls", elapsedMs: 0 })).toEqual([{ type: "error", id: 9, message: "netlab: the cluster is not running" }]);
  });

  it("handles requests one at a time, in order", async () => {
    const h = harness();
    void h.handle({ type: "init", scenario: "single-node", seed: 1 });
    void h.handle({ type: "run", id: 1, line: "cd /tmp", elapsedMs: 0 });
    await h.handle({ type: "complete", id: 2, line: "cat ", cursor: 4 });
    expect(h.responses.map((r) => r.type)).toEqual(["ready", "result", "candidates"]);
    expect(h.responses[1]).toMatchObject({ prompt: "controlplane:/tmp$ " });
  });
});

describe("worker handler views", () => {
  const withViews: EngineFactory<ClusterHandle> = { createCluster, isIncomplete, clusterView };
  const views = (responses: Response[]) => responses.flatMap((r) => (r.type === "view" ? [r.view] : []));

  function harness(factory: EngineFactory<ClusterHandle> = withViews) {
    const responses: Response[] = [];
    const handle = createHandler(factory, (r) => responses.push(r));
    let id = 0;
    const ask = async (request: Request) => {
      const from = responses.length;
      await handle(request);
      return responses.slice(from);
    };
    const run = (line: string, elapsedMs = 1_000) => ask({ type: "run", id: ++id, line, elapsedMs });
    return { ask, run };
  }

  it("posts the cluster's view after ready, and it is the engine's view of that cluster", async () => {
    const h = harness();
    const answers = await h.ask({ type: "init", scenario: "three-node-calico", seed: 1 });
    expect(answers.map((r) => r.type)).toEqual(["ready", "view"]);
    expect(views(answers)[0]).toEqual(clusterView(createCluster({ scenario: "three-node-calico", seed: 1 })));
  });

  it("posts a view after a result only when the cluster looks different", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    expect((await h.run("echo nothing to see")).map((r) => r.type)).toEqual(["result"]);
    await h.run("kubectl create deployment web --image=nginx --replicas=2");
    const after = await h.run("kubectl get pods", 30_000);
    expect(after.map((r) => r.type)).toEqual(["result", "view"]);
    const [view] = views(after);
    const web = view.pods.filter((p) => p.name.startsWith("web-"));
    expect(web.map((p) => p.status)).toEqual(["Running", "Running"]);
    // The table the learner saw and the picture agree.
    const table = (after[0] as { output: string }).output;
    for (const pod of web) expect(table).toMatch(new RegExp(`^${pod.name}\\s+1/1\\s+Running`, "m"));
    expect((await h.ask({ type: "complete", id: 50, line: "kubectl get po", cursor: 14 })).map((r) => r.type)).toEqual(["candidates"]);
    expect((await h.ask({ type: "check", id: 51, input: "ls" })).map((r) => r.type)).toEqual(["checked"]);
  });

  it("posts views from a running program's steps (watch) as time passes in it", async () => {
    const h = harness();
    await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    await h.run("kubectl run web --image=nginx");
    const started = await h.run("watch kubectl get pods", 500);
    expect(started[0]).toMatchObject({ type: "result", program: expect.anything() });
    const ticks: Response[] = [];
    for (let i = 0; i < 10; i++) ticks.push(...(await h.ask({ type: "keys", id: 100 + i, data: "", elapsedMs: 2_000 })));
    const seen = views([...started, ...ticks]).map((v) => v.pods.find((p) => p.name === "web")?.status);
    expect(seen.at(-1)).toBe("Running");
    expect(seen).toContain("ContainerCreating");
  });

  it("posts the fresh cluster's view after a reset, and nothing when the replayed cluster looks the same", async () => {
    const h = harness();
    const [, first] = await h.ask({ type: "init", scenario: "single-node", seed: 1 });
    await h.run("kubectl run web --image=nginx; sleep 20");
    const reset = await h.ask({ type: "reset" });
    expect(reset.map((r) => r.type)).toEqual(["ready", "view"]);
    expect(views(reset)[0]).toEqual((first as { view: ClusterView }).view);
    expect((await h.ask({ type: "reset" })).map((r) => r.type)).toEqual(["ready"]);
  });

  it("keeps running commands when the view cannot be read", async () => {
    const h = harness({
      createCluster,
      isIncomplete,
      clusterView: () => {
        throw new Error("unreadable");
      },
    });
    expect((await h.ask({ type: "init", scenario: "single-node", seed: 1 })).map((r) => r.type)).toEqual(["ready"]);
    expect(await h.run("hostname")).toEqual([{ type: "result", id: 1, output: "controlplane\n", exitCode: 0, prompt: "controlplane:~$ " }]);
  });
});

describe("clampElapsed and mightContinue", () => {
  it.each([
    [-5, 0],
    [Number.NaN, 0],
    [1234.6, 1235],
    [MAX_ELAPSED_MS + 1, MAX_ELAPSED_MS],
  ])("clampElapsed(%s) = %s", (input, output) => {
    expect(clampElapsed(input)).toBe(output);
  });

  it.each([
    ["hostname", false],
    ["kubectl get pods -A -o wide", false],
    ["ls /etc | grep -c a", false],
    ["echo 'a", true],
    ["cat <<EOF", true],
    ["echo a \\", true],
    ["ls |", true],
    ["true &&", true],
    ["for i in 1 2", true],
    ["if true; then", true],
    ["{ echo", true],
    ["[[ -f x", true],
  ])("mightContinue(%j) = %s", (input, expected) => {
    expect(mightContinue(input)).toBe(expected);
    // Never false where the parser says the input goes on.
    if (isIncomplete(input)) expect(mightContinue(input)).toBe(true);
  });
});
