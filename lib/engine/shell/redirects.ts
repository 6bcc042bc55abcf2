import { type ExpandContext, expandWord, expandWords, ExpansionError } from "./expand";
import { FsError } from "./fs";
import { CLOSED_SINK, InputStream, type IO, type Sink } from "./io";
import { joinPath } from "./path";
import type { Redirect, Word } from "./syntax/ast";

type Descriptor = Sink | InputStream;

class RedirectError extends Error {}

/**
 * Applies a command's redirections left to right over a descriptor table, as bash does:
 * `>` truncates (creating the file) before the command runs, `2>&1` copies whatever fd 1 is at
 * that point, here-documents and here-strings become standard input. Returns the new I/O, or
 * an error line (`bash: nope/x: No such file or directory`) when a redirection fails.
 *
 * @example
 * await applyRedirects(cmd.redirects, io, cx); // { io } or { error: "bash: …\n" }
 */
export async function applyRedirects(redirects: readonly Redirect[], io: IO, cx: ExpandContext): Promise<{ io: IO } | { error: string }> {
  if (redirects.length === 0) return { io };
  const table = new Map<number, Descriptor>([
    [0, io.stdin],
    [1, io.stdout],
    [2, io.stderr],
  ]);
  try {
    for (const redirect of redirects) await apply(redirect, table, cx);
  } catch (error) {
    if (error instanceof RedirectError || error instanceof ExpansionError) return { error: `bash: ${error.message}\n` };
    throw error;
  }
  const input = table.get(0);
  return {
    io: {
      stdin: input instanceof InputStream ? input : new InputStream(""),
      stdout: asSink(table.get(1)),
      stderr: asSink(table.get(2)),
    },
  };
}

function asSink(descriptor: Descriptor | undefined): Sink {
  return descriptor === undefined || descriptor instanceof InputStream ? CLOSED_SINK : descriptor;
}

async function target(word: Word, cx: ExpandContext): Promise<string> {
  const fields = await expandWords([word], cx);
  if (fields.length !== 1) throw new RedirectError(`${word.text}: ambiguous redirect`);
  return fields[0];
}

function fileSink(cx: ExpandContext, path: string): Sink {
  return { write: (text) => cx.fs.appendFile(path, text), isTerminal: false };
}

async function apply(redirect: Redirect, table: Map<number, Descriptor>, cx: ExpandContext): Promise<void> {
  if (redirect.type === "HereDoc") {
    table.set(redirect.fd ?? 0, new InputStream(await expandWord(redirect.body, cx, { tilde: false })));
    return;
  }
  if (redirect.type === "HereString") {
    table.set(redirect.fd ?? 0, new InputStream((await expandWord(redirect.word, cx)) + "\n"));
    return;
  }
  const name = await target(redirect.target, cx);
  const { op } = redirect;
  if (op === ">&" || op === "<&") {
    const fd = redirect.fd ?? (op === ">&" ? 1 : 0);
    if (name === "-") {
      table.delete(fd);
      return;
    }
    if (/^\d+$/.test(name)) {
      const source = table.get(Number(name));
      if (source === undefined) throw new RedirectError(`${name}: Bad file descriptor`);
      table.set(fd, source);
      return;
    }
    if (op === "<&") throw new RedirectError(`${name}: ambiguous redirect`);
  }
  const path = joinPath(cx.cwd, name);
  try {
    switch (op) {
      case "<": {
        table.set(redirect.fd ?? 0, new InputStream(cx.fs.readFile(path)));
        return;
      }
      case "<>": {
        if (!cx.fs.exists(path)) cx.fs.writeFile(path, "");
        table.set(redirect.fd ?? 0, new InputStream(cx.fs.readFile(path)));
        return;
      }
      case ">":
      case ">|":
      case ">>": {
        if (op === ">>") cx.fs.appendFile(path, "");
        else cx.fs.writeFile(path, "");
        table.set(redirect.fd ?? 1, fileSink(cx, path));
        return;
      }
      default: {
        if (op === "&>>") cx.fs.appendFile(path, "");
        else cx.fs.writeFile(path, "");
        const sink = fileSink(cx, path);
        table.set(1, sink);
        table.set(2, sink);
      }
    }
  } catch (error) {
    if (error instanceof FsError) throw new RedirectError(`${name}: ${error.reason}`);
    throw error;
  }
}
