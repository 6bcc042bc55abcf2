import { describe, expect, it } from "vitest";
import { TimerQueue } from "@/lib/engine/cluster/timers";

describe("TimerQueue", () => {
  it("fires in time order, ties in scheduling order", () => {
    const q = new TimerQueue();
    const fired: string[] = [];
    q.at(30, "c", () => fired.push("c"));
    q.at(10, "a", () => fired.push("a"));
    q.at(10, "b", () => fired.push("b"));
    q.at(20, "d", () => fired.push("d"));
    for (let t = q.nextDue(100); t; t = q.nextDue(100)) t.run();
    expect(fired).toEqual(["a", "b", "d", "c"]);
  });

  it("replaces a timer set again under the same key, and cancels", () => {
    const q = new TimerQueue();
    q.at(10, "k", () => undefined);
    q.at(50, "k", () => undefined);
    q.at(20, "x", () => undefined);
    q.cancel("x");
    expect(q.size).toBe(1);
    expect(q.peek()).toBe(50);
    expect(q.nextDue(49)).toBeUndefined();
    expect(q.nextDue(50)?.key).toBe("k");
    expect(q.size).toBe(0);
  });
});
