import type { Location } from "./location";
import { joinPath } from "./path";
import type { CommandContext } from "./types";
import { byteOrder } from "./variables";

/** Tab-completion candidates for the word before the cursor. */
export interface Completion {
  /**
   * Replacements for `line.slice(replaceFrom, replaceTo)`, sorted. Directories end in `/`;
   * a caller inserting a single candidate that does not end in `/` adds a space after it.
   */
  candidates: string[];
  replaceFrom: number;
  replaceTo: number;
}

interface Scanned {
  /** Completed words of the current simple command, quotes removed. */
  words: string[];
  /** The word being typed: where it starts and its text with quotes removed. */
  start: number;
  current: string;
  /** The word follows `<` or `>`: a file name. */
  afterRedirect: boolean;
}

const KEYWORDS = new Set(["if", "then", "elif", "else", "do", "while", "until", "!", "{", "time"]);
const SPECIAL = /[\s'"\\$&|;<>()*?[\]!#`]/g;

/** Splits the text before the cursor into the current command's words, tolerating open quotes. */
function scan(prefix: string): Scanned {
  const state = { words: [] as string[], start: -1, value: "", quote: "", afterRedirect: false };
  const finish = () => {
    if (state.start < 0) return;
    if (state.afterRedirect) state.afterRedirect = false;
    else state.words.push(state.value);
    state.start = -1;
    state.value = "";
  };
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (state.quote !== "") {
      if (c === state.quote) state.quote = "";
      else if (state.quote === '"' && c === "\\" && i + 1 < prefix.length) state.value += prefix[++i];
      else state.value += c;
      continue;
    }
    if (c === " " || c === "\t") {
      finish();
    } else if ("|;&(\n".includes(c)) {
      finish();
      state.words = [];
    } else if (c === "<" || c === ">") {
      finish();
      state.afterRedirect = true;
    } else {
      if (state.start < 0) state.start = i;
      if (c === "'" || c === '"') state.quote = c;
      else if (c === "\\" && i + 1 < prefix.length) state.value += prefix[++i];
      else state.value += c;
    }
  }
  const open = state.start >= 0;
  return { words: state.words, start: open ? state.start : prefix.length, current: state.value, afterRedirect: state.afterRedirect };
}

/**
 * Completes the word before `cursor`: command names at command position, `$VARIABLES`, flags
 * from the command's spec after `-`, the command's own `complete` for its operands, and file
 * names otherwise.
 *
 * @example
 * completeLine("ls -", 4, location, ctx).candidates; // ["--all", "--almost-all", …, "-a", …]
 */
export function completeLine(line: string, cursor: number, location: Location, ctx: CommandContext): Completion {
  const scanned = scan(line.slice(0, cursor));
  const { current } = scanned;
  const words = [...scanned.words];
  while (words.length > 0 && isPrefixWord(words[0])) words.shift();
  const result = (candidates: string[], filter = true) => ({
    candidates: [...new Set(filter ? candidates.filter((c) => c.startsWith(current)) : candidates)].sort(byteOrder),
    replaceFrom: scanned.start,
    replaceTo: cursor,
  });
  if (current.startsWith("$")) return result(location.vars.names().map((name) => "$" + name));
  if (words.length === 0 && !scanned.afterRedirect && !current.includes("/")) return result(location.commands.names());
  if (words.length === 0 || scanned.afterRedirect) return result(files(current, location, words.length === 0), false);
  const command = location.commands.get(words[0]);
  if (command && current.startsWith("-") && !command.spec.raw) {
    const flags = command.spec.flags.flatMap((f) => [
      ...(f.short ? [`-${f.short}`] : []),
      ...(f.long ? [`--${f.long}${f.value === "required" ? "=" : ""}`] : []),
    ]);
    return result([...flags, "--help"]);
  }
  const own = command?.complete?.(words.slice(1), ctx, current);
  return own ? result(own) : result(files(current, location, false), false);
}

function isPrefixWord(word: string): boolean {
  return KEYWORDS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

/** File names for a partial path; with `executables`, only directories and executable files. */
function files(partial: string, location: Location, executables: boolean): string[] {
  const slash = partial.lastIndexOf("/");
  const dirPart = partial.slice(0, slash + 1);
  const base = partial.slice(slash + 1);
  const home = location.vars.get("HOME") ?? location.host.home;
  const lookup = dirPart.startsWith("~") ? home + dirPart.slice(1) : dirPart;
  const dir = joinPath(location.cwd, lookup === "" ? "." : lookup);
  let names: string[];
  try {
    names = location.fs.list(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(base) || (name.startsWith(".") && !base.startsWith("."))) continue;
    const path = joinPath(dir, name);
    const isDir = location.fs.isDirectory(path);
    if (executables && !isDir && (location.fs.stat(path).mode & 0o111) === 0) continue;
    out.push(dirPart + name.replace(SPECIAL, "\\$&") + (isDir ? "/" : ""));
  }
  return out;
}
