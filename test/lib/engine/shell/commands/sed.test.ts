import { describe, it } from "vitest";
import { type Case, expectRun, sampleShell } from "../helpers";

describe("sed", () => {
  const cases: Case[] = [
    ["s replaces the first match", "sed 's/a/X/' csv.txt", { stdout: "nXme:age:role\nXlice:30:admin\nbob:25:dev\n" }],
    ["g replaces all", "sed 's/a/X/g' csv.txt | head -1", { stdout: "nXme:Xge:role\n" }],
    ["I ignores case", "sed 's/ALICE/x/I' people.txt | head -1", { stdout: "x 30 admin\n" }],
    ["N replaces the Nth match, other delimiters", "sed 's#o#0#2' d/a.txt", { stdout: "hello w0rld\nfo0 bar\n" }],
    ["-n with p", "sed -n '2p' people.txt", { stdout: "bob 25 dev\n" }],
    ["a line address with d", "sed '2d' csv.txt", { stdout: "name:age:role\nbob:25:dev\n" }],
    ["/re/d", "sed '/dev/d' people.txt", { stdout: "alice 30 admin\ndave 40 ops\n" }],
    ["$ is the last line", "sed '$d' csv.txt; sed -n '$=' people.txt", { stdout: "name:age:role\nalice:30:admin\n4\n" }],
    ["ranges and !", "sed -n '/bob/,/carol/p' people.txt; sed '1!d' csv.txt", { stdout: "bob 25 dev\ncarol 35 dev\nname:age:role\n" }],
    ["-e several expressions", "sed -e 's/a/1/' -e 's/b/2/' csv.txt | tail -1", { stdout: "2ob:25:dev\n" }],
    ["; separates commands", "sed 's/a/1/;s/b/2/' csv.txt | tail -1", { stdout: "2ob:25:dev\n" }],
    ["-E groups and back-references", "sed -E 's/([a-z]+) ([0-9]+)/\\2 \\1/' people.txt | head -1", { stdout: "30 alice admin\n" }],
    ["basic groups", "sed 's/\\([a-z]*\\) \\([0-9]*\\)/\\2-\\1/' people.txt | head -1", { stdout: "30-alice admin\n" }],
    ["& is the match", "echo hello | sed 's/l/[&]/g'", { stdout: "he[l][l]o\n" }],
    ["empty matches after a match do not count", "echo hello | sed 's/l*/X/g'", { stdout: "XhXeXoX\n" }],
    ["y transliterates", "echo abc | sed 'y/abc/xyz/'", { stdout: "xyz\n" }],
    ["q quits after printing", "sed '2q' people.txt", { stdout: "alice 30 admin\nbob 25 dev\n" }],
    ["i, a and c", "sed -e '1i top' -e '2a after' -e '3c new' csv.txt", { stdout: "top\nname:age:role\nalice:30:admin\nafter\nnew\n" }],
    ["blocks", "sed -n '/a/{p;p}' csv.txt | head -2", { stdout: "name:age:role\nname:age:role\n" }],
    ["= prints line numbers", "sed = csv.txt | head -2", { stdout: "1\nname:age:role\n" }],
    ["a missing final newline stays missing", "sed 's/o/0/' nonl.txt; echo", { stdout: "n0 newline\n" }],
    ["-i edits in place", "sed -i 's/alice/ALICE/' people.txt; head -1 people.txt", { stdout: "ALICE 30 admin\n" }],
    ["-i.bak keeps a backup", "sed -i.bak '1d' csv.txt; cat csv.txt.bak | head -1; head -1 csv.txt", { stdout: "name:age:role\nalice:30:admin\n" }],
    ["reads standard input", "printf 'x\\ny\\n' | sed -n '$p'", { stdout: "y\n" }],
    ["an unterminated s", "sed 's/a/b' csv.txt", { stderr: "sed: -e expression #1, char 5: unterminated `s' command\n", exitCode: 1 }],
    ["an unknown s option", "sed 's/a/b/z' csv.txt", { stderr: "sed: -e expression #1, char 7: unknown option to `s'\n", exitCode: 1 }],
    ["an unknown command", "sed 'k' csv.txt", { stderr: "sed: -e expression #1, char 1: unknown command: `k'\n", exitCode: 1 }],
    ["a missing command", "sed '/x/' csv.txt", { stderr: "sed: -e expression #1, char 3: missing command\n", exitCode: 1 }],
    ["y with different lengths", "sed 'y/ab/x/' csv.txt", { stderr: "sed: -e expression #1, char 7: strings for `y' command are different lengths\n", exitCode: 1 }],
    ["a missing file, other files still read", "sed -n '1p' nope csv.txt", { stdout: "name:age:role\n", stderr: "sed: can't read nope: No such file or directory\n", exitCode: 2 }],
    ["no script", "sed", { stderr: /^Usage: sed \[OPTION\]\.\.\. \{script-only-if-no-other-script\} \[input-file\]\.\.\.\n/, exitCode: 1 }],
  ];
  it.each(cases)("%s", async (_, input, expected) => {
    const { sh } = await sampleShell();
    await expectRun(sh, input, expected);
  });
});
