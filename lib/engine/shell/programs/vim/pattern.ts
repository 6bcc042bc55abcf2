/**
 * Vim's search patterns ('magic' on, the default) as JavaScript regular expressions: `.`, `*`,
 * `[…]`, `^`, `$` are special; `\+`, `\?`, `\=`, `\{n,m}`, `\(…\)`, `\|`, `\<`, `\>` are the
 * escaped forms; `+ ? ( ) | { }` are literal; `\c`/`\C` force the case rule.
 *
 * @example
 * vimRegExp("replicas: \\d\\+", { ignorecase: false }); // /replicas: \d+/
 * vimRegExp("a(b)", {});                              // /a\(b\)/
 */
export function vimRegExp(pattern: string, options: { ignorecase?: boolean; smartcase?: boolean; global?: boolean }): RegExp {
  let source = "";
  let ignore = options.ignorecase === true && !(options.smartcase === true && /[A-Z]/.test(pattern.replace(/\\./g, "")));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[++i];
      if (n === undefined) {
        source += "\\\\";
        break;
      }
      switch (n) {
        case "+":
        case "?":
        case "|":
        case "(":
        case ")":
          source += n;
          break;
        case "=":
          source += "?";
          break;
        case "{": {
          const end = pattern.indexOf("}", i);
          const body = end < 0 ? "" : pattern.slice(i + 1, end).replace(/\\$/, "");
          if (end < 0 || !/^-?\d*(,\d*)?$/.test(body)) throw new Error(`E554: Syntax error in \\{...}`);
          const lazy = body.startsWith("-");
          const range = body.replace(/^-/, "");
          source += (range === "" ? "*" : range.startsWith(",") ? `{0${range}}` : `{${range}}`) + (lazy ? "?" : "");
          i = end;
          break;
        }
        case "<":
        case ">":
          source += "\\b";
          break;
        case "s":
          source += "[ \\t]";
          break;
        case "S":
          source += "[^ \\t]";
          break;
        case "d":
        case "D":
        case "w":
        case "W":
          source += "\\" + n;
          break;
        case "a":
          source += "[A-Za-z]";
          break;
        case "l":
          source += "[a-z]";
          break;
        case "u":
          source += "[A-Z]";
          break;
        case "t":
          source += "\\t";
          break;
        case "n":
          source += "\\n";
          break;
        case "c":
          ignore = true;
          break;
        case "C":
          ignore = false;
          break;
        default:
          source += /[A-Za-z0-9]/.test(n) ? n : "\\" + n;
      }
      continue;
    }
    if (c === "[") {
      const end = classEnd(pattern, i);
      if (end < 0) {
        source += "\\[";
        continue;
      }
      source += pattern.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === "~") {
      source += "~";
      continue;
    }
    if ("+?(){}|/".includes(c)) {
      source += "\\" + c;
      continue;
    }
    if (c === "^" && i !== 0) {
      source += "\\^";
      continue;
    }
    if (c === "$" && i !== pattern.length - 1) {
      source += "\\$";
      continue;
    }
    source += c;
  }
  try {
    return new RegExp(source, (options.global ? "g" : "") + (ignore ? "i" : ""));
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), (options.global ? "g" : "") + (ignore ? "i" : ""));
  }
}

/** Where the `[…]` starting at `start` ends, or -1 (then the `[` is literal, as in Vim). */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  if (pattern[i] === "]") i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "]") return i;
  }
  return -1;
}

/**
 * A `:s` replacement for one match: `&` and `\0` the match, `\1`…`\9` groups, `\r` a line
 * break (returned as `\n`), `\n` a NUL (kept as `\n` here too), `\&` and `\\` literal.
 */
export function expandReplacement(replacement: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === "&") {
      out += match[0];
      continue;
    }
    if (c !== "\\" || i + 1 >= replacement.length) {
      out += c;
      continue;
    }
    const n = replacement[++i];
    if (/[0-9]/.test(n)) out += match[Number(n)] ?? "";
    else if (n === "r" || n === "n") out += "\n";
    else if (n === "t") out += "\t";
    else out += n;
  }
  return out;
}
