import { describe, expect, it } from "vitest";
import { isIncomplete, parse, ShellSyntaxError } from "@/lib/engine/shell";

function firstCommand(source: string) {
  return parse(source).script.body[0].first.commands[0];
}

describe("parse: shapes", () => {
  it("splits a simple command into assignments, words and redirects", () => {
    const command = firstCommand("FOO=1 BAR=x ls -l >out 2>&1");
    expect(command).toMatchObject({
      type: "SimpleCommand",
      assignments: [{ name: "FOO" }, { name: "BAR" }],
      words: [{ text: "ls" }, { text: "-l" }],
      redirects: [{ op: ">", fd: null, target: { text: "out" } }, { op: ">&", fd: 2, target: { text: "1" } }],
    });
  });

  it("treats NAME=value after the command name as an ordinary word", () => {
    expect(firstCommand("echo A=1")).toMatchObject({ assignments: [], words: [{ text: "echo" }, { text: "A=1" }] });
  });

  it("builds pipelines and and-or lists", () => {
    const [statement] = parse("! a | b && c || d").script.body;
    expect(statement.first).toMatchObject({ negated: true, commands: [{ type: "SimpleCommand" }, { type: "SimpleCommand" }] });
    expect(statement.rest.map((r) => r.op)).toEqual(["&&", "||"]);
  });

  it("separates statements on ; & and newlines, marking &", () => {
    const { body } = parse("a; b &\nc").script;
    expect(body.map((s) => s.background)).toEqual([false, true, false]);
  });

  it("parses if/elif/else", () => {
    expect(firstCommand("if a; then b; elif c; then d; else e; fi")).toMatchObject({
      type: "If",
      clauses: [{ condition: [{}], body: [{}] }, { condition: [{}], body: [{}] }],
      elseBody: [{}],
    });
  });

  it("parses for with words, and for without in", () => {
    expect(firstCommand("for f in a b c; do echo $f; done")).toMatchObject({ type: "For", variable: "f", items: [{}, {}, {}] });
    expect(firstCommand("for f\ndo echo; done")).toMatchObject({ type: "For", items: null });
  });

  it("parses while and until with trailing redirects", () => {
    expect(firstCommand("while read l; do echo $l; done < file")).toMatchObject({ type: "While", until: false, redirects: [{ op: "<" }] });
    expect(firstCommand("until false; do :; done")).toMatchObject({ type: "While", until: true });
  });

  it("parses groups and subshells", () => {
    expect(firstCommand("{ a; b; } > out")).toMatchObject({ type: "Group", body: [{}, {}], redirects: [{ op: ">" }] });
    expect(firstCommand("(cd /; ls)")).toMatchObject({ type: "Subshell", body: [{}, {}] });
  });

  it("parses [[ ]] into a conditional expression", () => {
    expect(firstCommand("[[ -f x && ( $a == b* || ! c < d ) ]]")).toMatchObject({
      type: "Cond",
      expr: { kind: "and", left: { kind: "unary", op: "-f" }, right: { kind: "or", left: { kind: "binary", op: "==" }, right: { kind: "not", expr: { kind: "binary", op: "<" } } } },
    });
  });

  it("parses case items with alternative patterns", () => {
    expect(firstCommand("case $x in a|b) one;; (c) two;; esac")).toMatchObject({
      type: "Case",
      items: [{ patterns: [{ text: "a" }, { text: "b" }], body: [{}] }, { patterns: [{ text: "c" }], body: [{}] }],
    });
  });

  it("keeps keywords as plain words outside command position", () => {
    expect(firstCommand("echo if then fi")).toMatchObject({ words: [{}, { text: "if" }, { text: "then" }, { text: "fi" }] });
  });

  it("records source spans", () => {
    expect(parse("  echo hi").script.body[0].span).toEqual({ start: 2, end: 9 });
  });

  it("parses a command substitution body as a script", () => {
    const word = firstCommand("echo $(ls | wc -l)");
    expect(word.type === "SimpleCommand" && word.words[1].parts[0]).toMatchObject({
      type: "CommandSub",
      script: { body: [{ first: { commands: [{}, {}] } }] },
    });
  });
});

describe("parse: syntax errors in bash's words", () => {
  const cases: [string, string, string, boolean][] = [
    ["an extra done", "for x in a; do echo; done; done", "syntax error near unexpected token `done'", false],
    ["a leading pipe", "| ls", "syntax error near unexpected token `|'", false],
    ["a redirect without a target", "echo >", "syntax error near unexpected token `newline'", false],
    ["then without if", "then echo", "syntax error near unexpected token `then'", false],
    ["fi right after if's condition", "if true; fi", "syntax error near unexpected token `fi'", false],
    ["an empty if condition", "if ; then x; fi", "syntax error near unexpected token `;'", false],
    ["a stray )", "echo a )", "syntax error near unexpected token `)'", false],
    ["a word after a compound command", "{ a; } b", "syntax error near unexpected token `b'", false],
    ["a bad for variable", "for 1x in a; do :; done", "`1x': not a valid identifier", false],
    ["functions, which this shell does not have", "function f { :; }", "syntax error: `function' is not supported by this shell", false],
    ["esac outside case", "esac", "syntax error near unexpected token `esac'", false],
    ["an unterminated [[", "[[ -f x", "syntax error: unexpected end of file", true],
    ["an unfinished if", "if true; then echo", "syntax error: unexpected end of file", true],
    ["a trailing &&", "true &&", "syntax error: unexpected end of file", true],
    ["an unfinished pipe", "ls |", "syntax error: unexpected end of file", true],
  ];
  it.each(cases)("%s", (_, source, message, incomplete) => {
    let caught: unknown;
    try {
      parse(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShellSyntaxError);
    expect((caught as ShellSyntaxError).message).toBe(message);
    expect((caught as ShellSyntaxError).incomplete).toBe(incomplete);
  });
});

describe("isIncomplete", () => {
  const cases: [string, boolean][] = [
    ["echo hi", false],
    ["echo 'open", true],
    ["for i in 1 2; do", true],
    ["cat <<EOF\nbody", true],
    ["echo a \\", true],
    ["echo )", false],
    ["ls |", true],
  ];
  it.each(cases)("%j → %s", (input, expected) => {
    expect(isIncomplete(input)).toBe(expected);
  });
});
