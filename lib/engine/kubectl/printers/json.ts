/**
 * Go's `encoding/json` as kubectl uses it: `json.MarshalIndent(obj, "", "    ")` for `-o json`
 * and compact `json.Marshal` inside JSONPath output. Strings are escaped as Go escapes them
 * (`<`, `>`, `&`, U+2028/U+2029 as `\u…`, `\b`/`\f` short forms), empty containers stay `{}`/`[]`.
 *
 * Key order: a server object is a Go map, so keys are sorted; an object kubectl generated is a
 * Go struct, so its fields come in declaration order — callers build those in struct order and
 * pass `typedOrder`, which keeps insertion order.
 *
 * @example
 * goJSON({ b: 1, a: "<x>" });                      // '{\n    "a": "\\u003cx\\u003e",\n    "b": 1\n}'
 * goJSON({ b: 1, a: 2 }, { indent: "", typedOrder: true }); // '{"b":1,"a":2}'
 */

/** Encoding options. */
export interface GoJSONOptions {
  /** Indentation per level; "" for compact output. Default four spaces. */
  indent?: string;
  /** Keep keys in insertion order (Go struct order) instead of sorting them. */
  typedOrder?: boolean;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
};

/** A JSON string literal exactly as Go's encoder (with HTML escaping) writes it. */
export function goJSONString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (code < 0x20 || ch === "<" || ch === ">" || ch === "&" || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length && /[\udc00-\udfff]/.test(s[i + 1])) {
      out += s[i] + s[i + 1];
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 once encoded; Go writes the replacement character.
      out += "\\ufffd";
    } else out += ch;
  }
  return `${out}"`;
}

/** A number as Go's float64 encoder writes it (decimal from 1e-6 up to 1e21, else exponent). */
function goJSONNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  // JavaScript switches to exponent notation at the same thresholds and writes the same
  // shortest digits; Go only differs for negative zero, which API objects never hold.
  return String(n);
}

function keysOf(obj: Record<string, unknown>, typedOrder: boolean): string[] {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  return typedOrder ? keys : keys.sort();
}

/** Encodes `value` as Go does; see the module comment. */
export function goJSON(value: unknown, options: GoJSONOptions = {}): string {
  const indent = options.indent ?? "    ";
  const typedOrder = options.typedOrder === true;
  const nl = indent === "" ? "" : "\n";
  const colon = indent === "" ? ":" : ": ";
  const encode = (v: unknown, prefix: string): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "string") return goJSONString(v);
    if (typeof v === "number") return goJSONNumber(v);
    if (typeof v === "boolean") return String(v);
    const inner = prefix + indent;
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[${nl}${v.map((x) => inner + encode(x, inner)).join(`,${nl}`)}${nl}${prefix}]`;
    }
    const obj = v as Record<string, unknown>;
    const keys = keysOf(obj, typedOrder);
    if (keys.length === 0) return "{}";
    const fields = keys.map((k) => `${inner}${goJSONString(k)}${colon}${encode(obj[k], inner)}`);
    return `{${nl}${fields.join(`,${nl}`)}${nl}${prefix}}`;
  };
  return encode(value, "");
}
