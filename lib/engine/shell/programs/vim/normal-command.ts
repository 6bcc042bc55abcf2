/**
 * Reading a normal-mode command from the keys typed so far: `[count]["x][count](operator motion | command [char])`.
 */


export const MOTION_KEYS = new Set(["h", "j", "k", "l", "0", "^", "$", "w", "b", "e", "W", "B", "E", "G", "gg", "f", "t", "F", "T", ";", ",", "n", "N", "H", "M", "L", "%", "{", "}", "|", "\r", "+", "-", "_", " ", "\x7f", "\x08", "\x0e", "\x10", "up", "down", "left", "right", "home", "end"]);

const CHAR_ARG = new Set(["f", "t", "F", "T", "r"]);

export type Parsed =
  | "more"
  | "bad"
  | { count: number; counted: boolean; op?: string; key: string; arg?: string };

/** Reads a normal-mode command: `[count]["x][count](operator motion | command [char])`. */
export function parseNormal(keys: readonly string[]): Parsed {
  let i = 0;
  const readCount = (): number | undefined => {
    let digits = "";
    while (i < keys.length && /^[0-9]$/.test(keys[i]) && !(digits === "" && keys[i] === "0")) digits += keys[i++];
    return digits === "" ? undefined : Number(digits);
  };
  let count = readCount();
  if (i >= keys.length) return "more";
  if (keys[i] === '"') {
    // Registers: only the unnamed one is kept; the name is read and ignored.
    if (i + 2 > keys.length) return "more";
    i += 2;
    const again = readCount();
    if (again !== undefined) count = (count ?? 1) * again;
    if (i >= keys.length) return "more";
  }
  let key = keys[i++];
  const need = (n: number) => i + n > keys.length;
  if ("dcy<>".includes(key) && key.length === 1) {
    const op = key;
    const more = readCount();
    if (more !== undefined) count = (count ?? 1) * more;
    if (i >= keys.length) return "more";
    key = keys[i++];
    if (key === op) return { count: count ?? 1, counted: count !== undefined, op, key: "line" };
    if (key === "i" || key === "a") {
      if (need(1)) return "more";
      return { count: count ?? 1, counted: count !== undefined, op, key: "object", arg: key + keys[i] };
    }
    if (key === "g") {
      if (need(1)) return "more";
      if (keys[i] !== "g") return "bad";
      return { count: count ?? 1, counted: count !== undefined, op, key: "gg" };
    }
    if (!MOTION_KEYS.has(key)) return "bad";
    if ("fFtT".includes(key)) {
      if (need(1)) return "more";
      return { count: count ?? 1, counted: count !== undefined, op, key, arg: keys[i] };
    }
    return { count: count ?? 1, counted: count !== undefined, op, key };
  }
  if (key === "g" || key === "Z" || key === "z") {
    if (need(1)) return "more";
    key += keys[i++];
    if (!["gg", "ZZ", "ZQ", "zz", "zt", "zb", "z\r", "z.", "z-", "gJ", "gv", "gu", "gU", "g~", "gi"].includes(key)) return "bad";
    return { count: count ?? 1, counted: count !== undefined, key };
  }
  if (CHAR_ARG.has(key)) {
    if (need(1)) return "more";
    return { count: count ?? 1, counted: count !== undefined, key, arg: keys[i] };
  }
  return { count: count ?? 1, counted: count !== undefined, key };
}
