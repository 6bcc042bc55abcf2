import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "@/lib/engine/util/base64";

describe("base64 for Secret data", () => {
  const encodings: [string, string][] = [
    ["", ""],
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["héllo", "aMOpbGxv"],
    ["😀", "8J+YgA=="],
  ];
  it.each(encodings)("encodes %j", (text, b64) => {
    expect(encodeBase64(text)).toBe(b64);
    const round = decodeBase64(b64);
    expect(round.ok && [...round.bytes]).toEqual([...new TextEncoder().encode(text)]);
  });

  // Offsets as Go's base64.StdEncoding reports them ("illegal base64 data at input byte N").
  const corrupt: [string, number][] = [
    ["a$==", 1],
    ["abc", 0],
    ["abcdab", 4],
    ["a===", 1],
    ["ab=", 3],
    ["ab=x", 2],
    ["Zg==Zg==", 4],
    ["not base64!", 3],
  ];
  it.each(corrupt)("rejects %j at byte %i", (text, offset) => {
    expect(decodeBase64(text)).toEqual({ ok: false, offset });
  });

  it("skips line breaks", () => {
    const r = decodeBase64("Zm9v\nYmFy\r\n");
    expect(r.ok && String.fromCharCode(...r.bytes)).toBe("foobar");
  });
});
