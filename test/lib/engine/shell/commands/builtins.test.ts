import { describe, it } from "vitest";
import { type Case, expectRun, sampleShell } from "../helpers";

async function check(input: string, expected: Parameters<typeof expectRun>[2]) {
  const { sh } = await sampleShell();
  await expectRun(sh, input, expected);
}

describe("echo and printf", () => {
  const cases: Case[] = [
    ["echo joins words", "echo a   b  c", { stdout: "a b c\n" }],
    ["echo -n", "echo -n hi; echo", { stdout: "hi\n" }],
    ["echo -e escapes, \\c stops", "echo -e 'a\\tb\\nc\\x41\\0102'; echo -e 'x\\c y'; echo", { stdout: "a\tb\ncAB\nx\n" }],
    ["echo without -e keeps backslashes", "echo 'a\\tb'", { stdout: "a\\tb\n" }],
    ["echo treats other dashes as words", "echo -- -x --help -nx", { stdout: "-- -x --help -nx\n" }],
    ["printf reuses its format", "printf '%s-%03d\\n' a 1 b 2", { stdout: "a-001\nb-002\n" }],
    ["printf conversions", "printf '%5s|%-5s|%05d|%x|%X|%o|%e|%.2f|%g|%c|%%\\n' ab cd 42 255 255 8 1234.5 3.14159 0.0001 hello", { stdout: "   ab|cd   |00042|ff|FF|10|1.234500e+03|3.14|0.0001|h|%\n" }],
    ["printf %b and escapes", "printf '%b|\\101\\x42\\n' 'x\\ty'", { stdout: "x\ty|AB\n" }],
    ["printf flags", "printf '%+d % d %-4d|%5.2s|\\n' 5 5 5 abc", { stdout: "+5  5 5   |   ab|\n" }],
    ["printf numbers in hex and characters", "printf '%d %d\\n' 0x1f \"'A\"", { stdout: "31 65\n" }],
    ["printf with missing arguments", "printf '%s %s|%d\\n' a", { stdout: "a |0\n" }],
    ["printf with an invalid number", "printf '%d\\n' abc", { stdout: "0\n", stderr: "bash: printf: abc: invalid number\n", exitCode: 1 }],
    ["printf -v assigns", "printf -v out '%05.1f' 3.14159; echo $out", { stdout: "003.1\n" }],
    ["printf with no format", "printf", { stderr: "printf: usage: printf [-v var] format [arguments]\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("cd and pwd", () => {
  const cases: Case[] = [
    ["cd and pwd", "cd d/sub && pwd", { stdout: "/root/w/d/sub\n" }],
    ["cd with no argument goes home", "cd; pwd", { stdout: "/root\n" }],
    ["cd - goes back and prints where", "cd /tmp; cd -; pwd", { stdout: "/root/w\n/root/w\n" }],
    ["cd ~ and ..", "cd ~/w/d/..; pwd; cd ..; pwd", { stdout: "/root/w\n/root\n" }],
    ["PWD and OLDPWD follow", "cd /etc; echo $PWD $OLDPWD", { stdout: "/etc /root/w\n" }],
    ["cd keeps the logical path through a symlink, pwd -P resolves it", "cd /bin; pwd; pwd -P", { stdout: "/bin\n/usr/bin\n" }],
    ["cd into a missing directory", "cd /nope", { stderr: "bash: cd: /nope: No such file or directory\n", exitCode: 1 }],
    ["cd into a file", "cd csv.txt", { stderr: "bash: cd: csv.txt: Not a directory\n", exitCode: 1 }],
    ["cd with two arguments", "cd a b", { stderr: "bash: cd: too many arguments\n", exitCode: 1 }],
    ["cd - twice swaps back", "cd -; cd -", { stdout: "/root\n/root/w\n" }],
    ["cd - without OLDPWD", "unset OLDPWD; cd -", { stderr: "bash: cd: OLDPWD not set\n", exitCode: 1 }],
    ["cd with an invalid option, builtin style", "cd -z", { stderr: "bash: cd: -z: invalid option\ncd: usage: cd [-L|-P] [dir]\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("variables: export, unset, env, read", () => {
  const cases: Case[] = [
    ["export makes a variable visible to commands", "X=1; env | grep -c ^X=; export X; env | grep ^X=", { stdout: "0\nX=1\n" }],
    ["export NAME=value and export -p", "export A='say \"hi\"'; export -p | grep ' A='", { stdout: 'declare -x A="say \\"hi\\""\n' }],
    ["export -n removes the flag", "export B=1; export -n B; env | grep -c ^B=; echo $B", { stdout: "0\n1\n" }],
    ["export of an invalid name", "export 1a=2", { stderr: "bash: export: `1a=2': not a valid identifier\n", exitCode: 1 }],
    ["unset removes", "X=1; unset X; echo \"[$X]\"", { stdout: "[]\n" }],
    ["unset of an invalid name", "unset 1a", { stderr: "bash: unset: `1a': not a valid identifier\n", exitCode: 1 }],
    ["read splits into names, the last takes the rest", "read a b <<< '  one two three  '; echo \"[$a][$b]\"", { stdout: "[one][two three]\n" }],
    ["read without a name sets REPLY", "read <<< '  keep  '; echo \"[$REPLY]\"", { stdout: "[  keep  ]\n" }],
    ["read -r keeps backslashes", "read -r x <<< 'a\\b'; echo \"$x\"; read y <<< 'a\\b'; echo \"$y\"", { stdout: "a\\b\nab\n" }],
    ["read at end of input fails", "read x < /dev/null; echo $?", { stdout: "1\n" }],
    ["read with IFS", "IFS=: read u pw uid rest < /etc/passwd; echo $u $uid", { stdout: "root 0\n" }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("test and [", () => {
  const cases: Case[] = [
    ["file tests", "[ -f csv.txt ] && [ -d d ] && [ -e d/a.txt ] && [ ! -e nope ] && [ -s csv.txt ] && echo ok", { stdout: "ok\n" }],
    ["-L sees symlinks, -x executables", "[ -L /etc/resolv.conf ] && [ -x /usr/bin/ls ] && [ ! -x csv.txt ] && echo ok", { stdout: "ok\n" }],
    ["strings", "[ -z '' ] && [ -n x ] && [ a = a ] && [ a != b ] && [ a '<' b ] && echo ok", { stdout: "ok\n" }],
    ["integers", "[ 2 -lt 10 ] && [ 10 -ge 10 ] && [ 3 -ne 4 ] && [ -1 -le 0 ] && test 5 -gt 3 && echo ok", { stdout: "ok\n" }],
    ["-a, -o, ! and parentheses", "[ a = a -a \\( 1 -gt 2 -o x = x \\) ] && [ ! 1 -eq 2 ] && echo ok", { stdout: "ok\n" }],
    ["one argument is true when non-empty", "[ x ]; echo $?; [ '' ]; echo $?; [ ]; echo $?", { stdout: "0\n1\n1\n" }],
    ["-nt compares times", "sleep 1; touch newer; [ newer -nt csv.txt ] && echo ok", { stdout: "ok\n" }],
    ["a missing ]", "[ a", { stderr: "bash: [: missing `]'\n", exitCode: 2 }],
    ["a non-integer", "[ 1 -eq a ]", { stderr: "bash: [: a: integer expression expected\n", exitCode: 2 }],
    ["an unknown binary operator", "[ a b c ]", { stderr: "bash: [: b: binary operator expected\n", exitCode: 2 }],
    ["an unknown unary operator", "test -q a", { stderr: "bash: test: -q: unary operator expected\n", exitCode: 2 }],
    ["too many arguments", "[ a = a b c d ]", { stderr: "bash: [: too many arguments\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("small builtins", () => {
  const cases: Case[] = [
    ["true, false and :", "true; echo $?; false; echo $?; :; echo $?", { stdout: "0\n1\n0\n" }],
    ["true ignores its arguments", "true --help -x; echo $?", { stdout: "0\n" }],
    ["type", "type cd ls if", { stdout: "cd is a shell builtin\nls is /usr/bin/ls\nif is a shell keyword\n" }],
    ["type -t", "type -t cd ls if", { stdout: "builtin\nfile\nkeyword\n" }],
    ["type of an unknown name", "type nope", { stderr: "bash: type: nope: not found\n", exitCode: 1 }],
    ["which finds files, not builtins", "which ls echo cd", { stdout: "/usr/bin/ls\n/usr/bin/echo\n", exitCode: 1 }],
    ["help for a builtin", "help cd | head -2", { stdout: "cd: cd [-L|-P] [dir]\n    Change the shell working directory.\n" }],
    ["help for a non-builtin", "help ls", { stderr: "bash: help: no help topics match `ls'.  Try `help help' or `man -k ls' or `info ls'.\n", exitCode: 1 }],
    ["break outside a loop", "break; echo $?", { stdout: "0\n", stderr: "bash: break: only meaningful in a `for', `while', or `until' loop\n" }],
    ["break 0", "for i in 1; do break 0; done", { stderr: "bash: break: 0: loop count out of range\n", exitCode: 1 }],
    ["exit with too many arguments stays", "exit 1 2; echo $?", { stdout: "1\n", stderr: "bash: exit: too many arguments\n" }],
    ["exit with a word", "exit abc", { stderr: "bash: exit: abc: numeric argument required\n", exitCode: 2 }],
    ["bash -c", "bash -c 'echo hi; exit 3'; echo $?", { stdout: "hi\n3\n" }],
    ["sh -c sees exported variables only", "X=1; export Y=2; sh -c 'echo [$X][$Y]'", { stdout: "[][2]\n" }],
    ["bash FILE", "echo 'echo from file' > s.sh; bash s.sh", { stdout: "from file\n" }],
    ["bash -c with a syntax error", "bash -c 'fi'", { stderr: "bash: -c: line 1: syntax error near unexpected token `fi'\n", exitCode: 2 }],
    ["--help on a builtin uses bash's layout", "pwd --help | head -1", { stdout: "pwd: pwd [-LP]\n" }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("set", () => {
  const cases: Case[] = [
    ["set -e stops a script at the first failure", "bash -c 'set -e; echo a; false; echo b'; echo $?", { stdout: "a\n1\n" }],
    ["set -e ignores conditions and and-or operands", "bash -c 'set -e; if false; then :; fi; false || true; false && true; ! true; echo survived'", { stdout: "survived\n" }],
    ["set -e applies inside groups", "bash -c 'set -e; { false; echo no; }; echo no'; echo $?", { stdout: "1\n" }],
    ["set -u rejects unset variables", "set -u; echo $NOPE; echo ${NOPE:-ok}", { stdout: "ok\n", stderr: "bash: NOPE: unbound variable\n" }],
    ["set -x traces commands", "set -x; x=1; echo \"a b\" c", { stdout: "a b c\n", stderr: "+ x=1\n+ echo 'a b' c\n" }],
    ["set -o pipefail", "false | true; echo $?; set -o pipefail; false | true; echo $?", { stdout: "0\n1\n" }],
    ["set -o lists options, +o prints commands", "set -e; set -o; set +o | head -1", { stdout: "errexit        \ton\nnounset        \toff\npipefail       \toff\nxtrace         \toff\nset -o errexit\n" }],
    ["subshells keep their own options", "(set -x); echo quiet", { stdout: "quiet\n", stderr: "" }],
    ["set prints variables, quoting when needed", "x='a b'; y=plain; set | grep -E '^(x|y)='", { stdout: "x='a b'\ny=plain\n" }],
    ["an invalid option", "set -q", { stderr: "bash: set: -q: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n", exitCode: 2 }],
    ["an invalid option name", "set -o foo", { stderr: "bash: set: foo: invalid option name\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});
