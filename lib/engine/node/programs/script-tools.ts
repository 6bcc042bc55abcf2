/**
 * The small tools a container's script uses, done in place: `sleep` durations, `$((…))`
 * arithmetic, and `cp` over the container's files (with busybox's or coreutils' words).
 *
 * @example
 * parseDuration("1.5m"); // 90000
 * arith("i + 1", new Map([["i", "2"]])); // 3
 */
import type { FileSystem } from "../../shell";
import { err, type LogLine } from "./kit";

/** `sleep`'s operand: seconds, or a number with s/m/h/d, or `infinity`; ms. */
export function parseDuration(text: string): number | undefined {
  if (text === "infinity" || text === "inf") return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  const unit = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}

/** `$((…))` over integers and the script's variables. */
export function arith(expr: string, vars: Map<string, string>): number {
  const src = expr.replace(/\$?([A-Za-z_]\w*)/g, (_, n: string) => String(Number(vars.get(n) ?? 0) || 0));
  if (!/^[\d\s+\-*/%()]*$/.test(src)) return 0;
  const tokens = src.match(/\d+|[+\-*/%()]/g) ?? [];
  let i = 0;
  const atom = (): number => {
    const t = tokens[i++];
    if (t === "(") {
      const v = sum();
      i++;
      return v;
    }
    if (t === "-") return -atom();
    return Number(t ?? 0);
  };
  const product = (): number => {
    let v = atom();
    while (tokens[i] === "*" || tokens[i] === "/" || tokens[i] === "%") {
      const op = tokens[i++];
      const r = atom();
      v = op === "*" ? v * r : r === 0 ? 0 : op === "/" ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === "+" || tokens[i] === "-") v = tokens[i++] === "+" ? v + product() : v - product();
    return v;
  };
  return sum();
}

/**
 * `cp [-f] [-p] SRC… DEST` over files (what init containers do to install a binary or a config
 * on the node through a hostPath mount); the copy keeps the source's mode. Directories need
 * `-r`/`-a`, which copy them whole.
 */
export function copyTool(args: string[], st: { fs: FileSystem; output: LogLine[]; busybox: boolean }): number {
  const flags = args.filter((a) => a.startsWith("-") && a !== "-").join("");
  const recursive = /[raR]/.test(flags);
  const paths = args.filter((a) => !a.startsWith("-") || a === "-");
  const say = (busybox: string, gnu: string) => st.output.push(err(`cp: ${st.busybox ? busybox : gnu}`));
  if (paths.length < 2) {
    say(paths.length === 0 ? "missing file operand" : `missing destination file operand after '${paths[0]}'`, paths.length === 0 ? "missing file operand" : `missing destination file operand after '${paths[0]}'`);
    return 1;
  }
  const dest = paths[paths.length - 1];
  const intoDir = st.fs.isDirectory(dest);
  let status = 0;
  const copy = (from: string, to: string) => {
    if (st.fs.isDirectory(from)) {
      st.fs.mkdirp(to, { mode: st.fs.stat(from).mode });
      for (const name of st.fs.list(from)) copy(`${from}/${name}`, `${to}/${name}`);
      return;
    }
    const parent = to.slice(0, to.lastIndexOf("/")) || "/";
    if (!st.fs.isDirectory(parent)) {
      say(`can't create '${to}': No such file or directory`, `cannot create regular file '${to}': No such file or directory`);
      status = 1;
      return;
    }
    st.fs.writeFile(to, st.fs.readFile(from), { mode: st.fs.stat(from).mode });
  };
  for (const src of paths.slice(0, -1)) {
    if (!st.fs.exists(src)) {
      say(`can't stat '${src}': No such file or directory`, `cannot stat '${src}': No such file or directory`);
      status = 1;
      continue;
    }
    if (st.fs.isDirectory(src) && !recursive) {
      say(`omitting directory '${src}'`, `-r not specified; omitting directory '${src}'`);
      status = 1;
      continue;
    }
    copy(src, intoDir ? `${dest.replace(/\/$/, "")}/${src.replace(/\/$/, "").replace(/^.*\//, "")}` : dest);
  }
  return status;
}
