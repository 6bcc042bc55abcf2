import { describe, it } from "vitest";
import { type Case, expectRun, sampleShell } from "./helpers";

describe("expansion", () => {
  const cases: Case[] = [
    ["single quotes keep everything", "echo 'a $HOME `x` \\n'", { stdout: "a $HOME `x` \\n\n" }],
    ["double quotes expand but keep spaces", 'x="a   b"; echo "$x|"; echo $x', { stdout: "a   b|\na b\n" }],
    ["backslash escapes outside quotes", "echo \\$HOME a\\ b", { stdout: "$HOME a b\n" }],
    ["backslash inside double quotes only before $ ` \" \\", 'echo "\\$x \\a \\""', { stdout: '$x \\a "\n' }],
    ["ANSI-C quoting", "echo $'a\\tb'", { stdout: "a\tb\n" }],
    ["$VAR and ${VAR}", "X=1; echo $X ${X}2 $X_", { stdout: "1 12\n" }],
    ["an unset variable disappears", "echo a $NOPE b", { stdout: "a b\n" }],
    ['"$EMPTY" stays an empty argument', 'printf "[%s]" "$NOPE" $NOPE; echo', { stdout: "[]\n" }],
    ["${VAR:-default} and ${VAR-default}", "E=; echo ${NOPE:-d1} ${E:-d2} [${E-d3}]", { stdout: "d1 d2 []\n" }],
    ["${VAR:=x} assigns", "echo ${NEW:=set}; echo $NEW", { stdout: "set\nset\n" }],
    ["${VAR:+alt}", "X=1; echo ${X:+alt} [${NOPE:+alt}]", { stdout: "alt []\n" }],
    ["${VAR:?msg} fails the command", "echo ${NOPE:?is required}; echo next", { stdout: "next\n", stderr: "bash: NOPE: is required\n" }],
    ["${#VAR}", "X=hello; echo ${#X}", { stdout: "5\n" }],
    ["prefix and suffix trimming", "f=a.tar.gz; echo ${f%.gz} ${f%%.*} ${f#*.} ${f##*.}", { stdout: "a.tar a tar.gz gz\n" }],
    ["pattern replacement", "f=hello; echo ${f/l/L} ${f//l/L} ${f/#h/H} ${f/%o/O}", { stdout: "heLlo heLLo Hello hellO\n" }],
    ["substrings", "f=abcdef; echo ${f:2} ${f:1:3} ${f: -2}", { stdout: "cdef bcd ef\n" }],
    ["case modification", "f=hello; echo ${f^} ${f^^}", { stdout: "Hello HELLO\n" }],
    ["bad substitution fails with bash's message", "echo ${x@Q}", { stderr: "bash: ${x@Q}: bad substitution\n", exitCode: 1 }],
    ["$? is the last status", "false; echo $?; true; echo $?", { stdout: "1\n0\n" }],
    ["$0 is bash", "echo $0", { stdout: "bash\n" }],
    ["command substitution strips trailing newlines", 'echo "[$(printf "a\\n\\n")]"', { stdout: "[a]\n" }],
    ["unquoted substitution splits into words", "for w in $(echo a b); do echo \"<$w>\"; done", { stdout: "<a>\n<b>\n" }],
    ["quoted substitution stays one word", 'for w in "$(echo a b)"; do echo "<$w>"; done', { stdout: "<a b>\n" }],
    ["backticks", "echo `echo back`tick", { stdout: "backtick\n" }],
    ["nested substitution", "echo $(echo $(echo deep))", { stdout: "deep\n" }],
    ["substitution runs in a subshell", "X=1; Y=$(X=2; echo $X); echo $X $Y", { stdout: "1 2\n" }],
    ["arithmetic", "a=5; echo $((a * 2 + 1)) $((a += 1)) $a $((10 / 3)) $((-7 % 3)) $((2 ** 8)) $((7 > 3 && 2 < 1))", { stdout: "11 6 6 3 -1 256 0\n" }],
    ["arithmetic with $var and hex/octal", "n=4; echo $(( $n + 0x10 + 010 ))", { stdout: "28\n" }],
    ["arithmetic in other bases", "echo $((16#ff)) $((2#101)) $((36#z))", { stdout: "255 5 35\n" }],
    ["arithmetic operators", "i=3; echo $(( (1 + 2) * 3 )) $(( 5 > 3 ? 10 : 20 )) $(( ~0 )) $(( 1 << 4 )) $(( i++ )) $i $(( ++i ))", { stdout: "9 10 -1 16 3 4 5\n" }],
    ["division by zero", "echo $((1/0))", { stderr: 'bash: 1/0: division by 0 (error token is "0")\n', exitCode: 1 }],
    ["tilde, with other users from /etc/passwd", "echo ~ ~/x ~root ~nobody ~ghost", { stdout: "/root /root/x /root /nonexistent ~ghost\n" }],
    ["tilde is not expanded in quotes", 'echo "~"', { stdout: "~\n" }],
    ["tilde after = in an assignment", "P=~/bin; echo $P", { stdout: "/root/bin\n" }],
    ["globbing sorts matches", "echo d/*", { stdout: "d/a.txt d/b.log d/sub\n" }],
    ["? and [] patterns", "echo d/?.txt d/[ab].*", { stdout: "d/a.txt d/a.txt d/b.log\n" }],
    ["a pattern matching nothing stays literal", "echo nomatch* d/*.zzz", { stdout: "nomatch* d/*.zzz\n" }],
    ["quoted glob characters do not glob", "echo 'd/*' \"d/*\" d/\\*", { stdout: "d/* d/* d/*\n" }],
    ["globs skip dotfiles unless the pattern starts with a dot", "touch .hidden; echo .h* ; echo *hidden", { stdout: ".hidden\n*hidden\n" }],
    ["globs across directories", "echo */*.txt /etc/host*", { stdout: "d/a.txt /etc/hostname /etc/hosts\n" }],
    ["a trailing slash only matches directories", "echo d/*/", { stdout: "d/sub/\n" }],
    ["a variable's value globs when unquoted", 'p="d/*.log"; echo $p "$p"', { stdout: "d/b.log d/*.log\n" }],
    ["IFS splitting", 'IFS=:; x=a:b:c; for i in $x; do echo $i; done', { stdout: "a\nb\nc\n" }],
  ];
  it.each(cases)("%s", async (_, input, expected) => {
    const { sh } = await sampleShell();
    await expectRun(sh, input, expected);
  });
});
