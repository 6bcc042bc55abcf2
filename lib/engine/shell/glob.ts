import type { FileSystem } from "./fs";
import { hasGlobChars, matchGlob, unescapeGlob } from "./pattern";
import { byteOrder } from "./variables";

interface Candidate {
  /** As it will be printed: relative patterns give relative names. */
  shown: string;
  /** Absolute path for file-system calls. */
  path: string;
}

/**
 * Pathname expansion: the sorted paths matching an escaped glob pattern, or an empty list
 * (the caller then keeps the word literally, as bash does without `nullglob`). Names starting
 * with `.` only match a pattern component that starts with `.`.
 *
 * @example
 * expandGlob("/etc/*.conf", fs, "/root"); // ["/etc/host.conf", "/etc/resolv.conf"]
 */
export function expandGlob(pattern: string, fs: FileSystem, cwd: string): string[] {
  const absolute = pattern.startsWith("/");
  const parts = pattern.split("/");
  if (absolute) parts.shift();
  let candidates: Candidate[] = [{ shown: absolute ? "/" : "", path: absolute ? "/" : cwd }];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    const next: Candidate[] = [];
    for (const candidate of candidates) {
      if (part === "") {
        const shown = last && !candidate.shown.endsWith("/") ? candidate.shown + "/" : candidate.shown;
        if (fs.isDirectory(candidate.path)) next.push({ shown, path: candidate.path });
        continue;
      }
      if (!hasGlobChars(part)) {
        const name = unescapeGlob(part);
        next.push(child(candidate, name));
        continue;
      }
      if (!fs.isDirectory(candidate.path)) continue;
      for (const name of fs.list(candidate.path)) {
        if (name.startsWith(".") && !part.startsWith(".") && !part.startsWith("\\.")) continue;
        if (matchGlob(part, name)) next.push(child(candidate, name));
      }
    }
    candidates = last ? next : next.filter((c) => fs.isDirectory(c.path));
  }
  return candidates
    .filter((c) => exists(fs, c.path))
    .map((c) => c.shown)
    .sort(byteOrder);
}

function child(parent: Candidate, name: string): Candidate {
  const shown = parent.shown === "" ? name : parent.shown.endsWith("/") ? parent.shown + name : `${parent.shown}/${name}`;
  const path = parent.path.endsWith("/") ? parent.path + name : `${parent.path}/${name}`;
  return { shown, path };
}

function exists(fs: FileSystem, path: string): boolean {
  try {
    fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}
