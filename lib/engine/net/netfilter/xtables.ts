/**
 * What every iptables extension shares (libxtables): the error it raises, its option table,
 * the generic checks of x6-style options (once only, no `!` where not allowed, mandatory,
 * exclusive and dependent options), and the number and address parsers it calls.
 *
 * An extension is a module-level object; parsing one rule gives it a fresh state from `init`,
 * feeds it the options the command line routes to it, and asks `finish` for the compiled
 * match or target. Rendering is the extension's too: `save` is what iptables-save prints after
 * `-m name` (or `-j NAME`), `print` what `iptables -L` prints in the rule's last column.
 *
 * @example
 * throw new XtError("multiport: option \"--dports\" can only be used once.\n");
 */
import type { Match, Target } from "./types";

/** `xtables_exittype`. */
export const OTHER_PROBLEM = 1;
export const PARAMETER_PROBLEM = 2;
export const VERSION_PROBLEM = 3;
export const RESOURCE_PROBLEM = 4;

/**
 * `xtables_error`: a message that `iptables v1.8.7 (nf_tables): ` prefixes; a parameter problem
 * is followed by the `Try ...` hint. `bare` is printed as it is (`Bad argument `x'`).
 */
export class XtError extends Error {
  constructor(
    message: string,
    readonly status: number = PARAMETER_PROBLEM,
    readonly bare = false,
  ) {
    super(message);
  }
}

export interface OptionDef {
  /** The long name without `--`. */
  readonly name: string;
  readonly hasArg: boolean;
  /** Another spelling of this option (`--sport` for `--source-port`): the extension sees that name. */
  readonly alias?: string;
  /** x6 flags: may be inverted, may repeat, must be given. */
  readonly invert?: boolean;
  readonly multi?: boolean;
  readonly mandatory?: boolean;
  /** Options this one cannot be used with / needs (x6 `.excl` / `.also`), by name. */
  readonly excl?: readonly string[];
  readonly also?: readonly string[];
}

/** The rule being parsed, as an extension sees it while an option of its is routed to it. */
export interface ParseCall {
  /** The option's full name (abbreviations and aliases resolved). */
  readonly option: string;
  readonly arg: string;
  readonly invert: boolean;
  /** `-p` so far: extensions that need a protocol (`--to-destination ip:port`, multiport) read it. */
  readonly proto: number;
  readonly protoInvert: boolean;
  /** Takes the next word of the command line (options with two arguments: `--tcp-flags`, `--match-set`). */
  next(): string | undefined;
}

export interface FinishCall {
  readonly proto: number;
  readonly protoInvert: boolean;
}

/** What `iptables -L` prints a rule's matches with. */
export interface PrintContext {
  /** `-n`: numbers instead of host, service and ICMP names. */
  readonly numeric: boolean;
  /** The rule's `-p` (service names are looked up for its protocol). */
  readonly proto: number;
  /** `gethostbyaddr` through the machine's files; undefined when nothing names the address. */
  host(ip: number): string | undefined;
}

interface Extension<S, R> {
  readonly name: string;
  readonly options: readonly OptionDef[];
  /** The text `iptables -m name -h` prints after the main help. */
  readonly help: string;
  /** x6 extensions get libxtables' generic option checks; old-style ones check for themselves. */
  readonly x6: boolean;
  init(): S;
  parse(state: S, call: ParseCall): void;
  finish(state: S, call: FinishCall): R;
}

export interface MatchExtension<S = unknown, M extends Match = Match> extends Extension<S, M> {
  /** The `kind`s of the matches this extension compiles to (and renders). */
  readonly kinds: readonly M["kind"][];
  save(m: M): string;
  print(m: M, ctx: PrintContext): string;
  /** The name `-m` prints (an alias such as `state` may differ from the kind). */
  saveName(m: M): string;
}

