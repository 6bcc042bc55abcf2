import { describe, expect, it } from "vitest";
import { createCluster, isIncomplete } from "@/lib/engine";
import type { WorkerLike } from "@/lib/terminal/client";
import { memoryStore, boundScreen, type SessionStore } from "@/lib/terminal/persistence";
import { createHandler, type Request, type Response, type TransportRequest } from "@/lib/terminal/protocol";
import { claimEngine, prepareEngine, releaseEngine } from "@/lib/terminal/prepare";
import { TerminalSession, type SessionStatus } from "@/lib/terminal/session";
import { Screen } from "./screen";
import { VirtualTerminal } from "../engine/shell/programs/vt";

/** A worker in this thread: the real handler behind an asynchronous message boundary. */
function inProcessWorker(): WorkerLike {
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(request: Request | TransportRequest) {
      // The BroadcastChannel fast path is the real worker's business (worker.ts).
      if (request.type === "connect") return;
      queueMicrotask(() => void handle(structuredClone(request)));
    },
    terminate() {},
  };
  const handle = createHandler({ createCluster, isIncomplete }, (response: Response) =>
    setTimeout(() => worker.onmessage?.({ data: structuredClone(response) } as MessageEvent<Response>), 0),
  );
  return worker;
}

const settle = async (times = 20) => {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
};

function open(store: SessionStore, clock = { t: 0 }) {
  const screen = new Screen(80);
  const statuses: SessionStatus[] = [];
  const engine = claimEngine({ key: "lesson:test", scenario: "single-node", seed: 1 }, inProcessWorker, store);
  const client = { dispose: () => releaseEngine(engine) };
  const session = new TerminalSession({
    terminal: { write: (d) => void screen.write(d), cols: 80 },
    engine,
    now: () => clock.t,
    onStatus: (s) => statuses.push(s),
  });
  return { screen, session, statuses, client };
}

async function type(session: TerminalSession, text: string) {
  session.input(text);
  await settle();
}

describe("TerminalSession", () => {
  it("boots, runs what is typed, and shows it", async () => {
    const { screen, session, statuses, client } = open(memoryStore());
    await session.start();
    expect(statuses.map((s) => s.state)).toEqual(["booting", "ready"]);
    expect(screen.lines()).toEqual(["controlplane:~$"]);
    await type(session, "hostname\r");
    expect(screen.lines()).toEqual(["controlplane:~$ hostname", "controlplane", "controlplane:~$"]);
    client.dispose();
  });

  it("sends the real time between inputs, capped at ten minutes", async () => {
    const clock = { t: 1_000 };
    const { session, client } = open(memoryStore(), clock);
    await session.start();
    clock.t += 2_500;
    await type(session, "true\r");
    clock.t += 3_600_000;
    await type(session, "date\r");
    expect(session.transcript).toEqual([
      { line: "true", elapsedMs: 2_500 },
      { line: "date", elapsedMs: 600_000 },
    ]);
    client.dispose();
  });

  it("comes back after a reload: the scrollback and the same cluster", async () => {
    const store = memoryStore();
    const first = open(store);
    await first.session.start();
    await type(first.session, "\x1b[200~cat <<EOF > /tmp/x\nhello\nEOF\n\x1b[201~");
    await type(first.session, "cd /tmp\r");
    const before = first.screen.lines();
    first.session.dispose();
    first.client.dispose();

    const second = open(store);
    await second.session.start();
    expect(second.statuses.map((s) => s.state)).toEqual(["restoring", "ready"]);
    expect(second.screen.lines()).toEqual(before);
    await type(second.session, "cat x\r");
    expect(second.screen.lines().slice(-2)).toEqual(["hello", "controlplane:/tmp$"]);
    // History came back too.
    await type(second.session, "\x1b[A\x1b[A");
    expect(second.screen.lines().at(-1)).toBe("controlplane:/tmp$ cd /tmp");
    second.client.dispose();
  });

  it("reset forgets the session and starts a fresh cluster", async () => {
    const store = memoryStore();
    const { session, screen, client } = open(store);
    await session.start();
    await type(session, "echo hi > /tmp/x\r");
    await session.reset();
    expect(await store.load("lesson:test")).toBeNull();
    await type(session, "cat /tmp/x\r");
    expect(screen.lines().slice(-2)).toEqual(["cat: /tmp/x: No such file or directory", "controlplane:~$"]);
    client.dispose();
  });

  it("types text from the lesson, even before the cluster is up", async () => {
    const { session, screen, client } = open(memoryStore());
    session.type("ip netns add red");
    await session.start();
    expect(screen.lines()).toEqual(["controlplane:~$ ip netns add red"]);
    client.dispose();
  });
});

