import { describe, expect, it } from "vitest";
import type { Command } from "@/lib/engine/shell";
import { type Case, expectRun, nodeShell, sampleShell } from "./helpers";

describe("interpreter", () => {
  const cases: Case[] = [
    ["a pipeline feeds each stage", "printf 'b\\na\\nb\\n' | sort | uniq -c", { stdout: "      1 a\n      2 b\n" }],
    ["a pipeline's status is the last stage's", "false | true; echo $?; true | false; echo $?", { stdout: "0\n1\n" }],
    ["! negates", "! false; echo $?", { stdout: "0\n" }],
    ["&& and || short-circuit", "false && echo no; true && echo yes; false || echo fallback; true || echo never", { stdout: "yes\nfallback\n" }],
    ["a || b && c groups left to right", "true || echo x && echo y", { stdout: "y\n" }],
    ["unknown commands", "nosuch; echo $?", { stdout: "127\n", stderr: "bash: nosuch: command not found\n" }],
    ["bash -c names the line an unknown command is on", "bash -c 'true\nnosuch'; echo $?", { stdout: "127\n", stderr: "bash: line 2: nosuch: command not found\n" }],
    ["sh is dash: its own words, with the line", "sh -c 'true; nosuch'", { stderr: "sh: 1: nosuch: not found\n", exitCode: 127 }],
    ["> truncates and >> appends", "echo a > f; echo b >> f; echo c >> f; cat f; echo z > f; cat f", { stdout: "a\nb\nc\nz\n" }],
    ["> creates the file before the command runs", "cat people.txt > people.txt; wc -c < people.txt", { stdout: "0\n" }],
    ["2> and 2>&1 follow their order", "ls nope 2>/dev/null; echo $?; ls nope 2>&1 >/dev/null | wc -l", { stdout: "2\n1\n" }],
    ["&> sends both streams", "ls nope people.txt &> both; cat both", { stdout: "ls: cannot access 'nope': No such file or directory\npeople.txt\n" }],
    [">&2 writes to stderr", "echo oops >&2", { stdout: "", stderr: "oops\n" }],
    ["< reads a file", "wc -l < people.txt", { stdout: "4\n" }],
    ["a redirect to a missing directory fails the command", "echo x > nodir/f; echo $?", { stdout: "1\n", stderr: "bash: nodir/f: No such file or directory\n" }],
    ["a redirect to a directory fails", "echo x > d", { stderr: "bash: d: Is a directory\n", exitCode: 1 }],
    ["reading a missing file fails", "cat < nope", { stderr: "bash: nope: No such file or directory\n", exitCode: 1 }],
    ["an ambiguous redirect", "f='a b'; echo x > $f", { stderr: "bash: $f: ambiguous redirect\n", exitCode: 1 }],
    ["a bad file descriptor", "echo x >&5", { stderr: "bash: 5: Bad file descriptor\n", exitCode: 1 }],
    ["a here-document into cat", "cat <<EOF\nhome=$HOME\n$(echo sub)\nEOF", { stdout: "home=/root\nsub\n" }],
    ["a quoted here-document is literal", "cat <<'EOF'\n$HOME `x`\nEOF", { stdout: "$HOME `x`\n" }],
    ["<<- strips tabs", "cat <<-EOF\n\tindented\n\tEOF", { stdout: "indented\n" }],
    ["a here-document into a file", "cat > conf.yaml <<EOF\nkind: Pod\nEOF\ncat conf.yaml", { stdout: "kind: Pod\n" }],
    ["a here-document cut short still runs, with bash's warning", "cat <<EOF\nabc", { stdout: "abc\n", stderr: "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n" }],
    ["a here-string", "tr a-z A-Z <<< 'hi there'", { stdout: "HI THERE\n" }],
    ["for over words", "for x in a b c; do echo -n $x; done; echo", { stdout: "abc\n" }],
    ["for over a glob", "for f in d/*.txt d/*.log; do echo $f; done", { stdout: "d/a.txt\nd/b.log\n" }],
    ["while with a counter", "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done", { stdout: "0\n1\n2\n" }],
    ["until", "i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i", { stdout: "2\n" }],
    ["while read over a pipe", "printf 'x 1\\ny 2\\n' | while read k v; do echo \"$v=$k\"; done", { stdout: "1=x\n2=y\n" }],
    ["while read from a redirect", "while read line; do echo \"<$line>\"; done < csv.txt", { stdout: "<name:age:role>\n<alice:30:admin>\n<bob:25:dev>\n" }],
    ["break and continue", "for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done", { stdout: "1\n3\n" }],
    ["break N leaves nested loops", "for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done", { stdout: "1a\n" }],
    ["if/elif/else", "for n in 1 2 3; do if [ $n = 1 ]; then echo one; elif [ $n = 2 ]; then echo two; else echo many; fi; done", { stdout: "one\ntwo\nmany\n" }],
    ["loop output redirected as a whole", "for i in 1 2; do echo $i; done > nums; cat nums", { stdout: "1\n2\n" }],
    ["a group shares the shell", "{ X=1; echo in; }; echo $X", { stdout: "in\n1\n" }],
    ["a subshell does not", "(X=1; cd /tmp); echo \"[$X]\" $(pwd)", { stdout: "[] /root/w\n" }],
    ["exit in a subshell only ends it", "(exit 4); echo $?", { stdout: "4\n" }],
    ["each pipeline stage is a subshell", "echo x | read v; echo \"[$v]\"", { stdout: "[]\n" }],
    ["prefix assignments are for that command only", "FOO=1 env | grep ^FOO=; echo \"[$FOO]\"", { stdout: "FOO=1\n[]\n" }],
    ["an assignment alone sets a shell variable, not an exported one", "V=1; env | grep -c ^V=; echo $V", { stdout: "0\n1\n" }],
    ["x=$(false) sets $?", "x=$(false); echo $?", { stdout: "1\n" }],
    ["an executable script runs", "printf 'echo from script\\nexit 3\\n' > s.sh; chmod +x s.sh; ./s.sh; echo $?", { stdout: "from script\n3\n" }],
    ["a script without the x bit is refused", "echo 'echo hi' > s.sh; ./s.sh", { stderr: "bash: ./s.sh: Permission denied\n", exitCode: 126 }],
    ["a missing path is not found", "./nope", { stderr: "bash: ./nope: No such file or directory\n", exitCode: 127 }],
    ["a command's own path runs it", "/usr/bin/echo via path", { stdout: "via path\n" }],
    ["[[ ]] with patterns, regexes and no word splitting", "x='a b'; f=a.txt; [[ $x == 'a b' && $f == *.txt ]] && echo glob; [[ $f == \"*.txt\" ]] || echo quoted; [[ abc =~ ^a(b|c) ]] && echo re", { stdout: "glob\nquoted\nre\n" }],
    ["[[ ]] file tests, !, ||, parentheses, < and >", "[[ -f csv.txt && ! -d csv.txt ]] && [[ ( -z '' || -n '' ) ]] && [[ b > a && a < b ]] && echo ok", { stdout: "ok\n" }],
    ["[[ ]] compares arithmetic", "n=3; [[ n+1 -eq 4 && 2 -lt 10 ]] && echo num", { stdout: "num\n" }],
    ["[[ ]] false is status 1", "[[ a == b ]]; echo $?", { stdout: "1\n" }],
    ["[[ ]] with a syntax error", "[[ a b ]]", { stderr: "bash: syntax error in conditional expression: unexpected token `b'\n", exitCode: 2 }],
    ["case picks the first matching pattern", "for v in abc b zz; do case $v in a|b) echo one;; a*) echo two;; *) echo other;; esac; done", { stdout: "two\none\nother\n" }],
    ["case with (pattern), a quoted pattern and no match", "case '*' in (\"*\") echo star; esac; case x in y) echo no;; esac; echo $?", { stdout: "star\n0\n" }],
    ["case over lines", "case x in\n  x)\n    echo multi\n    ;;\nesac", { stdout: "multi\n" }],
    ["(( )) arithmetic commands", "i=0; while (( i < 3 )); do ((i++)); done; echo $i; (( 0 )); echo $?; ((x = 5 * 2)); echo $x", { stdout: "3\n1\n10\n" }],
    ["(( )) with an error", "(( 1/0 ))", { stderr: 'bash: ((: 1/0: division by 0 (error token is "0")\n', exitCode: 1 }],
    ["brace expansion", "echo {1..3} x{a,b}y {a..e..2} {05..10..2} {b,c{d,e}} {x} a{1..2}{x,y} {3..1}", { stdout: "1 2 3 xay xby a c e 05 07 09 b cd ce {x} a1x a1y a2x a2y 3 2 1\n" }],
    ["brace expansion makes files", "mkdir -p p/{a,b}; touch p/{a,b}/f{1,2}; echo p/*/*", { stdout: "p/a/f1 p/a/f2 p/b/f1 p/b/f2\n" }],
    ["quoted braces do not expand", "echo '{a,b}' \"{1..2}\"", { stdout: "{a,b} {1..2}\n" }],
    ["a syntax error stops its whole line with status 2", "echo a; fi", { stdout: "", stderr: "bash: syntax error near unexpected token `fi'\n", exitCode: 2 }],
    ["complete lines before a syntax error still run", "echo a\necho b; fi\necho c", { stdout: "a\n", stderr: "bash: syntax error near unexpected token `fi'\n", exitCode: 2 }],
    ["lines before an open quote run", "echo a\nfor i in 1; do\necho 'open", { stdout: "a\n", stderr: "bash: unexpected EOF while looking for matching `''\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", async (_, input, expected) => {
    const { sh } = await sampleShell();
    await expectRun(sh, input, expected);
  });

  it("stops a runaway loop at the step limit, with a message and status 1", async () => {
    const { sh } = nodeShell({ maxSteps: 50 });
    const result = await sh.run("i=0; while true; do i=$((i+1)); done; echo after");
    expect(result.stderr).toBe("bash: loop limit exceeded: stopped after 50 iterations\n");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect((await sh.run("echo $i")).stdout).toBe("50\n");
    expect((await sh.run("for i in 1 2 3; do :; done; echo fresh budget")).stdout).toBe("fresh budget\n");
  });

  it("reports a command's JavaScript error as an internal error and keeps going", async () => {
    const broken: Command = {
      name: "broken",
      summary: "always throws",
      usage: "broken",
      spec: { flags: [] },
      run() {
        throw new Error("boom");
      },
    };
    const { sh } = nodeShell({ extra: [broken] });
    const result = await sh.run("broken; echo still here");
    expect(result.stderr).toBe("bash: broken: internal error: boom\n");
    expect(result.stdout).toBe("still here\n");
    expect(result.exitCode).toBe(0);
  });

  it("interleaves stdout and stderr in output", async () => {
    const { sh } = nodeShell();
    const result = await sh.run("echo one; ls /nope; echo two");
    expect(result.output).toBe("one\nls: cannot access '/nope': No such file or directory\ntwo\n");
  });

  it("lets a command run another through ctx.exec", async () => {
    const twice: Command = {
      name: "twice",
      summary: "runs a command twice",
      usage: "twice COMMAND [ARG]...",
      spec: { flags: [], stopAtOperand: true },
      async run(args, ctx) {
        const first = await ctx.exec([...args.operands]);
        const second = await ctx.exec([...args.operands], { env: { N: "2" } });
        return { stdout: first.stdout + second.stdout, stderr: "", exitCode: second.exitCode };
      },
    };
    const { sh } = nodeShell({ extra: [twice] });
    expect((await sh.run("twice sh -c 'echo n=$N'")).stdout).toBe("n=\nn=2\n");
  });

  it("passes only unread standard input on", async () => {
    const { sh } = nodeShell();
    const result = await sh.run("printf 'a\\nb\\nc\\n' | { read first; cat; }");
    expect(result.stdout).toBe("b\nc\n");
  });
});
