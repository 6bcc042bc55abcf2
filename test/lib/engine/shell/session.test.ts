import { describe, expect, it } from "vitest";
import { createCoreRegistry, FileSystem, type Command } from "@/lib/engine/shell";
import { nodeShell, sampleShell } from "./helpers";

/** An ssh-like command: moves the session onto another host with its own file system (and `extra` commands). */
function sshTo(target: string, extra: Command[] = []): Command {
  return {
    name: "ssh",
    summary: "OpenSSH remote login client",
    usage: "ssh destination",
    spec: { flags: [], stopAtOperand: true },
    run(args, ctx) {
      if (args.operands[0] !== target) return { stdout: "", stderr: `ssh: Could not resolve hostname ${args.operands[0]}\n`, exitCode: 255 };
      const fs = new FileSystem(ctx.clock);
      fs.mkdirp("/root");
      fs.writeFile("/etc/hostname", `${target}\n`, { parents: true });
      const commands = createCoreRegistry();
      for (const command of extra) commands.register(command);
      const login = { host: { name: target, user: "root", uid: 0, gid: 0, home: "/root" }, fs, commands, ps1: "\\h:\\w$ " };
      if (args.operands.length > 1) return ctx.session.runOn(login, args.operands.slice(1).join(" "), ctx.stdin);
      ctx.session.pushLocation({ ...login, exitMessage: `logout\nConnection to ${target} closed.\n` });
      return { stdout: "", stderr: "", exitCode: 0 };
    },
    complete: () => [target],
  };
}

describe("ShellSession", () => {
  it("shows the prompt from PS1 with ~ for home", async () => {
    const { sh } = nodeShell();
    expect(sh.prompt()).toBe("controlplane:~$ ");
    await sh.run("cd /etc");
    expect(sh.prompt()).toBe("controlplane:/etc$ ");
    await sh.run("PS1='\\u@\\h:\\W\\$ '");
    expect(sh.prompt()).toBe("root@controlplane:etc# ");
  });

  it("advances the virtual clock by elapsedMs before running", async () => {
    const { sh } = nodeShell();
    const result = await sh.run("date +%T", { elapsedMs: 90_000 });
    expect(result.stdout).toBe("09:01:30\n");
  });

  it("keeps history like bash with ignoreboth", async () => {
    const { sh } = nodeShell();
    for (const line of ["ls", "ls", " secret", "", "pwd\n", "cat <<EOF\nx\nEOF"]) await sh.run(line);
    expect(sh.history()).toEqual(["ls", "pwd", "cat <<EOF\nx\nEOF"]);
    expect((await sh.run("history")).stdout).toBe("    1  ls\n    2  pwd\n    3  cat <<EOF\nx\nEOF\n    4  history\n");
    expect((await sh.run("history 2")).stdout).toBe("    4  history\n    5  history 2\n");
    await sh.run("history -c");
    expect(sh.history()).toEqual([]);
  });

  it("moves onto another host and back with exit", async () => {
    const { sh } = nodeShell({ extra: [sshTo("node01")] });
    await sh.run("cd /tmp; X=local");
    const hop = await sh.run("ssh node01\nhostname; cat /etc/hostname; echo \"[$X]\"");
    expect(hop.stdout).toBe("node01\nnode01\n[]\n");
    expect(sh.prompt()).toBe("node01:~$ ");
    expect(sh.depth).toBe(2);
    const back = await sh.run("exit 3");
    expect(back.stderr).toBe("logout\nConnection to node01 closed.\n");
    expect(back.exitCode).toBe(3);
    expect(sh.prompt()).toBe("controlplane:/tmp$ ");
    expect((await sh.run("echo $X $?")).stdout).toBe("local 3\n");
  });

  it("runs one command on another host with runOn and stays here", async () => {
    const { sh } = nodeShell({ extra: [sshTo("node01")] });
    const result = await sh.run("echo piped | ssh node01 'hostname; cat; pwd; exit 5'; echo $?; hostname");
    expect(result.stdout).toBe("node01\npiped\n/root\n5\ncontrolplane\n");
    expect(sh.depth).toBe(1);
  });

  /** A command that ends its location as a dropped connection does, with its own message. */
  const drop: Command = {
    name: "drop",
    summary: "end the session from the remote end",
    usage: "drop",
    spec: { flags: [] },
    run(_args, ctx) {
      ctx.session.exit(255, "Connection to node01 closed.\n");
      return { stdout: "", stderr: "Connection to node01 closed by remote host.\n", exitCode: 255 };
    },
  };

  it.each([
    ["exit prints the location's exit message", "exit", "logout\nConnection to node01 closed.\n", 0, 1],
    ["exit(code, message) prints the message instead", "drop", "Connection to node01 closed by remote host.\nConnection to node01 closed.\n", 255, 1],
    ["a subshell keeps its own exit", "(drop); echo still here", "Connection to node01 closed by remote host.\nstill here\n", 0, 2],
  ])("%s", async (_name, line, output, exitCode, depth) => {
    const { sh } = nodeShell({ extra: [sshTo("node01", [drop])] });
    await sh.run("ssh node01");
    const result = await sh.run(line);
    expect(result.output).toBe(output);
    expect(result.exitCode).toBe(exitCode);
    expect(sh.depth).toBe(depth);
  });

  it("ends the session when the login shell exits, skipping the rest of the input", async () => {
    const { sh } = nodeShell();
    const result = await sh.run("exit\necho never");
    expect(result.stdout).toBe("");
    expect(sh.ended).toBe(true);
  });

  it("runs a child bash and returns from it", async () => {
    const { sh } = nodeShell();
    await sh.run("bash");
    expect(sh.depth).toBe(2);
    expect((await sh.run("echo $SHLVL")).stdout).toBe("2\n");
    expect((await sh.run("exit")).stderr).toBe("exit\n");
    expect(sh.depth).toBe(1);
  });

  it("serialises concurrent runs", async () => {
    const { sh } = nodeShell();
    const [a, b] = await Promise.all([sh.run("X=1; sleep 1; echo $X"), sh.run("echo $((X + 1))")]);
    expect(a.stdout).toBe("1\n");
    expect(b.stdout).toBe("2\n");
  });

  it("lays ls out in columns on a terminal, one per line otherwise", async () => {
    const { sh } = nodeShell({ terminal: true });
    // Byte for byte what GNU ls prints, tabs included.
    expect((await sh.run("ls /")).stdout).toBe("bin   dev  home  media\topt   root  sbin  sys  usr\nboot  etc  lib\t mnt\tproc  run   srv   tmp  var\n");
    sh.resize(30);
    expect((await sh.run("ls /")).stdout).toBe("bin   home   opt   sbin  usr\nboot  lib    proc  srv\t var\ndev   media  root  sys\netc   mnt    run   tmp\n");
    expect((await sh.run("ls / | head -2")).stdout).toBe("bin\nboot\n");
  });
});

