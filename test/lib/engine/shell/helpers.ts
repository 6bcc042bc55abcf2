import { expect } from "vitest";
import { DEFAULT_EPOCH_MS, VirtualClock } from "@/lib/engine/util/clock";
import { createCoreRegistry, createUbuntuSkeleton, FileSystem, installCommands, ShellSession, type Command } from "@/lib/engine/shell";

/** A root shell on an Ubuntu node named controlplane, at the scenario epoch (Mon Jan 12 09:00 UTC 2026). */
export function nodeShell(options: { terminal?: boolean; extra?: Command[]; maxSteps?: number; files?: Record<string, string> } = {}) {
  const clock = new VirtualClock(DEFAULT_EPOCH_MS);
  const fs = new FileSystem(clock);
  createUbuntuSkeleton(fs, { hostname: "controlplane" });
  for (const [path, text] of Object.entries(options.files ?? {})) fs.writeFile(path, text, { parents: true });
  const commands = createCoreRegistry();
  for (const command of options.extra ?? []) commands.register(command);
  installCommands(fs, commands);
  const host = { name: "controlplane", user: "root", uid: 0, gid: 0, home: "/root", addresses: () => ["172.30.1.2", "10.244.0.1"] };
  const sh = new ShellSession({
    clock,
    location: { host, fs, commands, ps1: "\\h:\\w$ " },
    terminal: options.terminal ?? false,
    maxSteps: options.maxSteps,
  });
  return { sh, fs, clock, commands, host };
}

/** Files most command tests read, under /root/w (the shell starts there). */
export const SAMPLE_FILES: Record<string, string> = {
  "/root/w/people.txt": "alice 30 admin\nbob 25 dev\ncarol 35 dev\ndave 40 ops\n",
  "/root/w/nums.txt": "10\n9\n100\n-3\n2.5\n9\n",
  "/root/w/words.txt": "apple\nBanana\napple\ncherry\n\ndate\nbanana\n",
  "/root/w/csv.txt": "name:age:role\nalice:30:admin\nbob:25:dev\n",
  "/root/w/d/a.txt": "hello world\nfoo bar\n",
  "/root/w/d/b.log": "error: x\nwarn: y\nerror: z\n",
  "/root/w/d/sub/c.txt": "nested hello\n",
  "/root/w/nonl.txt": "no newline",
};

/** A shell in /root/w with {@link SAMPLE_FILES}. */
export async function sampleShell(options: { terminal?: boolean } = {}) {
  const shell = nodeShell({ ...options, files: SAMPLE_FILES });
  await shell.sh.run("cd /root/w");
  return shell;
}

export interface Expected {
  stdout?: string | RegExp;
  stderr?: string | RegExp;
  exitCode?: number;
}

/** A named case: the input typed and what must come out. */
export type Case = [name: string, input: string, expected: Expected];

/** Runs `input` and checks each field the case specifies. */
export async function expectRun(sh: ShellSession, input: string, expected: Expected): Promise<void> {
  const result = await sh.run(input);
  const check = (actual: string, want: string | RegExp | undefined, what: string) => {
    if (want === undefined) return;
    if (typeof want === "string") expect(actual, what).toBe(want);
    else expect(actual, what).toMatch(want);
  };
  check(result.stdout, expected.stdout, "stdout");
  check(result.stderr, expected.stderr, "stderr");
  if (expected.exitCode !== undefined) expect(result.exitCode, "exit code").toBe(expected.exitCode);
}
