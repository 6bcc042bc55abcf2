import { describe, it } from "vitest";
import { type Case, expectRun, sampleShell } from "../helpers";

async function check(input: string, expected: Parameters<typeof expectRun>[2]) {
  const { sh } = await sampleShell();
  await expectRun(sh, input, expected);
}

describe("grep", () => {
  const cases: Case[] = [
    ["prints matching lines", "grep dev people.txt", { stdout: "bob 25 dev\ncarol 35 dev\n", exitCode: 0 }],
    ["-c counts per file", "grep -c a people.txt csv.txt", { stdout: "people.txt:3\ncsv.txt:2\n" }],
    ["-i and -n", "grep -n -i APPLE words.txt", { stdout: "1:apple\n3:apple\n" }],
    ["-v inverts", "grep -v a words.txt", { stdout: "cherry\n\n" }],
    ["-w matches whole words, names prefix several files", "grep -w bob people.txt csv.txt", { stdout: "people.txt:bob 25 dev\ncsv.txt:bob:25:dev\n" }],
    ["-o prints only the matches", "grep -o 'a[a-z]' words.txt", { stdout: "ap\nan\nan\nap\nat\nan\nan\n" }],
    ["-E extended regexes", "grep -E 'error|warn' d/b.log", { stdout: "error: x\nwarn: y\nerror: z\n" }],
    ["basic regex groups and intervals", "grep '\\(an\\)\\{2\\}' words.txt", { stdout: "Banana\nbanana\n" }],
    ["-F fixed strings", "grep -F 'a.' words.txt; echo $?", { stdout: "1\n" }],
    ["-x whole lines", "grep -x apple words.txt", { stdout: "apple\napple\n" }],
    ["-r searches directories", "grep -r hello d", { stdout: "d/a.txt:hello world\nd/sub/c.txt:nested hello\n" }],
    ["-r without an operand searches . without a prefix", "cd d && grep -r hello", { stdout: "a.txt:hello world\nsub/c.txt:nested hello\n" }],
    ["-l and -L list files", "grep -l hello d/a.txt d/b.log; grep -L hello d/a.txt d/b.log", { stdout: "d/a.txt\nd/b.log\n" }],
    ["-h hides names", "grep -h o d/a.txt d/sub/c.txt", { stdout: "hello world\nfoo bar\nnested hello\n" }],
    ["-e several patterns", "grep -e bob -e dave people.txt", { stdout: "bob 25 dev\ndave 40 ops\n" }],
    ["-m stops early", "grep -m1 dev people.txt", { stdout: "bob 25 dev\n" }],
    ["-A/-B/-C context with separators", "grep -A1 -n alice people.txt; grep -B1 dave people.txt", { stdout: "1:alice 30 admin\n2-bob 25 dev\ncarol 35 dev\ndave 40 ops\n" }],
    ["context groups are separated by --", "seq 10 | grep -C1 -e 2 -e 8", { stdout: "1\n2\n3\n--\n7\n8\n9\n" }],
    ["standard input is named (standard input)", "echo hi | grep -H hi", { stdout: "(standard input):hi\n" }],
    ["-q is quiet", "grep -q dev people.txt; echo $?", { stdout: "0\n" }],
    ["no match exits 1", "grep zzz people.txt", { stdout: "", exitCode: 1 }],
    ["a missing file exits 2", "grep x nope", { stderr: "grep: nope: No such file or directory\n", exitCode: 2 }],
    ["a directory without -r", "grep x d", { stderr: "grep: d: Is a directory\n", exitCode: 2 }],
    ["-s silences file errors", "grep -s x nope; echo $?", { stdout: "2\n", stderr: "" }],
    ["an invalid regex", "grep 'a\\(' people.txt", { stderr: "grep: Unmatched ( or \\(\n", exitCode: 2 }],
    ["no pattern", "grep", { stderr: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exitCode: 2 }],
    ["an unknown option prints the usage line too", "grep --foo x", { stderr: "grep: unrecognized option '--foo'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("head and tail", () => {
  const cases: Case[] = [
    ["head -2 and head -n 2", "head -2 people.txt; head -n 1 csv.txt", { stdout: "alice 30 admin\nbob 25 dev\nname:age:role\n" }],
    ["head -n -2 drops the last lines", "head -n -2 people.txt", { stdout: "alice 30 admin\nbob 25 dev\n" }],
    ["head -c counts bytes", "head -c 5 people.txt; echo", { stdout: "alice\n" }],
    ["headers for several files", "head -n 1 people.txt csv.txt", { stdout: "==> people.txt <==\nalice 30 admin\n\n==> csv.txt <==\nname:age:role\n" }],
    ["tail -n 2 and tail -1", "tail -n 2 people.txt; tail -1 nonl.txt; echo", { stdout: "carol 35 dev\ndave 40 ops\nno newline\n" }],
    ["tail -n +3 starts at a line", "tail -n +3 people.txt", { stdout: "carol 35 dev\ndave 40 ops\n" }],
    ["tail -c", "tail -c 4 people.txt", { stdout: "ops\n" }],
    ["both read standard input", "seq 20 | head -3 | tail -1", { stdout: "3\n" }],
    ["head of a missing file", "head nope", { stderr: "head: cannot open 'nope' for reading: No such file or directory\n", exitCode: 1 }],
    ["tail of a directory", "tail d", { stderr: "tail: error reading 'd': Is a directory\n", exitCode: 1 }],
    ["a bad count", "head -n abc people.txt", { stderr: "head: invalid number of lines: ‘abc’\n", exitCode: 1 }],
    ["a missing count", "head -n", { stderr: "head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("wc", () => {
  const cases: Case[] = [
    ["lines, words and bytes of a file", "wc people.txt", { stdout: " 4 12 51 people.txt\n" }],
    ["one count of one file is not padded", "wc -l people.txt", { stdout: "4 people.txt\n" }],
    ["several files get a total", "wc -l people.txt words.txt", { stdout: " 4 people.txt\n 7 words.txt\n11 total\n" }],
    ["standard input alone", "wc -w < people.txt; cat people.txt | wc", { stdout: "12\n      4      12      51\n" }],
    ["-c and -m differ on UTF-8", "printf 'é' | wc -c; printf 'é' | wc -m", { stdout: "2\n1\n" }],
    ["a missing final newline is not a line", "wc nonl.txt", { stdout: " 0  2 10 nonl.txt\n" }],
    ["a missing file, in order", "wc -l people.txt nope", { stdout: " 4 people.txt\n 4 total\n", stderr: "wc: nope: No such file or directory\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("sort and uniq", () => {
  const cases: Case[] = [
    ["byte order by default", "sort words.txt", { stdout: "\nBanana\napple\napple\nbanana\ncherry\ndate\n" }],
    ["-n numeric", "sort -n nums.txt", { stdout: "-3\n2.5\n9\n9\n10\n100\n" }],
    ["-rn", "sort -rn nums.txt | head -2", { stdout: "100\n10\n" }],
    ["-u unique", "sort -u words.txt", { stdout: "\nBanana\napple\nbanana\ncherry\ndate\n" }],
    ["-f folds case", "sort -f words.txt | tail -4", { stdout: "Banana\nbanana\ncherry\ndate\n" }],
    ["-k and -n on a field", "sort -k2 -n people.txt", { stdout: "bob 25 dev\nalice 30 admin\ncarol 35 dev\ndave 40 ops\n" }],
    ["-t separator", "sort -t: -k2 csv.txt", { stdout: "bob:25:dev\nalice:30:admin\nname:age:role\n" }],
    ["several keys, one reversed", "sort -k3,3 -k1,1r people.txt", { stdout: "alice 30 admin\ncarol 35 dev\nbob 25 dev\ndave 40 ops\n" }],
    ["-h human sizes", "printf '2K\\n1M\\n512\\n' | sort -h", { stdout: "512\n2K\n1M\n" }],
    ["-o writes a file", "sort -o sorted nums.txt; head -1 sorted", { stdout: "-3\n" }],
    ["a zero field", "sort -k 0 people.txt", { stderr: "sort: field number is zero: invalid field specification ‘0’\n", exitCode: 2 }],
    ["a multi-character separator", "sort -t ab people.txt", { stderr: "sort: multi-character tab ‘ab’\n", exitCode: 2 }],
    ["a missing file", "sort nope", { stderr: "sort: cannot read: nope: No such file or directory\n", exitCode: 2 }],
    ["uniq collapses adjacent lines", "uniq words.txt", { stdout: "apple\nBanana\napple\ncherry\n\ndate\nbanana\n" }],
    ["uniq -c counts", "sort words.txt | uniq -c", { stdout: "      1 \n      1 Banana\n      2 apple\n      1 banana\n      1 cherry\n      1 date\n" }],
    ["uniq -d and -u", "sort words.txt | uniq -d; sort words.txt | uniq -u | wc -l", { stdout: "apple\n5\n" }],
    ["uniq -i ignores case", "printf 'a\\nA\\nb\\n' | uniq -i", { stdout: "a\nb\n" }],
    ["uniq with too many operands", "uniq a b c", { stderr: "uniq: extra operand ‘c’\nTry 'uniq --help' for more information.\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("cut and tr", () => {
  const cases: Case[] = [
    ["cut -d -f with a list", "cut -d: -f1,3 csv.txt", { stdout: "name:role\nalice:admin\nbob:dev\n" }],
    ["cut -f with an open range", "cut -d' ' -f2- people.txt | head -1", { stdout: "30 admin\n" }],
    ["cut -c ranges", "cut -c1-3,5 people.txt | head -2", { stdout: "alie\nbob2\n" }],
    ["cut prints lines without the delimiter, unless -s", "printf 'a:b\\nxyz\\n' | cut -d: -f2; printf 'a:b\\nxyz\\n' | cut -s -d: -f2", { stdout: "b\nxyz\nb\n" }],
    ["cut --complement and --output-delimiter", "cut -d: --complement -f2 --output-delimiter=, csv.txt | head -1", { stdout: "name,role\n" }],
    ["cut with no list", "cut people.txt", { stderr: "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", exitCode: 1 }],
    ["cut with field 0", "cut -f 0 people.txt", { stderr: "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n", exitCode: 1 }],
    ["cut with a long delimiter", "cut -d ab -f1 people.txt", { stderr: "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n", exitCode: 1 }],
    ["cut with a decreasing range", "cut -f 3-1 people.txt", { stderr: "cut: invalid decreasing range\nTry 'cut --help' for more information.\n", exitCode: 1 }],
    ["tr ranges", "echo hello | tr a-z A-Z", { stdout: "HELLO\n" }],
    ["tr classes", "echo 'Hello World' | tr '[:upper:]' '[:lower:]'", { stdout: "hello world\n" }],
    ["tr -d deletes", "echo hello world | tr -d lo", { stdout: "he wrd\n" }],
    ["tr -s squeezes", "echo 'aaabbb   ccc' | tr -s 'a '", { stdout: "abbb ccc\n" }],
    ["tr -c complements", "echo hello | tr -c 'a-z' '_'", { stdout: "hello_" }],
    ["tr escapes", "printf 'a b\\n' | tr ' ' '\\n'", { stdout: "a\nb\n" }],
    ["tr a short second set repeats its last character", "echo abcd | tr abcd xy", { stdout: "xyyy\n" }],
    ["tr with no operand", "tr", { stderr: "tr: missing operand\nTry 'tr --help' for more information.\n", exitCode: 1 }],
    ["tr with one set", "tr a", { stderr: "tr: missing operand after ‘a’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n", exitCode: 1 }],
    ["tr -d with two sets", "tr -d a b", { stderr: "tr: extra operand ‘b’\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("tee and base64", () => {
  const cases: Case[] = [
    ["tee copies to files and stdout", "printf 'a\\nb\\n' | tee out1 out2; cat out1 out2", { stdout: "a\nb\na\nb\na\nb\n" }],
    ["tee -a appends", "echo 1 > log; echo 2 | tee -a log >/dev/null; cat log", { stdout: "1\n2\n" }],
    ["tee into a missing directory", "echo x | tee nodir/x", { stdout: "x\n", stderr: "tee: nodir/x: No such file or directory\n", exitCode: 1 }],
    ["base64 encodes and wraps at 76", "seq 30 | base64 | head -1", { stdout: "MQoyCjMKNAo1CjYKNwo4CjkKMTAKMTEKMTIKMTMKMTQKMTUKMTYKMTcKMTgKMTkKMjAKMjEKMjIK\n" }],
    ["base64 round trip with UTF-8", "echo 'héllo' | base64; echo aMOpbGxvCg== | base64 -d", { stdout: "aMOpbGxvCg==\nhéllo\n" }],
    ["base64 -w 0", "echo hello world | base64 -w 0; echo", { stdout: "aGVsbG8gd29ybGQK\n" }],
    ["base64 -d of garbage", "echo '!!!' | base64 -d", { stderr: "base64: invalid input\n", exitCode: 1 }],
    ["base64 of a missing file", "base64 nope", { stderr: "base64: nope: No such file or directory\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});