describe("completion", () => {
  const cases: [string, string, number | undefined, string[], number][] = [
    ["command names", "hos", undefined, ["hostname"], 0],
    ["command after a pipe", "ls | wc", undefined, ["wc"], 5],
    ["files in the current directory", "cat pe", undefined, ["people.txt"], 4],
    ["directories get a slash", "cd d", undefined, ["d/"], 3],
    ["nested paths", "cat d/s", undefined, ["d/sub/"], 4],
    ["absolute paths", "ls /et", undefined, ["/etc/"], 3],
    ["tilde paths", "ls ~/w/cs", undefined, ["~/w/csv.txt"], 3],
    ["a redirect target", "echo x > wo", undefined, ["words.txt"], 9],
    ["long flags after --", "ls --al", undefined, ["--all", "--almost-all"], 3],
    ["flags with values end in =", "head --li", undefined, ["--lines="], 5],
    ["variables", "echo $HO", undefined, ["$HOME", "$HOSTNAME"], 5],
    ["a command's own completer", "ssh n", undefined, ["node01"], 4],
    ["which completes commands", "which gre", undefined, ["grep"], 6],
    ["the cursor in the middle of a line", "cat pe | wc", 6, ["people.txt"], 4],
    ["nothing matches", "cat zz", undefined, [], 4],
    ["hidden files only with a dot", "ls ~/.b", undefined, ["~/.bashrc"], 3],
  ];
  it.each(cases)("%s", async (_, line, cursor, candidates, from) => {
    const { sh } = await sampleShell();
    const ssh = sshTo("node01");
    sh.location.commands.register(ssh);
    const result = sh.complete(line, cursor ?? line.length);
    expect(result.candidates).toEqual(candidates);
    expect(result.replaceFrom).toBe(from);
    expect(result.replaceTo).toBe(cursor ?? line.length);
  });

  it("offers every flag of a spec after a single dash", async () => {
    const { sh } = await sampleShell();
    expect(sh.complete("wc -", 4).candidates).toEqual(["--bytes", "--chars", "--help", "--lines", "--words", "-c", "-l", "-m", "-w"]);
  });

  it("escapes special characters in file names", async () => {
    const { sh, fs } = await sampleShell();
    fs.writeFile("/root/w/my file.txt", "");
    expect(sh.complete("cat my", 6).candidates).toEqual(["my\\ file.txt"]);
  });
});
