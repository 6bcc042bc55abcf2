import { describe, expect, it } from "vitest";
import { forgetGuest, isKnownGuest, rememberGuest } from "@/lib/auth/guest-identity";

describe("guest identity memory", () => {
  it("answers for a guest found without an account, for 30 s", () => {
    const id = crypto.randomUUID();
    expect(isKnownGuest(id, 1_000)).toBe(false);
    rememberGuest(id, 1_000);
    expect(isKnownGuest(id, 30_999)).toBe(true);
    expect(isKnownGuest(id, 31_000)).toBe(false);
    expect(isKnownGuest(id, 1_000)).toBe(false); // an expired answer is dropped, not kept
  });

  it("never answers again for a guest who signed up, even when a lookup that began before lands after", () => {
    const id = crypto.randomUUID();
    rememberGuest(id, 1_000);
    forgetGuest(id);
    expect(isKnownGuest(id, 1_001)).toBe(false);
    rememberGuest(id, 1_002);
    expect(isKnownGuest(id, 1_003)).toBe(false);
  });
});
