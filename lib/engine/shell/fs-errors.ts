/** The errno codes the virtual file system raises. */
export type Errno = "ENOENT" | "EISDIR" | "ENOTDIR" | "EEXIST" | "ENOTEMPTY" | "EINVAL" | "ELOOP" | "EBUSY" | "EPERM" | "EROFS";

const MESSAGES: Record<Errno, string> = {
  ENOENT: "No such file or directory",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EEXIST: "File exists",
  ENOTEMPTY: "Directory not empty",
  EINVAL: "Invalid argument",
  ELOOP: "Too many levels of symbolic links",
  EBUSY: "Device or resource busy",
  EPERM: "Operation not permitted",
  EROFS: "Read-only file system",
};

/**
 * A failed file-system call. Commands word it themselves (`rm: cannot remove 'x': …`), using
 * {@link FsError.reason} for the strerror part.
 *
 * @example
 * try { fs.readFile("/nope"); } catch (e) {
 *   if (e instanceof FsError) `cat: nope: ${e.reason}`; // "No such file or directory"
 * }
 */
export class FsError extends Error {
  constructor(
    readonly code: Errno,
    readonly path: string,
  ) {
    super(`${code}: ${MESSAGES[code]}, ${path}`);
    this.name = "FsError";
  }

  /** The C library's `strerror` text for the code. */
  get reason(): string {
    return MESSAGES[this.code];
  }
}

/** The strerror text of any thrown value: an {@link FsError}'s reason, or the error's message. */
export function reasonOf(error: unknown): string {
  if (error instanceof FsError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}
