import { describe, expect, it } from "vitest";
import { type Case, expectRun, sampleShell } from "../helpers";

const DATE = "Jan 12 09:00";

async function check(input: string, expected: Parameters<typeof expectRun>[2], terminal = false) {
  const { sh } = await sampleShell({ terminal });
  await expectRun(sh, input, expected);
}

describe("ls", () => {
  const cases: Case[] = [
    ["one name per line when piped", "ls", { stdout: "csv.txt\nd\nnonl.txt\nnums.txt\npeople.txt\nwords.txt\n" }],
    ["-a adds dot entries and dotfiles", "touch d/.h; ls -a d", { stdout: ".\n..\n.h\na.txt\nb.log\nsub\n" }],
    ["-A leaves out . and ..", "touch d/.h; ls -A d", { stdout: ".h\na.txt\nb.log\nsub\n" }],
    ["-l shows mode, links, owner, size and time", "ls -l d", { stdout: `total 12\n-rw-r--r-- 1 root root   20 ${DATE} a.txt\n-rw-r--r-- 1 root root   26 ${DATE} b.log\ndrwxr-xr-x 2 root root 4096 ${DATE} sub\n` }],
    ["-l shows symlink targets", "ls -l /etc/resolv.conf", { stdout: `lrwxrwxrwx 1 root root 39 ${DATE} /etc/resolv.conf -> ../run/systemd/resolve/stub-resolv.conf\n` }],
    ["-lh prints human sizes", "ls -lh d/sub", { stdout: `total 4.0K\n-rw-r--r-- 1 root root 13 ${DATE} c.txt\n` }],
    ["-ld lists the directory itself", "ls -ld /tmp", { stdout: `drwxrwxrwt 2 root root 4096 ${DATE} /tmp\n` }],
    ["a year replaces the time for old files", "touch old; sleep 200d; ls -l old", { stdout: "-rw-r--r-- 1 root root 0 Jan 12  2026 old\n" }],
    ["-R walks subdirectories", "ls -R d", { stdout: "d:\na.txt\nb.log\nsub\n\nd/sub:\nc.txt\n" }],
    ["-d lists directories as themselves", "ls -d d /tmp", { stdout: "/tmp\nd\n" }],
    ["files first, then directories with headers", "ls d csv.txt d/sub", { stdout: "csv.txt\n\nd:\na.txt\nb.log\nsub\n\nd/sub:\nc.txt\n" }],
    ["-t sorts by time (newest first, then by name), -r reverses", "sleep 1; touch d/a.txt; ls -t d; ls -r d", { stdout: "a.txt\nb.log\nsub\nsub\nb.log\na.txt\n" }],
    ["-S sorts by size", "ls -S d", { stdout: "sub\nb.log\na.txt\n" }],
    ["a missing operand is reported first and exits 2", "ls nope csv.txt", { stdout: "csv.txt\n", stderr: "ls: cannot access 'nope': No such file or directory\n", exitCode: 2 }],
    ["an invalid option", "ls -z", { stderr: "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n", exitCode: 2 }],
    ["an unrecognized long option", "ls --foo", { stderr: "ls: unrecognized option '--foo'\nTry 'ls --help' for more information.\n", exitCode: 2 }],
    ["an ambiguous long option", "ls --al", { stderr: "ls: option '--al' is ambiguous; possibilities: '--all' '--almost-all'\nTry 'ls --help' for more information.\n", exitCode: 2 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));

  it("prints columns on a terminal", () => check("ls", { stdout: "csv.txt  d  nonl.txt  nums.txt\tpeople.txt  words.txt\n" }, true));

  it("sizes columns to the longest names", async () => {
    const { sh } = await sampleShell({ terminal: true });
    await sh.run("mkdir many && cd many && for i in $(seq 1 30); do touch file_with_long_name_$i; done; touch bin boot dev etc");
    const lines = (await sh.run("ls")).stdout.split("\n");
    // As GNU ls prints the same names at 80 columns.
    expect(lines[0]).toBe("bin\t\t\tfile_with_long_name_17\tfile_with_long_name_28");
    expect(lines[4]).toBe("file_with_long_name_1\tfile_with_long_name_20\tfile_with_long_name_4");
  });
});

describe("cat", () => {
  const cases: Case[] = [
    ["concatenates files", "cat d/a.txt d/sub/c.txt", { stdout: "hello world\nfoo bar\nnested hello\n" }],
    ["reads standard input for - and for no operand", "echo in | cat d/sub/c.txt - ; echo x | cat", { stdout: "nested hello\nin\nx\n" }],
    ["-n numbers lines", "cat -n csv.txt", { stdout: "     1\tname:age:role\n     2\talice:30:admin\n     3\tbob:25:dev\n" }],
    ["-A shows tabs, controls, UTF-8 bytes and line ends", "printf 'a\\tb\\001 é\\n' | cat -A", { stdout: "a^Ib^A M-CM-)$\n" }],
    ["-T shows only tabs", "printf 'a\\tb\\n' | cat -T", { stdout: "a^Ib\n" }],
    ["-b numbers non-blank lines", "printf 'a\\n\\nb\\n' | cat -b", { stdout: "     1\ta\n\n     2\tb\n" }],
    ["-E marks line ends, -s squeezes blanks", "printf 'a\\n\\n\\nb\\n' | cat -sE", { stdout: "a$\n$\nb$\n" }],
    ["keeps a missing final newline", "cat nonl.txt; echo", { stdout: "no newline\n" }],
    ["errors in order, exit 1", "cat nope d/sub/c.txt d", { stdout: "nested hello\n", stderr: "cat: nope: No such file or directory\ncat: d: Is a directory\n", exitCode: 1 }],
    ["an invalid option", "cat -z", { stderr: "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("mkdir, rmdir, rm, touch", () => {
  const cases: Case[] = [
    ["mkdir makes a directory", "mkdir n && ls -d n", { stdout: "n\n" }],
    ["mkdir -p makes parents and tolerates existing ones", "mkdir -p x/y/z d && ls -R x", { stdout: "x:\ny\n\nx/y:\nz\n\nx/y/z:\n" }],
    ["mkdir -v says what it made", "mkdir -pv x/y", { stdout: "mkdir: created directory 'x'\nmkdir: created directory 'x/y'\n" }],
    ["mkdir -m sets the mode", "mkdir -m 700 p && ls -ld p | cut -c1-10", { stdout: "drwx------\n" }],
    ["mkdir over an existing entry", "mkdir d", { stderr: "mkdir: cannot create directory ‘d’: File exists\n", exitCode: 1 }],
    ["mkdir without the parent", "mkdir a/b", { stderr: "mkdir: cannot create directory ‘a/b’: No such file or directory\n", exitCode: 1 }],
    ["mkdir with no operand", "mkdir", { stderr: "mkdir: missing operand\nTry 'mkdir --help' for more information.\n", exitCode: 1 }],
    ["rmdir removes an empty directory", "mkdir e && rmdir e && ls -d e", { stderr: "ls: cannot access 'e': No such file or directory\n" }],
    ["rmdir refuses a non-empty directory", "rmdir d", { stderr: "rmdir: failed to remove 'd': Directory not empty\n", exitCode: 1 }],
    ["rmdir of a file", "rmdir csv.txt", { stderr: "rmdir: failed to remove 'csv.txt': Not a directory\n", exitCode: 1 }],
    ["rm removes files", "rm csv.txt nums.txt && ls", { stdout: "d\nnonl.txt\npeople.txt\nwords.txt\n" }],
    ["rm of a missing file", "rm nope", { stderr: "rm: cannot remove 'nope': No such file or directory\n", exitCode: 1 }],
    ["rm -f ignores missing files", "rm -f nope; echo $?", { stdout: "0\n", stderr: "" }],
    ["rm refuses a directory without -r", "rm d", { stderr: "rm: cannot remove 'd': Is a directory\n", exitCode: 1 }],
    ["rm -r removes a tree, -v tells", "rm -rv d/sub", { stdout: "removed 'd/sub/c.txt'\nremoved directory 'd/sub'\n" }],
    ["rm -d removes an empty directory", "mkdir e && rm -d e && echo gone", { stdout: "gone\n" }],
    ["rm refuses . and ..", "rm -r .", { stderr: "rm: refusing to remove '.' or '..' directory: skipping '.'\n", exitCode: 1 }],
    ["rm refuses / recursively", "rm -rf /", { stderr: "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n", exitCode: 1 }],
    ["rm with no operand", "rm", { stderr: "rm: missing operand\nTry 'rm --help' for more information.\n", exitCode: 1 }],
    ["touch creates an empty file", "touch new && wc -c new", { stdout: "0 new\n" }],
    ["touch updates the time", "sleep 3600; touch csv.txt; ls -l csv.txt", { stdout: "-rw-r--r-- 1 root root 40 Jan 12 10:00 csv.txt\n" }],
    ["touch -c creates nothing", "touch -c ghost; ls ghost", { exitCode: 2 }],
    ["touch in a missing directory", "touch nodir/x", { stderr: "touch: cannot touch 'nodir/x': No such file or directory\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("cp, mv, ln, chmod", () => {
  const cases: Case[] = [
    ["cp copies a file", "cp csv.txt c2 && cat c2", { stdout: "name:age:role\nalice:30:admin\nbob:25:dev\n" }],
    ["cp into a directory", "cp csv.txt nums.txt d/sub && ls d/sub", { stdout: "c.txt\ncsv.txt\nnums.txt\n" }],
    ["cp -r copies a tree", "cp -r d e && ls -R e", { stdout: "e:\na.txt\nb.log\nsub\n\ne/sub:\nc.txt\n" }],
    ["cp -v tells", "mkdir q && cp -v csv.txt q", { stdout: "'csv.txt' -> 'q/csv.txt'\n" }],
    ["cp -p keeps the time", "sleep 3600; cp -p csv.txt c2; cp csv.txt c3; ls -l c2 c3 | cut -d' ' -f6-", { stdout: "Jan 12 09:00 c2\nJan 12 10:00 c3\n" }],
    ["cp a directory without -r", "cp d e", { stderr: "cp: -r not specified; omitting directory 'd'\n", exitCode: 1 }],
    ["cp a missing file", "cp nope x", { stderr: "cp: cannot stat 'nope': No such file or directory\n", exitCode: 1 }],
    ["cp onto itself", "cp csv.txt csv.txt", { stderr: "cp: 'csv.txt' and 'csv.txt' are the same file\n", exitCode: 1 }],
    ["cp a directory into itself", "cp -r d d/sub", { stderr: "cp: cannot copy a directory, 'd', into itself, 'd/sub/d'\n", exitCode: 1 }],
    ["cp several files onto a file", "cp csv.txt nums.txt nonl.txt", { stderr: "cp: target 'nonl.txt': Not a directory\n", exitCode: 1 }],
    ["cp into a missing directory", "cp csv.txt nodir/x", { stderr: "cp: cannot create regular file 'nodir/x': No such file or directory\n", exitCode: 1 }],
    ["cp without a destination", "cp csv.txt", { stderr: "cp: missing destination file operand after 'csv.txt'\nTry 'cp --help' for more information.\n", exitCode: 1 }],
    ["mv renames", "mv csv.txt c.csv && ls c.csv csv.txt", { stdout: "c.csv\n", exitCode: 2 }],
    ["mv into a directory, -v tells", "mv -v csv.txt d", { stdout: "renamed 'csv.txt' -> 'd/csv.txt'\n" }],
    ["mv a missing file", "mv nope x", { stderr: "mv: cannot stat 'nope': No such file or directory\n", exitCode: 1 }],
    ["mv a directory into itself", "mv d d/sub", { stderr: "mv: cannot move 'd' to a subdirectory of itself, 'd/sub/d'\n", exitCode: 1 }],
    ["mv -n keeps an existing target", "mv -n csv.txt nums.txt; head -1 nums.txt", { stdout: "10\n" }],
    ["mv without operands", "mv", { stderr: "mv: missing file operand\nTry 'mv --help' for more information.\n", exitCode: 1 }],
    ["ln -s makes a symlink", "ln -s csv.txt l && cat l | head -1 && ls -l l | cut -c1-10", { stdout: "name:age:role\nlrwxrwxrwx\n" }],
    ["ln makes a hard link", "ln csv.txt h && ls -l h | cut -c1-12", { stdout: "-rw-r--r-- 2\n" }],
    ["ln over an existing name", "ln -s csv.txt nums.txt", { stderr: "ln: failed to create symbolic link 'nums.txt': File exists\n", exitCode: 1 }],
    ["ln of a missing file", "ln nope x", { stderr: "ln: failed to access 'nope': No such file or directory\n", exitCode: 1 }],
    ["chmod octal and symbolic", "chmod 755 csv.txt; ls -l csv.txt | cut -c1-10; chmod go-rx,u-x csv.txt; ls -l csv.txt | cut -c1-10", { stdout: "-rwxr-xr-x\n-rw-------\n" }],
    ["chmod -R", "chmod -R 700 d && ls -l d/sub | tail -1 | cut -c1-10", { stdout: "-rwx------\n" }],
    ["chmod with a bad mode", "chmod 9 csv.txt", { stderr: "chmod: invalid mode: ‘9’\nTry 'chmod --help' for more information.\n", exitCode: 1 }],
    ["chmod of a missing file", "chmod +x nope", { stderr: "chmod: cannot access 'nope': No such file or directory\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});

describe("readlink", () => {
  const cases: Case[] = [
    ["a symlink's target as written", "readlink /etc/resolv.conf", { stdout: "../run/systemd/resolve/stub-resolv.conf\n" }],
    ["-f follows every component", "readlink -f /etc/resolv.conf", { stdout: "/run/systemd/resolve/stub-resolv.conf\n" }],
    ["a file that is not a symlink: nothing, status 1; -v says why", "readlink csv.txt; echo $?; readlink -v csv.txt nope", { stdout: "1\n", stderr: "readlink: csv.txt: Invalid argument\nreadlink: nope: No such file or directory\n", exitCode: 1 }],
    ["-f allows a missing last component, -e none, -m any", "readlink -f d/nope; readlink -e d/nope; echo $?; readlink -m nope/x/../y", { stdout: "/root/w/d/nope\n1\n/root/w/nope/y\n" }],
    ["symlinks resolve physically before ..", "mkdir -p a/b; ln -s a/b l; readlink -f l/..; readlink -f l/../b", { stdout: "/root/w/a\n/root/w/a/b\n" }],
    ["a loop is reported with -v; the last of -q and -v wins", "ln -s loop loop; readlink -fv loop; readlink -fvq loop", { stderr: "readlink: loop: Too many levels of symbolic links\n", exitCode: 1 }],
    ["-n drops the newline, but not for several names", "readlink -n /etc/resolv.conf; echo; readlink -n /etc/resolv.conf /etc/resolv.conf", { stdout: "../run/systemd/resolve/stub-resolv.conf\n../run/systemd/resolve/stub-resolv.conf\n../run/systemd/resolve/stub-resolv.conf\n", stderr: "readlink: ignoring --no-newline with multiple arguments\n" }],
    ["no operand", "readlink", { stderr: "readlink: missing operand\nTry 'readlink --help' for more information.\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", (_, input, expected) => check(input, expected));
});
