import { evalArith } from "./arith";
import { braceExpand } from "./braces";
import type { FileSystem } from "./fs";
import { expandGlob } from "./glob";
import { escapeGlob, globSource, hasGlobChars } from "./pattern";
import { escapeRegExp } from "./text/brackets";
import type { ParamOp, Script, Word, WordPart } from "./syntax/ast";
import type { Variables } from "./variables";

/** What expansion reads: variables, `$?`, the file system for globs, and a way to run `$(…)`. */
export interface ExpandContext {
  vars: Variables;
  /** `set -u`: expanding an unset variable is an error. */
  nounset: boolean;
  lastStatus: number;
  fs: FileSystem;
  cwd: string;
  /** The home directory of a user name, for `~name`; undefined when unknown. */
  homeOf(user: string): string | undefined;
  /** Runs a command substitution and returns its standard output. */
  substitute(script: Script): Promise<string>;
}

/** An expansion that bash refuses, in its words without the `bash: ` prefix ("x: bad substitution"). */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpansionError";
  }
}

interface Segment {
  text: string;
  /** Quoted text never splits and never globs. */
  quoted: boolean;
}

/** Collects fields while expansions split them (`$x` with spaces) and quotes hold them together. */
class Fields {
  readonly done: Segment[][] = [];
  private current: Segment[] = [];
  private started = false;

  add(text: string, quoted: boolean): void {
    this.current.push({ text, quoted });
    if (quoted || text !== "") this.started = true;
  }

  /** Text from an unquoted expansion: IFS characters separate fields. */
  split(text: string, ifs: string): void {
    if (ifs === "") return this.add(text, false);
    const chars = [...ifs].map((c) => c.replace(/[\]\\^-]/g, "\\$&")).join("");
    text.split(new RegExp(`[${chars}]+`)).forEach((piece, index) => {
      if (index > 0) this.end();
      if (piece !== "") this.add(piece, false);
    });
  }

  end(): void {
    if (this.started) this.done.push(this.current);
    this.current = [];
    this.started = false;
  }
}

function ifsOf(cx: ExpandContext): string {
  return cx.vars.get("IFS") ?? " \t\n";
}

/**
 * Expands command words into argv: braces, parameters, command substitution, arithmetic, tilde,
 * quote removal, field splitting of unquoted expansions, then globbing (a pattern matching
 * nothing stays as written).
 *
 * @example
 * await expandWords(parse('echo "$HOME" ~ *.txt').script…words, cx); // ["echo", "/root", "/root", "a.txt"]
 */
export async function expandWords(words: readonly Word[], cx: ExpandContext): Promise<string[]> {
  const out: string[] = [];
  for (const word of words.flatMap((w) => braceExpand(w))) {
    const fields = new Fields();
    await addWord(word, cx, fields);
    fields.end();
    for (const segments of fields.done) out.push(...globField(segments, cx));
  }
  return out;
}

/** One word expanded to one string: no splitting, no globbing (assignments, here-strings). */
export async function expandWord(word: Word, cx: ExpandContext, options: { tilde?: boolean } = {}): Promise<string> {
  let out = "";
  for (const [index, part] of word.parts.entries()) {
    if (index === 0 && part.type === "Literal" && options.tilde !== false) {
      const tilde = expandTilde(part.value, cx);
      out += tilde.home + tilde.rest;
    } else {
      out += await partText(part, cx);
    }
  }
  return out;
}

async function addWord(word: Word, cx: ExpandContext, fields: Fields): Promise<void> {
  for (const [index, part] of word.parts.entries()) {
    switch (part.type) {
      case "Literal": {
        const tilde = index === 0 ? expandTilde(part.value, cx) : { home: "", rest: part.value };
        if (tilde.home !== "") fields.add(tilde.home, true);
        fields.add(tilde.rest, false);
        break;
      }
      case "Quoted":
        fields.add(part.value, true);
        break;
      case "DoubleQuoted":
        fields.add(await partText(part, cx), true);
        break;
      default:
        fields.split(await partText(part, cx), ifsOf(cx));
    }
  }
}

function globField(segments: Segment[], cx: ExpandContext): string[] {
  const text = segments.map((s) => s.text).join("");
  if (!segments.some((s) => !s.quoted && hasGlobChars(s.text))) return [text];
  const pattern = segments.map((s) => (s.quoted ? escapeGlob(s.text) : s.text)).join("");
  const matches = expandGlob(pattern, cx.fs, cx.cwd);
  return matches.length > 0 ? matches : [text];
}

/** `~`, `~user`, `~+`, `~-` at the start of unquoted text, up to the first slash. */
function expandTilde(text: string, cx: ExpandContext): { home: string; rest: string } {
  if (!text.startsWith("~")) return { home: "", rest: text };
  const slash = text.indexOf("/");
  const name = text.slice(1, slash < 0 ? undefined : slash);
  const rest = slash < 0 ? "" : text.slice(slash);
  const home =
    name === "" ? cx.vars.get("HOME") : name === "+" ? cx.vars.get("PWD") : name === "-" ? cx.vars.get("OLDPWD") : cx.homeOf(name);
  return home === undefined ? { home: "", rest: text } : { home, rest };
}

