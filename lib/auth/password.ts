import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * scrypt's cost for new hashes: N=2^15, r=8, p=1 needs 128·N·r = 32 MiB per hash (memory-hard,
 * so guessing on GPUs is expensive) and ~0.1 s of one core. Raise it here; hashes already stored
 * keep the parameters written in them and still verify.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function scrypt(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  // Node refuses work above `maxmem` (32 MiB by default, exactly our need): allow twice it.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize("NFC"), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url: what Learner.passwordHash stores. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

/**
 * Reads a stored hash, refusing parameters no hash of ours would carry (a corrupted or planted
 * row must not make the server allocate gigabytes). Throws with a message naming the problem.
 */
export function parsePasswordHash(stored: string): ParsedHash {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") throw new Error("password hash: expected scrypt$N$r$p$salt$hash");
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^[1-9][0-9]{0,7}$/.test(s) ? Number(s) : NaN));
  if (!(N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0)) throw new Error(`password hash: N must be a power of two from 2^10 to 2^20, not ${parts[1]}`);
  if (!(r >= 1 && r <= 32)) throw new Error(`password hash: r must be 1..32, not ${parts[2]}`);
  if (!(p >= 1 && p <= 16)) throw new Error(`password hash: p must be 1..16, not ${parts[3]}`);
  const salt = Buffer.from(parts[4], "base64url");
  const key = Buffer.from(parts[5], "base64url");
  if (salt.length < 8 || key.length < 16) throw new Error("password hash: salt or hash too short");
  return { N, r, p, salt, key };
}

/** True when the password produces the stored hash; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  const key = await scrypt(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}

/**
 * A well-formed hash with the current parameters that no password matches in practice: a
 * sign-in for an unknown email verifies against it, so it costs the same time as a real one
 * and timing does not tell which emails have accounts.
 */
export const UNKNOWN_ACCOUNT_HASH = ["scrypt", SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p,
  Buffer.alloc(SALT_BYTES).toString("base64url"), Buffer.alloc(KEY_BYTES).toString("base64url")].join("$");
