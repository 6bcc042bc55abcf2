import { describe, it } from "vitest";
import { type Case, expectRun, sampleShell } from "../helpers";

async function check(input: string, expected: Parameters<typeof expectRun>[2]) {
  const { sh } = await sampleShell();
  await expectRun(sh, input, expected);
}

describe("seq, sleep and date", () => {
  const cases: Case[] = [
    ["seq LAST", "seq 3", { stdout: "1\n2\n3\n" }],
    ["seq FIRST INCREMENT LAST, downwards and negative", "seq 2 2 6; seq 1 -1 -1", { stdout: "2\n4\n6\n1\n0\n-1\n" }],
    ["seq keeps the precision of its arguments", "seq 0.5 0.5 1.5; seq 1.5 3", { stdout: "0.5\n1.0\n1.5\n1.5\n2.5\n" }],
    ["seq -s and -w", "seq -s, 3; seq -w 8 10", { stdout: "1,2,3\n08\n09\n10\n" }],
    ["seq -f", "seq -f 'n%g' 2", { stdout: "n1\nn2\n" }],
    ["seq with nothing to print", "seq 5 1; echo $?", { stdout: "0\n" }],
    ["seq errors", "seq a", { stderr: "seq: invalid floating point argument: ‘a’\nTry 'seq --help' for more information.\n", exitCode: 1 }],
    ["seq with a zero increment", "seq 1 0 3", { stderr: "seq: invalid Zero increment value: ‘0’\nTry 'seq --help' for more information.\n", exitCode: 1 }],
    ["seq with no operand", "seq", { stderr: "seq: missing operand\nTry 'seq --help' for more information.\n", exitCode: 1 }],
    ["date's default format", "date", { stdout: "Mon Jan 12 09:00:00 UTC 2026\n" }],
    ["sleep advances the virtual clock", "sleep 1; sleep 0.5 1m; sleep 2s; date +%T", { stdout: "09:01:03\n" }],
    ["sleep with hours and days", "sleep 1h 1d; date '+%F %R'", { stdout: "2026-01-13 10:00\n" }],
    ["sleep errors", "sleep 1x", { stderr: "sleep: invalid time interval ‘1x’\nTry 'sleep --help' for more information.\n", exitCode: 1 }],
    ["sleep with no operand", "sleep", { stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1 }],
    ["date +FORMAT", "date '+%Y-%m-%d %H:%M:%S %a %A %b %B %j %e %I%p %s %Z %z'", { stdout: "2026-01-12 09:00:00 Mon Monday Jan January 012 12 09AM 1768208400 UTC +0000\n" }],
    ["date -d @epoch and a date", "date -d @0; date -d '2026-03-01 12:30' +%c", { stdout: "Thu Jan  1 00:00:00 UTC 1970\nSun Mar  1 12:30:00 2026\n" }],
    ["date -I and -R", "date -I; date -R", { stdout: "2026-01-12\nMon, 12 Jan 2026 09:00:00 +0000\n" }],
    ["date with a bad date", "date -d nonsense", { stderr: "date: invalid date ‘nonsense’\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("env and xargs", () => {
  const cases: Case[] = [
    ["env prints the environment", "env | grep -E '^(HOME|USER|PATH)='", { stdout: "HOME=/root\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nUSER=root\n" }],
    ["env NAME=value runs a command with it", "env FOO=2 sh -c 'echo $FOO'", { stdout: "2\n" }],
    ["env -u removes a variable", "env -u HOME sh -c 'echo [$HOME]'", { stdout: "[]\n" }],
    ["env of an unknown command", "env nope", { stderr: "env: ‘nope’: No such file or directory\n", exitCode: 127 }],
    ["xargs appends input words", "echo a b | xargs echo x", { stdout: "x a b\n" }],
    ["xargs -n", "printf 'a\\nb\\nc\\n' | xargs -n 2", { stdout: "a b\nc\n" }],
    ["xargs -I replaces per line", "printf 'a b\\nc\\n' | xargs -I{} echo '[{}]'", { stdout: "[a b]\n[c]\n" }],
    ["xargs quotes", "echo \"'a b' c\" | xargs -n 1", { stdout: "a b\nc\n" }],
    ["xargs runs once on empty input unless -r", "printf '' | xargs echo X; printf '' | xargs -r echo Y", { stdout: "X\n" }],
    ["xargs -t traces", "echo a | xargs -t echo", { stdout: "a\n", stderr: "echo a\n" }],
    ["xargs reports failing commands with 123", "printf 'nope\\ncsv.txt\\n' | xargs -n 1 ls 2>/dev/null; echo $?", { stdout: "csv.txt\n123\n" }],
    ["xargs of an unknown command", "echo x | xargs nosuch", { stderr: "xargs: nosuch: No such file or directory\n", exitCode: 127 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("identity and the host", () => {
  const cases: Case[] = [
    ["whoami and id", "whoami; id; id -u; id -un; id -g", { stdout: "root\nuid=0(root) gid=0(root) groups=0(root)\n0\nroot\n0\n" }],
    ["id of an unknown user", "id nope", { stderr: "id: ‘nope’: no such user\n", exitCode: 1 }],
    ["hostname", "hostname; hostname -s", { stdout: "controlplane\ncontrolplane\n" }],
    ["hostname -I prints addresses with GNU's trailing space", "hostname -I", { stdout: "172.30.1.2 10.244.0.1 \n" }],
    ["hostname -i reads /etc/hosts", "hostname -i", { stdout: "127.0.1.1\n" }],
    ["clear emits the ANSI clear sequence", "clear", { stdout: "\x1b[H\x1b[2J\x1b[3J" }],
    ["basename and dirname", "basename /usr/lib/os-release; basename a.txt .txt; basename -s .t a.t b.t; dirname /usr/lib/x a /", { stdout: "os-release\na\na\nb\n/usr/lib\n.\n/\n" }],
    ["basename with an extra operand", "basename a b c", { stderr: "basename: extra operand ‘c’\nTry 'basename --help' for more information.\n", exitCode: 1 }],
    ["dirname with no operand", "dirname", { stderr: "dirname: missing operand\nTry 'dirname --help' for more information.\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("man and --help", () => {
  const cases: Case[] = [
    ["man renders a page from the spec", "man ls | head -7", { stdout: "LS(1)                            User Commands                           LS(1)\n\nNAME\n       ls - list directory contents\n\nSYNOPSIS\n       ls [OPTION]... [FILE]...\n" }],
    ["man lists options", "man wc | grep -A1 -- '-l, --lines'", { stdout: "       -l, --lines\n              print the newline counts\n" }],
    ["man of an unknown page exits 16", "man nope", { stderr: "No manual entry for nope\n", exitCode: 16 }],
    ["man of a builtin has no page", "man cd", { stderr: "No manual entry for cd\n", exitCode: 16 }],
    ["man without a page", "man", { stderr: "What manual page do you want?\nFor example, try 'man man'.\n", exitCode: 1 }],
    ["--help uses GNU's layout", "head --help | head -4", { stdout: "Usage: head [OPTION]... [FILE]...\nPrint the first 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n\n" }],
    ["--help lists flags with their values", "head --help | grep -- --lines", { stdout: "  -n, --lines=[-]NUM         print the first NUM lines instead of the first 10\n" }],
    ["--help ends with --help", "wc --help | tail -1", { stdout: "      --help                 display this help and exit\n" }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});
