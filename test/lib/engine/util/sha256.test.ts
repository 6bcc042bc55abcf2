// The engine's SHA-256 against FIPS 180-4's vectors and Node's own implementation, over one and
// several blocks, the padding boundaries (55, 56, 63, 64 bytes) and non-ASCII text.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256 } from "@/lib/engine/util/sha256";
import { Rng } from "@/lib/engine/util/rng";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const node = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("sha256", () => {
  it("gives FIPS 180-4's digests", () => {
    expect(hex(sha256(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(sha256("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  it("agrees with Node's crypto at every padding boundary and on random and non-ASCII text", () => {
    const rng = new Rng(3);
    const texts = [55, 56, 57, 63, 64, 65, 119, 120, 200].map((n) => "k".repeat(n));
    for (let i = 0; i < 200; i++) texts.push(Array.from({ length: rng.int(150) }, () => String.fromCharCode(32 + rng.int(95))).join(""));
    texts.push("naïve café ☕ 𝄞 kube-system/kube-dns:dns");
    for (const t of texts) expect(hex(sha256(t)), JSON.stringify(t)).toBe(node(t));
  });
});
