import { describe, expect, it } from "vitest";
import { compileRegex, posixToJs, RegexError } from "@/lib/engine/shell/text/regex";

describe("posixToJs", () => {
  const cases: [string, string, boolean, string][] = [
    ["BRE groups and intervals", "a\\(b*\\)\\{2\\}", false, "a(b*){2}"],
    ["BRE keeps ERE characters literal", "a+b?(c)|{d}", false, "a\\+b\\?\\(c\\)\\|\\{d\\}"],
    ["GNU BRE extensions", "a\\+b\\?c\\|d", false, "a+b?c|d"],
    ["a leading * is literal", "*a", false, "\\*a"],
    ["^ is literal in the middle of a BRE", "a^b", false, "a\\^b"],
    ["ERE operators", "^(ab|cd)+e?$", true, "^(ab|cd)+e?$"],
    ["ERE { without an interval is literal", "a{x", true, "a\\{x"],
    ["bracket classes", "[[:digit:]x-z]", true, "[0-9x-z]"],
    ["word boundaries", "\\<ab\\>", false, "\\b(?=\\w)ab\\b(?<=\\w)"],
    ["back-references", "\\(a\\)\\1", false, "(a)\\1"],
    ["dots and slashes", "a.b/c", false, "a.b\\/c"],
  ];
  it.each(cases)("%s", (_, pattern, extended, source) => {
    expect(posixToJs(pattern, extended)).toBe(source);
  });

  const errors: [string, string, boolean, string][] = [
    ["an open group", "a\\(", false, "Unmatched ( or \\("],
    ["an open ERE group", "(a", true, "Unmatched ( or \\("],
    ["a stray )", "a)", true, "Unmatched ) or \\)"],
    ["an open bracket", "[ab", false, "Unmatched [, [^, [:, [., or [="],
    ["a trailing backslash", "ab\\", false, "Trailing backslash"],
    ["a back-reference to nothing", "a\\1", false, "Invalid back reference"],
    ["an interval with nothing before it", "\\{2\\}", false, "Invalid preceding regular expression"],
  ];
  it.each(errors)("rejects %s with GNU's message", (_, pattern, extended, message) => {
    expect(() => posixToJs(pattern, extended)).toThrow(new RegexError(message));
  });

  it("compiles with flags", () => {
    const re = compileRegex("err|warn", { extended: true, ignoreCase: true, global: true });
    expect("ERR x warn".match(re)).toEqual(["ERR", "warn"]);
  });
});
