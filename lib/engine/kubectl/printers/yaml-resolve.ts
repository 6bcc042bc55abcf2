/**
 * go-yaml v2's implicit typing (`resolve.go`): what a plain scalar would read back as. The
 * encoder quotes a string exactly when reading it back plain would not give a string (`"80"`,
 * `"true"`, `"yes"`, `"~"`, `""`, `"2026-01-12"`), plus YAML 1.1 base-60 floats (`"1:30"`).
 * kubectl's YAML is JSON re-read by this resolver, so numbers take the same path.
 *
 * @example
 * resolveScalar("80");      // { tag: "int", text: "80" }
 * resolveScalar("1e3");     // { tag: "float", value: 1000 }
 * resolveScalar("web");     // { tag: "str" }
 * needsQuotes("on");        // true
 */

/** The tag go-yaml resolves a plain scalar to, with the number it reads for int and float. */
export type Resolved =
  | { tag: "str" | "bool" | "null" | "timestamp" }
  | { tag: "int"; text: string }
  | { tag: "float"; value: number };

const MAP_TAGS = new Map<string, "bool" | "null">();
for (const s of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) MAP_TAGS.set(s, "bool");
for (const s of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) MAP_TAGS.set(s, "bool");
for (const s of ["", "~", "null", "Null", "NULL"]) MAP_TAGS.set(s, "null");
const SPECIAL_FLOATS: Record<string, number> = {};
for (const s of [".nan", ".NaN", ".NAN"]) SPECIAL_FLOATS[s] = NaN;
for (const s of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) SPECIAL_FLOATS[s] = Infinity;
for (const s of ["-.inf", "-.Inf", "-.INF"]) SPECIAL_FLOATS[s] = -Infinity;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The resolver's first-character hint table: sign, digit, map word, or dot. */
function hint(s: string): string {
  if (s === "") return "N";
  const c = s[0];
  if (c === "+" || c === "-") return "S";
  if (c >= "0" && c <= "9") return "D";
  if ("yYnNtTfFoO~".includes(c)) return "M";
  return c === "." ? "." : "";
}

/** `strconv.ParseInt(s, 0, 64)` / `ParseUint`: the integer, or undefined when Go rejects it. */
function parseGoInt(s: string, signed: boolean): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m || (!signed && m[1] !== "")) return undefined;
  let body = m[2];
  if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
  const v = (m[1] === "-" ? -1n : 1n) * BigInt(body.replace(/^0[oO]/, "0o"));
  if (signed) return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
  return v <= UINT64_MAX ? v : undefined;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** go-yaml's `parseTimestamp`: Go's time.Parse with the four layouts YAML timestamps use. */
function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2})| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?)?$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS[month - 1])) return false;
  const [h, min, sec] = m[4] !== undefined ? [m[4], m[5], m[6]] : [m[7], m[8], m[9]];
  return h === undefined || (Number(h) <= 23 && Number(min) <= 59 && Number(sec) <= 59);
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** What a plain scalar `s` reads back as under go-yaml v2 (`resolve("", s)`). */
export function resolveScalar(s: string): Resolved {
  const h = hint(s);
  if (h === "") return { tag: "str" };
  const mapped = MAP_TAGS.get(s);
  if (mapped) return { tag: mapped };
  if (s in SPECIAL_FLOATS) return { tag: "float", value: SPECIAL_FLOATS[s] };
  if (h === ".") return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) ? { tag: "float", value: Number(s) } : { tag: "str" };
  if (h === "M" || h === "N") return { tag: "str" };
  if (isTimestamp(s)) return { tag: "timestamp" };
  const plain = s.replace(/_/g, "");
  const int = parseGoInt(plain, true) ?? parseGoInt(plain, false);
  if (int !== undefined) return { tag: "int", text: int.toString() };
  if (YAML_FLOAT.test(plain) && Number.isFinite(Number(plain))) return { tag: "float", value: Number(plain) };
  return { tag: "str" };
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Whether the encoder must quote string `s` (it would not read back as a plain string). */
export function needsQuotes(s: string): boolean {
  if (resolveScalar(s).tag !== "str") return true;
  return /^[-+0-9]/.test(s) && s.includes(":") && BASE60_FLOAT.test(s);
}
