import { describe, expect, it } from "vitest";
import type { Word } from "@/lib/engine/shell/syntax/ast";
import { Lexer, type Token } from "@/lib/engine/shell/syntax/lexer";
import { parseTokens } from "@/lib/engine/shell/syntax/parser";
import { ShellSyntaxError } from "@/lib/engine/shell/syntax/errors";

function lex(source: string): Token[] {
  return new Lexer(source, 0, parseTokens).tokenize();
}

/** A compact view of tokens: words as their part types, operators and redirects as written. */
function shape(tokens: Token[]): string[] {
  return tokens.map((t) => {
    if (t.kind === "word") return t.word.parts.map((p) => p.type).join("+");
    if (t.kind === "op") return t.op === "\n" ? "NL" : t.op;
    if (t.kind === "redirect") return `${t.fd ?? ""}${t.op}`;
    return "EOF";
  });
}

function firstWord(source: string): Word {
  const token = lex(source)[0];
  if (token.kind !== "word") throw new Error(`not a word: ${token.kind}`);
  return token.word;
}

describe("Lexer tokens", () => {
  const cases: [string, string, string[]][] = [
    ["words and a pipe", "ls -l | wc", ["Literal", "Literal", "|", "Literal", "EOF"]],
    ["and-or and separators", "a && b || c; d &", ["Literal", "&&", "Literal", "||", "Literal", ";", "Literal", "&", "EOF"]],
    ["newlines are tokens", "a\nb", ["Literal", "NL", "Literal", "EOF"]],
    ["comments are skipped", "echo hi # not this\n", ["Literal", "Literal", "NL", "EOF"]],
    ["a # inside a word is literal", "echo a#b", ["Literal", "Literal", "EOF"]],
    ["fd redirects", "cmd 2>&1 >>log 2>/dev/null", ["Literal", "2>&", "Literal", ">>", "Literal", "2>", "Literal", "EOF"]],
    ["&> and here-string", "cmd &>out <<< word", ["Literal", "&>", "Literal", "<<<", "Literal", "EOF"]],
    ["quotes make parts", `a'b'"c"\\d`, ["Literal+Quoted+DoubleQuoted+Quoted", "EOF"]],
    ["parameter and command substitution", "$HOME$(pwd)`id`$((1+2))", ["Param+CommandSub+CommandSub+Arith", "EOF"]],
    ["backslash-newline joins lines", "echo a\\\nb", ["Literal", "Literal", "EOF"]],
    ["subshell parentheses", "(cd /tmp)", ["(", "Literal", "Literal", ")", "EOF"]],
  ];
  it.each(cases)("%s", (_, source, expected) => {
    expect(shape(lex(source))).toEqual(expected);
  });

  it("keeps source spans on words", () => {
    const tokens = lex("echo  hello");
    expect(tokens[1].span).toEqual({ start: 6, end: 11 });
  });

  it("decodes $'…' (ANSI-C quoting)", () => {
    expect(firstWord("$'a\\tb\\x41'").parts).toMatchObject([{ type: "Quoted", value: "a\tbA" }]);
  });

  it("parses ${VAR:-word} with its operation", () => {
    expect(firstWord("${X:-dflt}").parts[0]).toMatchObject({ type: "Param", name: "X", op: { kind: "default", colon: true } });
  });

  it("marks unsupported ${…} forms as bad substitutions", () => {
    expect(firstWord("${x@Q}").parts[0]).toMatchObject({ type: "Param", op: { kind: "bad", text: "${x@Q}" } });
  });
});

describe("Lexer here-documents", () => {
  it("reads the body after the newline and attaches it to the << token", () => {
    const tokens = lex("cat <<EOF\nline $X\nEOF\necho after");
    const redirect = tokens[1];
    expect(redirect.kind === "redirect" && redirect.heredoc).toMatchObject({ delimiter: "EOF", quoted: false, stripTabs: false });
    expect(redirect.kind === "redirect" && redirect.heredoc?.body.parts.map((p) => p.type)).toEqual(["Literal", "Param", "Literal"]);
    expect(shape(tokens)).toEqual(["Literal", "<<", "NL", "Literal", "Literal", "EOF"]);
  });

  it("keeps a quoted delimiter's body literal", () => {
    const redirect = lex("cat <<'EOF'\n$X `y`\nEOF\n")[1];
    expect(redirect.kind === "redirect" && redirect.heredoc?.body.parts).toMatchObject([{ type: "Quoted", value: "$X `y`\n" }]);
  });

  it("strips leading tabs with <<-", () => {
    const redirect = lex("cat <<-END\n\t\tx\n\tEND\n")[1];
    expect(redirect.kind === "redirect" && redirect.heredoc?.body.text).toBe("x\n");
  });

  it("warns when the input ends before the delimiter, as bash does", () => {
    const lexer = new Lexer("cat <<EOF\nabc", 0, parseTokens);
    lexer.tokenize();
    expect(lexer.warnings).toEqual(["warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"]);
    expect(lexer.wantsMore).toBe(true);
  });
});

describe("Lexer errors", () => {
  const cases: [string, string, string][] = [
    ["open single quote", "echo 'abc", "unexpected EOF while looking for matching `''"],
    ["open double quote", 'echo "abc', "unexpected EOF while looking for matching `\"'"],
    ["open command substitution", "echo $(ls", "unexpected EOF while looking for matching `)'"],
    ["open backtick", "echo `ls", "unexpected EOF while looking for matching ``'"],
    ["open parameter", "echo ${HOME", "unexpected EOF while looking for matching `}'"],
    ["here-document without a delimiter", "cat <<", "syntax error near unexpected token `newline'"],
  ];
  it.each(cases)("%s", (_, source, message) => {
    let caught: unknown;
    try {
      lex(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShellSyntaxError);
    expect((caught as ShellSyntaxError).message).toBe(message);
  });
});