export interface TargetExtension<S = unknown, T extends Target = Target> extends Extension<S, T> {
  readonly kinds: readonly T["kind"][];
  save(t: T): string;
  print(t: T, ctx: PrintContext): string;
  /** The name `-j` prints (`NOTRACK` for the alias). */
  saveName(t: T): string;
}

/** The options an extension instance was given (a few names: a list beats a Set made per rule line). */
export class Seen {
  private readonly names: string[] = [];

  get size(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    return this.names.includes(name);
  }

  add(name: string): void {
    if (!this.names.includes(name)) this.names.push(name);
  }
}

/** Per-state bookkeeping for x6 options: which were given. */
export interface X6State {
  seen: Seen;
}

/** xtables_option_parse's generic checks, run before an x6 extension sees an option. */
export function x6Check(ext: { name: string; options: readonly OptionDef[] }, seen: Seen, call: ParseCall): void {
  const def = ext.options.find((o) => o.name === call.option)!;
  if (!def.multi && seen.has(def.name)) throw new XtError(`${ext.name}: option "--${def.name}" can only be used once.\n`);
  if (call.invert && !def.invert) throw new XtError(`${ext.name}: option "--${def.name}" cannot be inverted.\n`);
  seen.add(def.name);
}

/** xtables_options_fcheck: mandatory options, then `also` and `excl` between the options given. */
export function x6Finish(ext: { name: string; options: readonly OptionDef[] }, seen: Seen): void {
  for (const def of ext.options) {
    if (def.mandatory && !seen.has(def.name)) throw new XtError(`${ext.name}: option "--${def.name}" must be specified\n`);
    if (!seen.has(def.name)) continue;
    if (def.also) for (const other of def.also) if (!seen.has(other)) throw new XtError(`${ext.name}: option "--${def.name}" also requires "--${other}".\n`);
    if (def.excl) for (const other of def.excl) if (other !== def.name && seen.has(other)) throw new XtError(`${ext.name}: option "--${def.name}" cannot be used together with "--${other}".\n`);
  }
}

/**
 * `strtoumax(s, &end, 0)` as xtables_strtoul uses it: an optional 0x (hex) or 0 (octal) prefix;
 * returns the value and how many characters it read, or undefined when no digit was read.
 */
export function strtoul(text: string, from = 0): { value: number; end: number } | undefined {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || (text.charCodeAt(i) >= 9 && text.charCodeAt(i) <= 13))) i++;
  if (text[i] === "-") return undefined;
  if (text[i] === "+") i++;
  let base = 10;
  if (text[i] === "0" && (text[i + 1] === "x" || text[i + 1] === "X") && digitValue(text.charCodeAt(i + 2)) < 16) {
    base = 16;
    i += 2;
  } else if (text[i] === "0") {
    base = 8;
  }
  const start = i;
  let value = 0;
  for (; i < text.length; i++) {
    const d = digitValue(text.charCodeAt(i));
    if (d >= base) break;
    value = value * base + d;
  }
  if (i === start) return undefined;
  return { value, end: i };
}

/** A character code's value as a digit (hex letters in either case); 99 for anything else. */
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 99;
}

/** xtables_strtoui with no end pointer: the whole text is a number in `[min, max]`. */
export function parseUint(text: string, min: number, max: number): number | undefined {
  const r = strtoul(text);
  if (!r || r.end !== text.length || r.value < min || r.value > max) return undefined;
  return r.value;
}

/** `value[/mask]` as xtables_parse_mark_mask reads it; the mask defaults to all ones. */
export function parseMarkMask(text: string): { value: number; mask: number } | undefined {
  const v = strtoul(text);
  if (!v || v.value > 0xffffffff) return undefined;
  let mask = 0xffffffff;
  let end = v.end;
  if (text[end] === "/") {
    const m = strtoul(text, end + 1);
    if (!m || m.value > 0xffffffff) return undefined;
    mask = m.value;
    end = m.end;
  }
  if (end !== text.length) return undefined;
  return { value: v.value, mask };
}

