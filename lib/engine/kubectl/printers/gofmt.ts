/**
 * How Go prints values, for the printers that show Go's own renderings: `strconv.FormatFloat`
 * with `'g'` (what `fmt` and go-yaml print for a float64), `strconv.Quote`, `fmt.Sprint` of
 * decoded JSON (`map[a:b]`, `[x y]`) and `%#v` (`map[string]interface {}{"a":"b"}`).
 *
 * Numbers follow how kubectl holds them: objects from the server are decoded as unstructured
 * JSON, where integral numbers are int64; objects kubectl generated itself (`--dry-run=client`)
 * pass through `encoding/json` into `interface{}`, where every number is a float64.
 *
 * @example
 * formatFloatG(1234567.5);        // "1.2345675e+06"
 * goQuote('a"b\t');               // "\"a\\\"b\\t\""
 * goSprint({ b: 1, a: ["x"] });   // "map[a:[x] b:1]"
 */

/** How numbers were decoded: `int64` where integral (server objects) or always `float64`. */
export type NumberMode = "int64" | "float64";

/** The Go type a decoded JSON number has in `mode`. */
export function goNumberType(n: number, mode: NumberMode): "int64" | "float64" {
  return mode === "int64" && Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? "int64" : "float64";
}

/** `strconv.FormatFloat(f, 'g', -1, 64)`: shortest digits, exponent form below 1e-4 or from 1e6. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = f.toExponential().split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return frac ? `${sign}${int}.${frac}` : `${sign}${int}`;
}

/** `fmt.Sprint` of a decoded JSON number. */
export function goNumber(n: number, mode: NumberMode): string {
  return goNumberType(n, mode) === "int64" ? BigInt(n).toString() : formatFloatG(n);
}

/** Whether Go's `strconv.IsPrint` would print the code point as itself (close enough for text). */
function isGoPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad || cp === 0xfeff || cp === 0xfffe || cp === 0xffff) return false;
  if (cp >= 0x2028 && cp <= 0x202e) return false;
  return !(cp >= 0xd800 && cp <= 0xdfff);
}

/** `strconv.Quote`: Go string syntax, printable Unicode kept as is. */
export function goQuote(s: string): string {
  const short: Record<string, string> = {
    "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\",
  };
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (short[ch]) out += short[ch];
    else if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** Keys in the order Go's `fmt` prints a map: sorted. */
function sortedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
}

/** `fmt.Sprint(v)` of decoded JSON: `map[k:v]`, `[a b]`, `<nil>`. */
export function goSprint(v: unknown, mode: NumberMode): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goNumber(v, mode);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => goSprint(x, mode)).join(" ")}]`;
  const obj = v as Record<string, unknown>;
  return `map[${sortedKeys(obj).map((k) => `${k}:${goSprint(obj[k], mode)}`).join(" ")}]`;
}

/** `fmt.Sprintf("%#v", v)` of decoded JSON, as kubectl's jsonpath errors print the object. */
export function goSyntax(v: unknown, mode: NumberMode): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number") return goNumber(v, mode);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x, mode)).join(", ")}}`;
  const obj = v as Record<string, unknown>;
  const entries = sortedKeys(obj).map((k) => `${goQuote(k)}:${goSyntax(obj[k], mode)}`);
  return `map[string]interface {}{${entries.join(", ")}}`;
}

/** The Go type name `%v` of `reflect.Value.Type()` prints for a decoded JSON value. */
export function goTypeName(v: unknown, mode: NumberMode): string {
  if (v === null || v === undefined) return "interface {}";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return goNumberType(v, mode);
  if (typeof v === "boolean") return "bool";
  return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
}
