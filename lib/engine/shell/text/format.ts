import { decodeEscapes } from "./escapes";

/** What formatting produced; `errors` are bash's complaints ("abc: invalid number"). */
export interface FormatResult {
  text: string;
  errors: string[];
  /** A `\c` in a `%b` argument, or an invalid conversion, ended the output early. */
  stopped: boolean;
}

const SPEC = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(.)/;
const ESCAPE = /^\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|[\s\S])/;
const INTEGER = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/;
const FLOAT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** Numbers from arguments: bash complains about junk, awk takes the leading number quietly. */
function number(arg: string | undefined, float: boolean, lenient: boolean, errors: string[]): number {
  if (arg === undefined || arg === "") return 0;
  if (/^['"]/.test(arg)) return arg.length > 1 ? (arg.codePointAt(1) ?? 0) : 0;
  const match = (float ? FLOAT : INTEGER).exec(arg);
  let value = 0;
  if (match) {
    if (float) value = Number(match[0]);
    else {
      const digits = match[2];
      const magnitude = /^0[xX]/.test(digits) ? parseInt(digits, 16) : digits.length > 1 && digits.startsWith("0") ? parseInt(digits, 8) : Number(digits);
      value = match[1] === "-" ? -magnitude : magnitude;
    }
  }
  if (!lenient && (!match || match[0].length !== arg.length)) errors.push(`${arg}: invalid number`);
  return value;
}

/** C's %.Nf: like toFixed, but a tie rounds to even (printf '%.0f' 2.5 prints 2). */
function fixed(value: number, precision: number): string {
  const scaled = Math.abs(value) * 10 ** precision;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && floor % 2 === 0) return (value < 0 ? "-" : "") + (floor / 10 ** precision).toFixed(precision);
  return value.toFixed(precision);
}

function exponential(value: number, precision: number, upper: boolean): string {
  const text = value.toExponential(precision).replace(/e([+-])(\d)$/, "e$10$2");
  return upper ? text.toUpperCase() : text;
}

/** C's %g: %e when the exponent is below -4 or not below the precision, else %f; zeros trimmed unless `#`. */
function general(value: number, precision: number, alternate: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const exponent = value === 0 ? 0 : Number(value.toExponential(p - 1).split("e")[1]);
  let text = exponent < -4 || exponent >= p ? exponential(value, p - 1, upper) : fixed(value, p - 1 - exponent);
  if (alternate) return text;
  if (/e/i.test(text)) text = text.replace(/(\.\d*?)0+(?=e)/i, "$1").replace(/\.(?=e)/i, "");
  else if (text.includes(".")) text = text.replace(/\.?0+$/, "");
  return text;
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes("-")) return text.padEnd(width);
  if (numeric && flags.includes("0")) {
    const sign = /^[+\- ]/.test(text) ? text[0] : "";
    return sign + text.slice(sign.length).padStart(width - sign.length, "0");
  }
  return text.padStart(width);
}

function shellQuote(text: string): string {
  if (text === "") return "''";
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : text.replace(/[^A-Za-z0-9_./:=@%+,-]/g, "\\$&");
}

/**
 * printf(1)/bash's printf over string arguments: `%s %d %i %u %o %x %X %f %e %g %c %b %q %%`
 * with flags, width and precision (also `*`), backslash escapes in the format, and the format
 * reused while arguments remain. `lenient` gives awk's number conversion (no complaints).
 *
 * @example
 * formatPrintf("%-5s|%03d\n", ["ab", "7", "cd", "8"]).text; // "ab   |007\ncd   |008\n"
 */
export function formatPrintf(format: string, args: readonly string[], options: { lenient?: boolean } = {}): FormatResult {
  const lenient = options.lenient ?? false;
  const errors: string[] = [];
  let out = "";
  let next = 0;
  const take = () => (next < args.length ? args[next++] : undefined);
  for (;;) {
    let consumed = false;
    for (let i = 0; i < format.length; ) {
      const c = format[i];
      if (c === "\\") {
        const escape = ESCAPE.exec(format.slice(i))?.[0] ?? "\\";
        out += decodeEscapes(escape, { zeroOctal: false, literal: "\"'?" }).text;
        i += escape.length;
        continue;
      }
      if (c !== "%") {
        out += c;
        i++;
        continue;
      }
      const spec = SPEC.exec(format.slice(i));
      if (!spec) {
        errors.push("%: missing format character");
        return { text: out, errors, stopped: true };
      }
      i += spec[0].length;
      const [, flags, widthText, precisionText, conversion] = spec;
      if (conversion === "%") {
        out += "%";
        continue;
      }
      const fromArg = (text: string | undefined) => (text === "*" ? ((consumed = true), number(take(), false, lenient, errors)) : text === undefined ? undefined : Number(text || "0"));
      const width = fromArg(widthText) ?? 0;
      const precision = fromArg(precisionText);
      if (!"diouxXfFeEgGcsbq".includes(conversion)) {
        errors.push(`\`${conversion}': invalid format character`);
        return { text: out, errors, stopped: true };
      }
      consumed = true;
      const arg = take();
      let text: string;
      switch (conversion) {
        case "s":
          text = precision === undefined ? (arg ?? "") : (arg ?? "").slice(0, precision);
          break;
        case "b": {
          const decoded = decodeEscapes(arg ?? "", { zeroOctal: true, literal: "" });
          out += pad(decoded.text, flags, width, false);
          if (decoded.stopped) return { text: out, errors, stopped: true };
          continue;
        }
        case "q":
          text = shellQuote(arg ?? "");
          break;
        case "c":
          text = (arg ?? "").slice(0, 1);
          break;
        case "f":
        case "F":
        case "e":
        case "E":
        case "g":
        case "G": {
          const value = number(arg, true, lenient, errors);
          const p = precision ?? 6;
          const lower = conversion.toLowerCase();
          text = lower === "f" ? fixed(value, p) : lower === "e" ? exponential(value, p, conversion === "E") : general(value, p, flags.includes("#"), conversion === "G");
          if (value >= 0 && flags.includes("+")) text = "+" + text;
          else if (value >= 0 && flags.includes(" ")) text = " " + text;
          break;
        }
        default: {
          const value = Math.trunc(number(arg, false, lenient, errors));
          const base = conversion === "o" ? 8 : conversion === "x" || conversion === "X" ? 16 : 10;
          let digits = Math.abs(value).toString(base);
          if (conversion === "X") digits = digits.toUpperCase();
          if (precision !== undefined) digits = digits.padStart(precision, "0");
          if (flags.includes("#") && value !== 0 && base !== 10) digits = (base === 8 ? "0" : conversion === "X" ? "0X" : "0x") + digits;
          const sign = value < 0 ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
          text = sign + digits;
        }
      }
      // The 0 flag pads numbers, except integers given a precision (C ignores it there).
      const zeroPads = "fFeEgG".includes(conversion) || (!"sqc".includes(conversion) && precision === undefined);
      out += pad(text, flags, width, zeroPads);
    }
    if (!consumed || next >= args.length) break;
  }
  return { text: out, errors, stopped: false };
}
