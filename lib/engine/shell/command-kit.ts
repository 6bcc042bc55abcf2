import { FsError } from "./fs";
import type { CommandContext, CommandResult } from "./types";

/**
 * Small helpers shared by command modules.
 *
 * @example
 * return done("hello\n");                       // exit 0
 * return done("", "cat: x: No such file or directory\n", 1);
 */
export function done(stdout: string, stderr = "", exitCode = 0): CommandResult {
  return { stdout, stderr, exitCode };
}

/**
 * Collects a command's output in the order written, for commands that mix results and errors.
 *
 * @example
 * const out = new Output();
 * out.out("a\n"); out.err("cat: nope: No such file or directory\n");
 * return out.result(1);
 */
export class Output {
  private readonly chunks: { fd: 1 | 2; text: string }[] = [];

  out(text: string): void {
    if (text !== "") this.chunks.push({ fd: 1, text });
  }

  err(text: string): void {
    if (text !== "") this.chunks.push({ fd: 2, text });
  }

  /** Whether anything went to standard error. */
  get failed(): boolean {
    return this.chunks.some((c) => c.fd === 2);
  }

  result(exitCode: number): CommandResult {
    const join = (fd: 1 | 2) => this.chunks.filter((c) => c.fd === fd).map((c) => c.text).join("");
    return { stdout: join(1), stderr: join(2), exitCode, chunks: this.chunks };
  }
}

/** GNU's shell-escape quoting of a file name in messages: `'it'\''s'`. */
export function quote(name: string): string {
  return `'${name.replace(/'/g, "'\\''")}'`;
}

/** Words a shell reads back unchanged; anything else is single-quoted. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** An argv as shell source that runs exactly that argv (`kubectl exec … -- cmd`, `crictl exec`). */
export function argvSource(argv: readonly string[]): string {
  return argv.map((w) => (PLAIN_WORD.test(w) ? w : quote(w))).join(" ");
}

/** GNU's locale quoting under a UTF-8 locale: ‘name’. */
export function localeQuote(name: string): string {
  return `‘${name}’`;
}

/** The contents of a file operand (`-` is standard input), or the error that reading raised. */
export function readOperand(ctx: CommandContext, operand: string): { text: string } | { error: FsError } {
  if (operand === "-") return { text: ctx.stdin };
  try {
    return { text: ctx.fs.readFile(ctx.resolve(operand)) };
  } catch (error) {
    if (error instanceof FsError) return { error };
    throw error;
  }
}

/** Lines of text without their newlines; a final line without a newline still counts. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

/** Runs `body` and turns an {@link FsError} into `undefined` (for optional look-ups). */
export function attempt<T>(body: () => T): T | undefined {
  try {
    return body();
  } catch (error) {
    if (error instanceof FsError) return undefined;
    throw error;
  }
}

/** GNU's hint after a usage error. */
export function tryHelpText(name: string): string {
  return `Try '${name} --help' for more information.\n`;
}

/** Sources and destination of a `cp`/`mv`-style command, or the usage error GNU gives. */
export type Transfer =
  | { ok: true; sources: string[]; dest: string; destPath: string; intoDir: boolean }
  | { ok: false; result: CommandResult };

/**
 * Splits `SOURCE... DEST` as GNU cp and mv do: missing operands and several sources into a
 * non-directory are usage errors worded with the command's name.
 */
export function transferOperands(name: string, operands: readonly string[], ctx: CommandContext): Transfer {
  if (operands.length === 0) return { ok: false, result: done("", `${name}: missing file operand\n${tryHelpText(name)}`, 1) };
  if (operands.length === 1) {
    return { ok: false, result: done("", `${name}: missing destination file operand after ${quote(operands[0])}\n${tryHelpText(name)}`, 1) };
  }
  const dest = operands[operands.length - 1];
  const destPath = ctx.resolve(dest);
  const sources = operands.slice(0, -1);
  const intoDir = ctx.fs.isDirectory(destPath);
  if (sources.length > 1 && !intoDir) {
    const reason = ctx.fs.exists(destPath) ? "Not a directory" : "No such file or directory";
    return { ok: false, result: done("", `${name}: target ${quote(dest)}: ${reason}\n`, 1) };
  }
  return { ok: true, sources, dest, destPath, intoDir };
}
