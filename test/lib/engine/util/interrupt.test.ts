import { describe, expect, it } from "vitest";
import { InterruptedError as Exported } from "@/lib/engine";
import { InterruptedError, Interruption } from "@/lib/engine/util/interrupt";

describe("Interruption", () => {
  it("asks the predicate on check() and throws once it says yes, and every time after", () => {
    let calls = 0;
    const interruption = new Interruption(() => ++calls >= 2);
    expect(() => interruption.check()).not.toThrow();
    expect(() => interruption.check()).toThrow(InterruptedError);
    expect(() => interruption.check()).toThrow(InterruptedError);
    expect(() => interruption.rethrow()).toThrow(InterruptedError);
    expect(calls).toBe(2);
  });

  it("asks only every 1,024 steps", () => {
    let calls = 0;
    const interruption = new Interruption(() => (++calls, false));
    for (let i = 0; i < 3 * 1024; i++) interruption.step();
    expect(calls).toBe(3);
  });

  it("rethrow() is quiet until the run was interrupted", () => {
    expect(() => new Interruption(() => true).rethrow()).not.toThrow();
  });

  it("is the error the engine's public face exports", () => {
    expect(Exported).toBe(InterruptedError);
    expect(new InterruptedError()).toBeInstanceOf(Error);
  });
});
