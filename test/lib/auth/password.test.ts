import { describe, expect, it } from "vitest";
import { hashPassword, parsePasswordHash, SCRYPT_PARAMS, UNKNOWN_ACCOUNT_HASH, verifyPassword } from "@/lib/auth/password";

describe("password hashing", () => {
  it("stores scrypt$N$r$p$salt$hash with the current parameters and a fresh salt each time", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse battery"), hashPassword("correct horse battery")]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(parsePasswordHash(a)).toMatchObject({ N: SCRYPT_PARAMS.N, r: 8, p: 1 });
    expect(parsePasswordHash(a).salt).toHaveLength(16);
  });

  it("accepts the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("verifies with the parameters written in the hash, so they can be raised later", async () => {
    const old = await hashPassword("an older password", { N: 2 ** 10, r: 4, p: 2 });
    expect(old.startsWith("scrypt$1024$4$2$")).toBe(true);
    expect(await verifyPassword("an older password", old)).toBe(true);
    expect(await verifyPassword("another password", old)).toBe(false);
  });

  it("treats composed and decomposed accents as the same password", async () => {
    const stored = await hashPassword("caf\u00e9 au lait!");
    expect(await verifyPassword("cafe\u0301 au lait!", stored)).toBe(true);
  });

  it("refuses malformed or extravagant stored hashes with a clear error", () => {
    expect(() => parsePasswordHash("sha256$abc")).toThrow("expected scrypt$N$r$p$salt$hash");
    expect(() => parsePasswordHash("scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toThrow("N must be a power of two");
    expect(() => parsePasswordHash(`scrypt$${2 ** 24}$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).toThrow("N must be a power of two from 2^10 to 2^20");
    expect(() => parsePasswordHash("scrypt$32768$64$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toThrow("r must be 1..32");
    expect(() => parsePasswordHash("scrypt$32768$8$1$AA$AA")).toThrow("too short");
  });

  it("has a stand-in hash for unknown emails that costs a real verification and matches nothing", async () => {
    expect(parsePasswordHash(UNKNOWN_ACCOUNT_HASH)).toMatchObject(SCRYPT_PARAMS);
    expect(await verifyPassword("correct horse battery", UNKNOWN_ACCOUNT_HASH)).toBe(false);
  });
});
