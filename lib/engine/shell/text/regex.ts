import { escapeRegExp, translateBracket } from "./brackets";

/** A pattern GNU regcomp rejects, with its message ("Unmatched ( or \\("). */
export class RegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegexError";
  }
}

const ESCAPES: Record<string, string> = {
  "<": "\\b(?=\\w)",
  ">": "\\b(?<=\\w)",
  b: "\\b",
  B: "\\B",
  w: "\\w",
  W: "\\W",
  s: "\\s",
  S: "\\S",
  n: "\\n",
  t: "\\t",
  "`": "^",
  "'": "$",
};

/**
 * Translates a POSIX regular expression (GNU flavour) into JavaScript RegExp source: basic
 * (grep, sed) where `\(`, `\{`, `\|`, `\+`, `\?` are operators, or extended (grep -E, sed -E,
 * awk) where the bare characters are. Bracket expressions, `\<`/`\>`, `\w`, back-references
 * and GNU's rules for a leading `*` or a `^` in the middle are kept.
 *
 * @example
 * posixToJs("a\\(b*\\)\\{2\\}", false); // "a(b*){2}"
 * posixToJs("^(ab|cd)+$", true);       // "^(ab|cd)+$"
 */
export function posixToJs(pattern: string, extended: boolean): string {
  let out = "";
  let depth = 0;
  let groups = 0;
  /** Whether the cursor is where an expression starts (so `*` is literal and `^` anchors). */
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let operator: string | null = null;
    if (c === "\\") {
      const next = pattern[++i];
      if (next === undefined) throw new RegexError("Trailing backslash");
      if (!extended && "(){}|+?".includes(next)) operator = next;
      else if (/[1-9]/.test(next)) {
        if (Number(next) > groups) throw new RegexError("Invalid back reference");
        out += "\\" + next;
      } else out += ESCAPES[next] ?? escapeRegExp(next);
      if (operator === null) {
        atStart = false;
        continue;
      }
    } else if (extended && "(){}|+?".includes(c)) {
      operator = c;
    }
    const token = operator ?? c;
    if (operator !== null) {
      if (token === "(") {
        depth++;
        groups++;
        out += "(";
        atStart = true;
        continue;
      }
      if (token === ")") {
        if (depth === 0) throw new RegexError("Unmatched ) or \\)");
        depth--;
        out += ")";
      } else if (token === "|") {
        out += "|";
        atStart = true;
        continue;
      } else if (token === "{") {
        const close = pattern.indexOf(extended ? "}" : "\\}", i);
        const body = close < 0 ? null : pattern.slice(i + 1, close);
        if (body === null || !/^\d*(,\d*)?$/.test(body) || body === "" || body === ",") {
          if (extended) {
            out += "\\{";
            atStart = false;
            continue;
          }
          throw new RegexError(close < 0 ? "Unmatched \\{" : "Invalid content of \\{\\}");
        }
        if (atStart) throw new RegexError("Invalid preceding regular expression");
        out += `{${body.startsWith(",") ? "0" + body : body}}`;
        i = close + (extended ? 0 : 1);
      } else if (token === "}") {
        out += "\\}";
      } else {
        out += atStart ? escapeRegExp(token) : token;
      }
      atStart = false;
      continue;
    }
    if (c === "[") {
      const bracket = translateBracket(pattern, i, { globEscapes: false });
      if (!bracket) throw new RegexError("Unmatched [, [^, [:, [., or [=");
      out += bracket.source;
      i = bracket.end - 1;
    } else if (c === "*") {
      out += atStart ? "\\*" : "*";
    } else if (c === "^") {
      out += atStart || extended ? "^" : "\\^";
      if (atStart) continue;
    } else if (c === "$") {
      const next = pattern.slice(i + 1, i + 3);
      const atEnd = i === pattern.length - 1 || (!extended && (next === "\\)" || next === "\\|")) || (extended && (next[0] === ")" || next[0] === "|"));
      out += atEnd || extended ? "$" : "\\$";
    } else if (c === ".") {
      out += ".";
    } else {
      out += escapeRegExp(c);
    }
    atStart = false;
  }
  if (depth > 0) throw new RegexError("Unmatched ( or \\(");
  return out;
}

/**
 * A RegExp for a POSIX pattern; throws {@link RegexError} with GNU's message when invalid.
 *
 * @example
 * compileRegex("error|warn", { extended: true, ignoreCase: true, global: true });
 */
export function compileRegex(pattern: string, options: { extended: boolean; ignoreCase?: boolean; global?: boolean }): RegExp {
  const source = posixToJs(pattern, options.extended);
  const flags = (options.global ? "g" : "") + (options.ignoreCase ? "i" : "");
  try {
    return new RegExp(source, flags);
  } catch {
    throw new RegexError("Invalid regular expression");
  }
}
