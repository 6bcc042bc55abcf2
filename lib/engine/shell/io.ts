/** Standard input as a stream: `read` takes a line, other commands take the rest. */
export class InputStream {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Everything not yet read. */
  readAll(): string {
    const rest = this.text.slice(this.pos);
    this.pos = this.text.length;
    return rest;
  }

  /** The next line without its newline, or null at the end. */
  readLine(): string | null {
    if (this.pos >= this.text.length) return null;
    const newline = this.text.indexOf("\n", this.pos);
    const end = newline < 0 ? this.text.length : newline;
    const line = this.text.slice(this.pos, end);
    this.pos = newline < 0 ? end : end + 1;
    return line;
  }
}

/** Where a file descriptor's output goes. */
export interface Sink {
  write(text: string): void;
  /** True only for the terminal itself (ls prints columns there). */
  readonly isTerminal: boolean;
}

/** Collects output in memory (pipes, command substitution). */
export class BufferSink implements Sink {
  text = "";
  readonly isTerminal = false;

  write(text: string): void {
    this.text += text;
  }
}

/** Where a command reads and writes. */
export interface IO {
  stdin: InputStream;
  stdout: Sink;
  stderr: Sink;
}

/** A closed descriptor (`>&-`): output is dropped. */
export const CLOSED_SINK: Sink = { write: () => undefined, isTerminal: false };
