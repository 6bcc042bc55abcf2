import { describe, expect, it } from "vitest";
import { BootCache } from "@/lib/engine/cluster/boot-cache";

describe("BootCache", () => {
  it("boots on a miss only and hands back the same template on a hit", () => {
    const cache = new BootCache<{ key: string }>(2);
    let boots = 0;
    const a = cache.get("a", () => (boots++, { key: "a" }));
    expect(cache.get("a", () => (boots++, { key: "other" }))).toBe(a);
    expect(boots).toBe(1);
  });

  it("holds at most `limit` templates and drops the least recently used", () => {
    const cache = new BootCache<string>(2);
    cache.get("a", () => "A");
    cache.get("b", () => "B");
    cache.get("a", () => "A2"); // a is now the most recent
    cache.get("c", () => "C");
    expect(cache.keys()).toEqual(["a", "c"]);
    expect(cache.get("b", () => "B2")).toBe("B2");
    expect(cache.keys()).toEqual(["c", "b"]);
  });

  it("caches nothing when a boot throws", () => {
    const cache = new BootCache<string>(2);
    expect(() => cache.get("bad", () => { throw new Error("boom"); })).toThrow("boom");
    expect(cache.keys()).toEqual([]);
  });

  it("refuses a limit below one", () => {
    expect(() => new BootCache(0)).toThrow(/at least one/);
  });
});
