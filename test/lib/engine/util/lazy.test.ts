import { describe, expect, it } from "vitest";
import { copyGraph } from "@/lib/engine/util/graph-copy";
import { force, lazy } from "@/lib/engine/util/lazy";

let calls = 0;
function repeat(text: string, times: number): string {
  calls++;
  return text.repeat(times);
}

describe("lazy", () => {
  it("makes nothing until forced, then makes the value once for every holder, forks included", () => {
    calls = 0;
    const value = lazy(repeat, "ab", 3);
    const state = { files: [value, value] };
    const fork = copyGraph(state);
    expect(calls).toBe(0);
    expect(force(fork.files[0])).toBe("ababab");
    expect(force(state.files[1])).toBe("ababab");
    expect(fork.files[0]).toBe(value);
    expect(calls).toBe(1);
  });

  it("is frozen data: a module-level function and its arguments", () => {
    const value = lazy(repeat, "x", 2);
    expect(Object.isFrozen(value) && Object.isFrozen(value.args)).toBe(true);
    expect(value.args).toEqual(["x", 2]);
    expect(force(lazy(repeat, "x", 2))).toBe(force(value));
  });
});
