import { afterEach, describe, expect, it } from "vitest";
import { lessonSession } from "@/app/_components/exercise/session";
import { provideLiveSession } from "@/lib/terminal/bus";
import { memoryStore } from "@/lib/terminal/persistence";

const lesson = { sessionKey: "lesson:cluster-anatomy", scenario: "three-node-flannel", seed: 1 };
const stored = (entries: { line: string; elapsedMs: number }[], over: Partial<{ key: string; scenario: string; seed: number }> = {}) => {
  const store = memoryStore();
  void store.save({ key: lesson.sessionKey, scenario: lesson.scenario, seed: lesson.seed, entries, screen: "", updatedAt: 0, version: 1, ...over });
  return store;
};

let withdraw: (() => void) | null = null;
afterEach(() => {
  withdraw?.();
  withdraw = null;
});

describe("lessonSession", () => {
  it("takes the live terminal's transcript, as it is at the moment of the Check", async () => {
    const entries = [{ line: "kubectl get nodes", elapsedMs: 3000 }];
    withdraw = provideLiveSession(() => ({ key: lesson.sessionKey, scenario: "three-node-flannel", seed: 1, entries }));
    const session = await lessonSession(lesson, stored([{ line: "old", elapsedMs: 0 }]));
    expect(session).toEqual({ scenario: "three-node-flannel", seed: 1, entries: [{ line: "kubectl get nodes", elapsedMs: 3000 }] });
    entries.push({ line: "later", elapsedMs: 1 });
    expect(session.entries).toHaveLength(1);
  });

  it("reads the stored session while the terminal has nothing yet (still restoring) or is not on the page", async () => {
    withdraw = provideLiveSession(() => ({ key: lesson.sessionKey, scenario: "three-node-flannel", seed: 1, entries: [] }));
    expect((await lessonSession(lesson, stored([{ line: "saved", elapsedMs: 5 }]))).entries).toEqual([{ line: "saved", elapsedMs: 5 }]);
    withdraw();
    expect((await lessonSession(lesson, stored([{ line: "saved", elapsedMs: 5 }]))).entries).toEqual([{ line: "saved", elapsedMs: 5 }]);
  });

  it("ignores another page's terminal and a stored session of another cluster: then nothing was run", async () => {
    withdraw = provideLiveSession(() => ({ key: "playground:single-node:1", scenario: "single-node", seed: 1, entries: [{ line: "x", elapsedMs: 0 }] }));
    expect(await lessonSession(lesson, stored([{ line: "saved", elapsedMs: 5 }], { seed: 2 }))).toEqual({ scenario: "three-node-flannel", seed: 1, entries: [] });
  });
});
