import { formatPrintf } from "../text/format";

/** Input-derived text (fields, `-v` values): compares as a number when it looks like one. */
export class StrNum {
  constructor(readonly text: string) {}
}

/** An awk value: a number, a string, or a "strnum"; `undefined` is an uninitialized variable. */
export type AwkValue = number | string | StrNum | undefined;

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const LEADING_NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** awk's string-to-number: the leading number, or 0. */
export function toNumber(value: AwkValue): number {
  if (typeof value === "number") return value;
  if (value === undefined) return 0;
  const text = typeof value === "string" ? value : value.text;
  const match = LEADING_NUMBER.exec(text);
  return match ? Number(match[0]) : 0;
}

/** Numbers print as integers when integral, otherwise with `format` (CONVFMT/OFMT, "%.6g"). */
export function toText(value: AwkValue, format = "%.6g"): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (value instanceof StrNum) return value.text;
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  // mawk on x86 prints the sign bit that 0/0 and x%0 produce.
  if (Number.isNaN(value)) return "-nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return formatPrintf(format, [String(value)], { lenient: true }).text;
}

/** Whether a value takes part in a comparison as a number. */
function isNumeric(value: AwkValue): boolean {
  if (value === undefined || typeof value === "number") return true;
  return value instanceof StrNum && NUMERIC.test(value.text);
}

export function truthy(value: AwkValue): boolean {
  if (value === undefined) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value !== "";
  return NUMERIC.test(value.text) ? Number(value.text) !== 0 : value.text !== "";
}

/** POSIX awk's comparison: numeric when both sides are numeric, else by string. */
export function compare(a: AwkValue, b: AwkValue): number {
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) - toNumber(b);
  const [x, y] = [toText(a), toText(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
