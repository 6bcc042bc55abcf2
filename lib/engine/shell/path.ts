/**
 * POSIX path helpers over strings. They never touch a file system: `..` is folded textually,
 * which is what bash does for `cd` and `$PWD` (the logical view). Physical resolution through
 * symlinks belongs to {@link FileSystem}.
 *
 * @example
 * normalizePath("/a/./b/../c//"); // "/a/c"
 * joinPath("/root", "x/y");       // "/root/x/y"
 */
export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (absolute) return "/" + joined;
  return joined === "" ? "." : joined;
}

/** `path` if absolute, otherwise `base/path`; not normalized, so the file system sees every `..`. */
export function joinPath(base: string, path: string): string {
  if (path.startsWith("/")) return path;
  if (path === "") return base;
  return base.endsWith("/") ? base + path : `${base}/${path}`;
}

/** The last component, as `basename(1)` prints it (`/a/b/` → `b`, `/` → `/`). */
export function baseName(path: string): string {
  if (path === "") return "";
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Everything before the last component, as `dirname(1)` prints it (`a` → `.`, `/a` → `/`). */
export function dirName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return path.startsWith("/") ? "/" : ".";
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  const dir = trimmed.slice(0, slash).replace(/\/+$/, "");
  return dir === "" ? "/" : dir;
}

/** `path` with `home` replaced by `~`, the way prompts and `dirs` show it. */
export function tildify(path: string, home: string): string {
  if (home === "" || home === "/") return path;
  if (path === home) return "~";
  return path.startsWith(home + "/") ? "~" + path.slice(home.length) : path;
}

/** Whether `path` is already lexically clean: absolute, no empty, "." or ".." component, no trailing slash (most paths are). */
export function isCleanPath(path: string): boolean {
  if (path.length < 2 || path[0] !== "/" || path.endsWith("/") || path.includes("//")) return false;
  for (let at = path.indexOf("/."); at >= 0; at = path.indexOf("/.", at + 1)) {
    const next = path[at + 2];
    if (next === undefined || next === "/" || (next === "." && (path[at + 3] === undefined || path[at + 3] === "/"))) return false;
  }
  return true;
}
