import { describe, it } from "vitest";
import { type Case, expectRun, sampleShell } from "../helpers";

describe("awk", () => {
  const cases: Case[] = [
    ["prints fields", "awk '{print $1}' people.txt", { stdout: "alice\nbob\ncarol\ndave\n" }],
    ["comma-separated items use OFS", "awk '{print $1, $3}' people.txt | head -1", { stdout: "alice admin\n" }],
    ["-F sets the separator", "awk -F: '{print $2}' csv.txt", { stdout: "age\n30\n25\n" }],
    ["NR as a pattern", "awk 'NR==2' people.txt", { stdout: "bob 25 dev\n" }],
    ["a comparison pattern", "awk '$2 > 28 {print $1}' people.txt", { stdout: "alice\ncarol\ndave\n" }],
    ["a regex pattern and string concatenation", "awk '/dev/ {print NR \": \" $0}' people.txt", { stdout: "2: bob 25 dev\n3: carol 35 dev\n" }],
    ["sums in END", "awk '{s += $2} END {print s, NR, s/NR}' people.txt", { stdout: "130 4 32.5\n" }],
    ["BEGIN, NF and END", "awk 'BEGIN {print \"start\"} {print NF} END {print \"end\"}' csv.txt", { stdout: "start\n1\n1\n1\nend\n" }],
    ["$NF is the last field", "awk '{print $NF}' people.txt | head -2", { stdout: "admin\ndev\n" }],
    ["arrays and for-in", "awk '{count[$3]++} END {for (r in count) print r, count[r]}' people.txt | sort", { stdout: "admin 1\ndev 2\nops 1\n" }],
    ["string functions", "awk '{print length($1), toupper($1), substr($1, 2, 3)}' people.txt | head -1", { stdout: "5 ALICE lic\n" }],
    ["printf", "awk 'BEGIN {printf \"%-5s|%3d|%.2f\\n\", \"ab\", 7, 3.14159}'", { stdout: "ab   |  7|3.14\n" }],
    ["if/else", "awk '{ if ($2 >= 35) print $1, \"old\"; else print $1, \"young\" }' people.txt | head -3", { stdout: "alice young\nbob young\ncarol old\n" }],
    ["assigning a field rebuilds the record", "awk '{ $2 = $2 * 2; print }' people.txt | head -1", { stdout: "alice 60 admin\n" }],
    ["strings convert to their leading number", "awk 'BEGIN { x = \"3x\"; print x + 1, x * 2 }'", { stdout: "4 6\n" }],
    ["~ and !~", "awk '$1 ~ /^[ab]/' people.txt; awk '$1 !~ /a/' people.txt", { stdout: "alice 30 admin\nbob 25 dev\nbob 25 dev\n" }],
    ["gsub", "awk '{ gsub(/a/, \"A\"); print }' csv.txt | head -1", { stdout: "nAme:Age:role\n" }],
    ["split", "awk '{ n = split($0, parts, \" \"); print n, parts[2] }' people.txt | head -1", { stdout: "3 30\n" }],
    ["for and while loops", "awk 'BEGIN { for (i = 1; i <= 3; i++) print i * i; while (j < 2) print \"w\" j++ }'", { stdout: "1\n4\n9\nw0\nw1\n" }],
    ["-v assigns a variable", "awk -v name=bob '$1 == name' people.txt", { stdout: "bob 25 dev\n" }],
    ["a range pattern", "awk 'NR==2, NR==3' people.txt", { stdout: "bob 25 dev\ncarol 35 dev\n" }],
    ["numbers print like awk", "awk 'BEGIN { print 0.1 + 0.2, 1e6, 2^10, -7 % 3, 1/3, 1/0 }'", { stdout: "0.3 1000000 1024 -1 0.333333 inf\n" }],
    ["index, match, RSTART and RLENGTH", "awk 'BEGIN { print index(\"hello\", \"ll\"), match(\"foobar\", /ob/), RSTART, RLENGTH }'", { stdout: "3 3 3 2\n" }],
    ["assigning NF truncates the record", "echo 'a b c' | awk '{ NF = 2; print; print NF }'", { stdout: "a b\n2\n" }],
    ["empty fields with a separator", "echo 'a,b,,c' | awk -F, '{ print NF; print \"[\" $3 \"]\" }'", { stdout: "4\n[]\n" }],
    ["FILENAME and FNR across files", "awk 'FNR == 1 { print FILENAME, NR }' people.txt csv.txt", { stdout: "people.txt 1\ncsv.txt 5\n" }],
    ["the ternary operator", "echo 5 | awk '{ print ($1 > 3) ? \"big\" : \"small\" }'", { stdout: "big\n" }],
    ["sprintf pads floats with zeros", "awk 'BEGIN { print sprintf(\"%05.1f\", 3.14159) }'", { stdout: "003.1\n" }],
    ["print > file", "awk '{ print $1 > \"names\" }' people.txt; cat names", { stdout: "alice\nbob\ncarol\ndave\n" }],
    ["next and exit", "awk 'NR == 1 { next } { print $1 } NR == 3 { exit 4 }' people.txt; echo $?", { stdout: "bob\ncarol\n4\n" }],
    ["referring to an element creates it", "echo | awk '{ x[\"a\"]; if (\"a\" in x) print \"yes\"; if (!(\"b\" in x)) print \"no b\" }'", { stdout: "yes\nno b\n" }],
    ["a syntax error", "awk '{print $1' people.txt", { stderr: "awk: line 1: syntax error at or near end of file\n", exitCode: 2 }],
    ["getline is not in this subset", "awk '{ getline line }' people.txt", { stderr: "awk: line 1: syntax error at or near getline\n", exitCode: 2 }],
    ["an unknown function", "awk 'BEGIN { system(\"ls\") }'", { stderr: "awk: function system never defined\n", exitCode: 2 }],
    ["a missing file", "awk '{print}' nope", { stderr: "awk: cannot open nope (No such file or directory)\n", exitCode: 2 }],
    ["no program", "awk", { stderr: "usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", async (_, input, expected) => {
    const { sh } = await sampleShell();
    await expectRun(sh, input, expected);
  });
});