/**
 * xtables_numeric_to_ipaddr: a dotted quad, or fewer parts completed with zeros as a network
 * address (`10` is 10.0.0.0, `10.1` is 10.1.0.0); each part 0–255.
 */
export function numericToAddr(text: string): number | undefined {
  const quad = plainQuad(text);
  if (quad !== undefined) return quad;
  let n = 0;
  let part = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 46) continue;
    if (i === start || part === 4) return undefined;
    const v = parseUint(text.slice(start, i), 0, 255);
    if (v === undefined) return undefined;
    n = n * 256 + v;
    part++;
    start = i + 1;
  }
  // Fewer parts name a network: the rest are zeros.
  for (; part < 4; part++) n *= 256;
  return n;
}

/**
 * `a.b.c.d` of plain decimal parts (no sign, blank, base prefix or leading zero: what nearly
 * every rule holds), read without taking the text apart; undefined for anything else, which
 * {@link numericToAddr} then reads the general way.
 */
function plainQuad(text: string): number | undefined {
  let n = 0;
  let part = 0;
  let parts = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255 || ++parts > 4) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57 || (digits === 1 && part === 0)) return undefined;
    part = part * 10 + (c - 48);
    digits++;
  }
  return parts === 4 ? n : undefined;
}

/** A dotted mask or a prefix length after `/` (xtables_ipparse_multiple); undefined when invalid. */
export function parseMask(text: string): number | undefined {
  const bits = plainPrefix(text) ?? parseUint(text, 0, 32);
  if (bits !== undefined) return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  return numericToAddr(text);
}

/** A prefix length of one or two plain decimal digits (`/16`, `/32`); undefined for anything else. */
function plainPrefix(text: string): number | undefined {
  const a = text.charCodeAt(0) - 48;
  if (text.length === 1) return a >= 0 && a <= 9 ? a : undefined;
  const b = text.charCodeAt(1) - 48;
  if (text.length !== 2 || a < 1 || a > 3 || b < 0 || b > 9 || a * 10 + b > 32) return undefined;
  return a * 10 + b;
}

/** `/N` for a contiguous mask, the dotted mask otherwise, nothing for /32 (xtables_ipmask_to_numeric). */
export function maskSuffix(mask: number): string {
  if (mask === 0xffffffff) return "";
  const len = prefixOf(mask);
  return len === undefined ? `/${formatQuad(mask)}` : `/${len}`;
}

/** The prefix length of a contiguous mask, undefined for a mask with holes. */
export function prefixOf(mask: number): number | undefined {
  const host = ~mask >>> 0;
  // Contiguous: the host bits are all ones up to some bit (0…01…1).
  return (host & (host + 1)) === 0 ? Math.clz32(host) : undefined;
}

export function formatQuad(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** xtables_save_string: a value as iptables-save writes it, quoted when it holds anything but `[A-Za-z0-9_-]`. */
export function saveString(value: string): string {
  let plain = value.length > 0;
  let escapes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45) continue;
    plain = false;
    if (c === 34 || c === 92 || c === 39) escapes = true;
  }
  if (plain) return ` ${value}`;
  return ` "${escapes ? value.replace(/["\\']/g, (c) => `\\${c}`) : value}"`;
}

/** `0x%x` of an unsigned 32-bit value. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/**
 * How iptables 1.8.7 reports an {@link XtError} (`xtables_exit_error`): the program and version,
 * the message, then for a parameter problem the line of iptables-restore it happened on and the
 * hint; a version problem blames the kernel.
 */
export function formatXtError(error: XtError, program: string, line?: number): string {
  let out = error.bare ? error.message : `${program} v1.8.7 (nf_tables): ${error.message}\n`;
  if (error.status === PARAMETER_PROBLEM) {
    if (line !== undefined) out += `Error occurred at line: ${line}\n`;
    out += `Try \`${program} -h' or '${program} --help' for more information.\n`;
  } else if (error.status === VERSION_PROBLEM) {
    out += "Perhaps iptables or your kernel needs to be upgraded.\n";
  }
  return out;
}