/** A part's value as one string, as inside double quotes. */
async function partText(part: WordPart, cx: ExpandContext): Promise<string> {
  switch (part.type) {
    case "Literal":
    case "Quoted":
      return part.value;
    case "DoubleQuoted": {
      let out = "";
      for (const inner of part.parts) out += await partText(inner, cx);
      return out;
    }
    case "Param":
      return paramValue(part.name, part.op, cx);
    case "CommandSub":
      return (await cx.substitute(part.script)).replace(/\n+$/, "");
    case "Arith":
      return String(arithmetic(part.expression, cx));
  }
}

/** Evaluates `$((…))`/`((…))` text: `$name` is substituted first, bare names are read as variables. */
export function arithmetic(expression: string, cx: ExpandContext): number {
  const substituted = expression.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9?#])\}?/g, (_, name: string) => lookup(name, cx) ?? "");
  try {
    return evalArith(substituted, { get: (name) => cx.vars.get(name), set: (name, value) => cx.vars.set(name, value) });
  } catch (error) {
    throw new ExpansionError(error instanceof Error ? error.message : String(error));
  }
}

function lookup(name: string, cx: ExpandContext): string | undefined {
  switch (name) {
    case "?":
      return String(cx.lastStatus);
    case "0":
      return "bash";
    case "#":
      return "0";
    case "@":
    case "*":
      return "";
  }
  return /^\d+$/.test(name) ? undefined : cx.vars.get(name);
}

/** A word as a shell pattern (`case`, `[[ == ]]`, `${v#…}`): quoted parts match literally. */
export async function expandPattern(word: Word, cx: ExpandContext): Promise<string> {
  return quotedAs(word, cx, escapeGlob);
}

/** A word as an extended regex (`[[ =~ ]]`): quoted parts match literally. */
export async function expandRegex(word: Word, cx: ExpandContext): Promise<string> {
  return quotedAs(word, cx, escapeRegExp);
}

async function quotedAs(word: Word, cx: ExpandContext, escape: (text: string) => string): Promise<string> {
  let out = "";
  for (const part of word.parts) {
    const text = await partText(part, cx);
    out += part.type === "Quoted" || part.type === "DoubleQuoted" ? escape(text) : text;
  }
  return out;
}

async function paramValue(name: string, op: ParamOp | null, cx: ExpandContext): Promise<string> {
  const value = lookup(name, cx);
  const guarded = op !== null && ["default", "assign", "alternative", "error"].includes(op.kind);
  if (value === undefined && cx.nounset && !guarded && /^[A-Za-z_]/.test(name)) throw new ExpansionError(`${name}: unbound variable`);
  if (op === null) return value ?? "";
  switch (op.kind) {
    case "bad":
      throw new ExpansionError(`${op.text}: bad substitution`);
    case "length":
      return String([...(value ?? "")].length);
    case "default":
    case "assign":
    case "alternative":
    case "error": {
      const missing = value === undefined || (op.colon && value === "");
      if (op.kind === "alternative") return missing ? "" : expandWord(op.word, cx);
      if (!missing) return value;
      const word = await expandWord(op.word, cx);
      if (op.kind === "error") throw new ExpansionError(`${name}: ${word || "parameter null or not set"}`);
      if (op.kind === "assign") {
        if (!/^[A-Za-z_]/.test(name)) throw new ExpansionError(`$${name}: cannot assign in this way`);
        cx.vars.set(name, word);
      }
      return word;
    }
    case "trimPrefix":
    case "trimSuffix":
      return trim(value ?? "", await expandPattern(op.pattern, cx), op.kind === "trimPrefix", op.longest);
    case "replace":
      return replace(value ?? "", await expandPattern(op.pattern, cx), await expandWord(op.replacement, cx), op.all, op.anchor);
    case "case": {
      const text = value ?? "";
      const change = (t: string) => (op.upper ? t.toUpperCase() : t.toLowerCase());
      return op.all ? change(text) : change(text.slice(0, 1)) + text.slice(1);
    }
    case "substring": {
      const chars = [...(value ?? "")];
      let start = arithmetic(op.offset, cx);
      if (start < 0) start = Math.max(0, chars.length + start);
      if (op.length === null) return chars.slice(start).join("");
      const length = arithmetic(op.length, cx);
      const end = length < 0 ? chars.length + length : start + length;
      if (end < start) throw new ExpansionError(`${op.length}: substring expression < 0`);
      return chars.slice(start, end).join("");
    }
  }
}

function trim(value: string, pattern: string, prefix: boolean, longest: boolean): string {
  const re = new RegExp(`^${globSource(pattern)}$`);
  const n = value.length;
  for (let k = 0; k <= n; k++) {
    const cut = longest ? n - k : k;
    if (prefix && re.test(value.slice(0, cut))) return value.slice(cut);
    if (!prefix && re.test(value.slice(n - cut))) return value.slice(0, n - cut);
  }
  return value;
}

function replace(value: string, pattern: string, replacement: string, all: boolean, anchor: "start" | "end" | null): string {
  if (pattern === "") return value;
  const re = new RegExp(`^${globSource(pattern)}$`);
  let out = "";
  let i = 0;
  while (i <= value.length) {
    let matched = -1;
    if (anchor !== "start" || i === 0) {
      for (let j = value.length; j > i; j--) {
        if (anchor === "end" && j !== value.length) break;
        if (re.test(value.slice(i, j))) {
          matched = j;
          break;
        }
      }
    }
    if (matched < 0) {
      if (i < value.length) out += value[i];
      i++;
      continue;
    }
    out += replacement;
    i = matched;
    if (!all) return out + value.slice(i);
  }
  return out;
}
