/**
 * A syntax error in bash's interactive wording (without the `bash: ` prefix). `incomplete`
 * marks input that more lines could finish (an open quote, `if` without `fi`), which a
 * terminal shows as a continuation prompt rather than an error.
 *
 * @example
 * new ShellSyntaxError("syntax error near unexpected token `done'", false, 12);
 */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly incomplete: boolean,
    readonly offset: number,
  ) {
    super(message);
    this.name = "ShellSyntaxError";
  }
}

/** The error for input that ended while `closer` was still expected. */
export function unexpectedEof(closer: string, offset: number): ShellSyntaxError {
  return new ShellSyntaxError(`unexpected EOF while looking for matching \`${closer}'`, true, offset);
}
