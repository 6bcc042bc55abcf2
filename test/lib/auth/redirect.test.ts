import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "@/lib/auth";

describe("safeNextPath", () => {
  it.each([
    ["/lessons/network-namespaces", "/lessons/network-namespaces"],
    ["/playground?scenario=x#t", "/playground?scenario=x#t"],
    ["/", "/"],
    // An encoded backslash is only a character in a path; browsers do not read it as "//".
    ["/%5Cevil.example", "/%5Cevil.example"],
  ])("keeps the same-site path %s", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    [undefined], [""], ["dashboard"], ["https://evil.example/"], ["//evil.example/x"], ["/\\evil.example"],
    ["javascript:alert(1)"], ["/signin"], ["/signup?next=/x"],
  ])("falls back to the dashboard for %s", (next) => {
    expect(safeNextPath(next)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("takes the first of repeated parameters", () => {
    expect(safeNextPath(["/a", "/b"])).toBe("/a");
  });
});