describe("TerminalSession with full-screen programs", () => {
  function openVT(store: SessionStore, clock = { t: 0 }) {
    const vt = new VirtualTerminal(24, 80);
    const engine = claimEngine({ key: "lesson:programs", scenario: "single-node", seed: 1 }, inProcessWorker, store);
    const session = new TerminalSession({ terminal: { write: (d) => void vt.write(d), cols: 80, rows: 24 }, engine, now: () => clock.t });
    return { vt, session, dispose: () => (session.dispose(), releaseEngine(engine)) };
  }

  it("hands the keyboard to vi, records its keys, and gives the prompt back", async () => {
    const clock = { t: 0 };
    const { vt, session, dispose } = openVT(memoryStore(), clock);
    await session.start();
    await type(session, "vi /tmp/hello\r");
    expect(session.programRunning).toBe(true);
    expect(vt.alternate).toBe(true);
    expect(vt.lines()[23].startsWith('"/tmp/hello" [New]')).toBe(true);
    clock.t += 1_500;
    await type(session, "i");
    await type(session, "hello");
    await type(session, "\x1b");
    await type(session, ":wq\r");
    expect(session.programRunning).toBe(false);
    expect(vt.alternate).toBe(false);
    expect(vt.lines().slice(0, 2)).toEqual(["controlplane:~$ vi /tmp/hello", "controlplane:~$"]);
    await type(session, "cat /tmp/hello\r");
    expect(vt.lines().slice(2, 4)).toEqual(["hello", "controlplane:~$"]);
    expect(session.transcript.slice(0, 5)).toEqual([
      { line: "vi /tmp/hello", elapsedMs: 0 },
      { keys: "i", elapsedMs: 1_500, screen: { rows: 24, columns: 80 } },
      { keys: "hello", elapsedMs: 0 },
      { keys: "\x1b", elapsedMs: 0 },
      { keys: ":wq\r", elapsedMs: 0 },
    ]);
    dispose();
  });

  it("comes back into vi after a reload, with what was typed", async () => {
    const store = memoryStore();
    const first = openVT(store);
    await first.session.start();
    await type(first.session, "vi /tmp/x\r");
    await type(first.session, "ikept");
    first.dispose();

    const second = openVT(store);
    await second.session.start();
    await settle();
    expect(second.session.programRunning).toBe(true);
    expect(second.vt.alternate).toBe(true);
    expect(second.vt.lines()[0]).toBe("kept");
    await type(second.session, "\x1b:wq\r");
    expect(second.vt.alternate).toBe(false);
    expect(second.vt.lines().slice(0, 2)).toEqual(["controlplane:~$ vi /tmp/x", "controlplane:~$"]);
    await type(second.session, "cat /tmp/x\r");
    expect(second.vt.lines()[2]).toBe("kept");
    second.dispose();
  });

  it("ticks watch when it asks, and Ctrl-C leaves it", async () => {
    const clock = { t: 0 };
    const { vt, session, dispose } = openVT(memoryStore(), clock);
    await session.start();
    await type(session, "watch -n 0.1 date +%s\r");
    expect(vt.lines()[0].startsWith("Every 0.1s: date +%s")).toBe(true);
    clock.t += 100;
    // Ticks run on real timers, so a loaded machine may tick early (at virtual 0) too: what must
    // hold is that ticks are recorded as empty keys, the first with the screen size, and that
    // together they carry the 100 ms the clock moved.
    const ticks = () => session.transcript.filter((entry) => "keys" in entry && entry.keys === "");
    const carried = () => ticks().reduce((sum, entry) => sum + entry.elapsedMs, 0);
    for (let waited = 0; carried() < 100 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(carried()).toBe(100);
    expect(ticks()[0]).toMatchObject({ keys: "", screen: { rows: 24, columns: 80 } });
    await type(session, "\x03");
    expect(session.programRunning).toBe(false);
    expect(vt.lines().slice(0, 2)).toEqual(["controlplane:~$ watch -n 0.1 date +%s", "controlplane:~$"]);
    dispose();
  });

  it("leaves the program's screen on reset", async () => {
    const { vt, session, dispose } = openVT(memoryStore());
    await session.start();
    await type(session, "vi /tmp/z\r");
    expect(vt.alternate).toBe(true);
    await session.reset();
    await settle();
    expect(vt.alternate).toBe(false);
    expect(session.programRunning).toBe(false);
    expect(vt.lines()[0]).toBe("controlplane:~$");
    dispose();
  });

  it("gives keys typed after the program ended to the line editor", async () => {
    const { vt, session, dispose } = openVT(memoryStore());
    await session.start();
    await type(session, "vi /tmp/y\r");
    session.input(":q\r");
    session.input("echo after\r");
    await settle(40);
    expect(vt.lines().slice(0, 4)).toEqual(["controlplane:~$ vi /tmp/y", "controlplane:~$ echo after", "after", "controlplane:~$"]);
    expect(session.transcript.map((e) => ("line" in e ? e.line : e.keys))).toEqual(["vi /tmp/y", ":q\r", "echo after"]);
    dispose();
  });
});

describe("prepareEngine / claimEngine", () => {
  it("boots once and hands the same engine to the terminal", async () => {
    let workers = 0;
    const factory = () => (workers++, inProcessWorker());
    const store = memoryStore();
    const options = { key: "lesson:p", scenario: "single-node", seed: 3 };
    const prepared = prepareEngine(options, factory, store);
    expect(prepareEngine(options, factory, store)).toBe(prepared);
    const claimed = claimEngine(options, factory, store);
    expect(claimed).toBe(prepared);
    // The page asking again while the terminal runs does not start a second worker.
    expect(prepareEngine(options, factory, store)).toBe(claimed);
    expect(workers).toBe(1);
    await expect(claimed.ready).resolves.toMatchObject({ prompt: "controlplane:~$ " });
    releaseEngine(claimed);
  });
});

describe("boundScreen", () => {
  it("keeps the last lines", () => {
    expect(boundScreen("a\nb\nc\nd", 2)).toBe("c\nd");
    expect(boundScreen("a\nb", 5)).toBe("a\nb");
  });
});
