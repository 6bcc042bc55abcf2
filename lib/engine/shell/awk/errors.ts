/** An awk program that does not parse, in mawk's words: `syntax error at or near }`. */
export class AwkSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly near: string,
  ) {
    super(`line ${line}: syntax error at or near ${near}`);
    this.name = "AwkSyntaxError";
  }
}

/** A failure while running (a missing function, an unwritable file); mawk exits 2. */
export class AwkRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AwkRuntimeError";
  }
}
