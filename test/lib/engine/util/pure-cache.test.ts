import { describe, expect, it } from "vitest";
import { PureCache } from "@/lib/engine/util/pure-cache";

describe("PureCache", () => {
  it("makes a key's value once, an undefined one too, and starts again past its bound", () => {
    const made: string[] = [];
    const cache = new PureCache<string | undefined>(2);
    const get = (key: string) => cache.get(key, (k) => (made.push(k), k === "none" ? undefined : k.toUpperCase()));
    expect([get("a"), get("a"), get("none"), get("none")]).toEqual(["A", "A", undefined, undefined]);
    expect(made).toEqual(["a", "none"]);
    get("b");
    get("c"); // a fourth key: the cache held three, more than its bound of 2, and started again
    get("a");
    expect(made).toEqual(["a", "none", "b", "c", "a"]);
  });
});
