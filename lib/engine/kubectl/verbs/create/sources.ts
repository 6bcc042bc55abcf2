/**
 * Key/value sources for `create configmap` and `create secret generic`: `--from-file=[key=]path`
 * (a directory contributes each regular file), `--from-literal=key=value` and
 * `--from-env-file=path` (`KEY=value` lines, `#` comments, a bare `KEY` reads the environment),
 * with the exact errors of create_configmap.go / create_secret.go, which word them differently.
 *
 * @example
 * const data = collectData("ConfigMap", "app-config", args, ctx); // Map { "mode" => "prod" }
 */
import { isConfigMapKey } from "../../../api/validation/strings";
import { KubectlError } from "../../errors";
import type { KubectlArgs, KubectlContext } from "../../types";

type Kind = "ConfigMap" | "Secret";

/** `IsEnvVarName` (the strict one env files are checked with). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_NAME_ERROR =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/** Adds one key, checking it as the kind's `addKeyFromLiteral…` does. */
function add(kind: Kind, objectName: string, data: Map<string, string>, key: string, value: string): void {
  const errs = isConfigMapKey(key);
  if (kind === "ConfigMap") {
    if (errs.length > 0) throw new KubectlError(`"${key}" is not a valid key name for a ConfigMap: ${errs.join(",")}`);
    if (data.has(key)) throw new KubectlError(`cannot add key "${key}", another key by that name already exists in Data for ConfigMap "${objectName}"`);
  } else {
    if (errs.length > 0) throw new KubectlError(`"${key}" is not valid key name for a Secret ${errs.join(";")}`);
    if (data.has(key)) throw new KubectlError(`cannot add key ${key}, another key by that name already exists`);
  }
  data.set(key, value);
}

/** `util.ParseFileSource`: `path` (key = base name) or `key=path`. */
function parseFileSource(source: string): { key: string; path: string } {
  const separators = source.split("=").length - 1;
  if (separators === 0) return { key: source.replace(/\/+$/, "").split("/").at(-1) ?? source, path: source };
  if (separators === 1 && source.startsWith("=")) throw new KubectlError(`key name for file path ${source.slice(1)} missing`);
  if (separators === 1 && source.endsWith("=")) throw new KubectlError(`file path for key name ${source.slice(0, -1)} missing`);
  if (separators > 1) throw new KubectlError("key names or file paths cannot contain '='");
  const [key, path] = source.split("=");
  return { key, path };
}

function readFile(ctx: KubectlContext, path: string): string {
  const full = ctx.shell.resolve(path);
  if (!ctx.shell.fs.exists(full)) throw new KubectlError(`error reading ${path}: no such file or directory`);
  return ctx.shell.fs.readFile(full);
}

function fromFiles(kind: Kind, name: string, sources: readonly string[], ctx: KubectlContext, data: Map<string, string>): void {
  for (const source of sources) {
    const { key, path } = parseFileSource(source);
    const full = ctx.shell.resolve(path);
    if (!ctx.shell.fs.exists(full)) throw new KubectlError(`error reading ${path}: no such file or directory`);
    if (!ctx.shell.fs.isDirectory(full)) {
      add(kind, name, data, key, ctx.shell.fs.readFile(full));
      continue;
    }
    if (source.includes("=")) throw new KubectlError("cannot give a key name for a directory path");
    for (const entry of [...ctx.shell.fs.list(full)].sort()) {
      const item = `${full.replace(/\/$/, "")}/${entry}`;
      // Only regular files count: sub-directories and symlinks are skipped, as os.ReadDir's type says.
      if (ctx.shell.fs.lstat(item).kind === "file") add(kind, name, data, entry, ctx.shell.fs.readFile(item));
    }
  }
}

function fromLiterals(kind: Kind, name: string, sources: readonly string[], data: Map<string, string>): void {
  for (const source of sources) {
    const eq = source.indexOf("=");
    if (eq < 0) throw new KubectlError(`invalid literal source ${source}, expected key=value`);
    add(kind, name, data, source.slice(0, eq), source.slice(eq + 1));
  }
}

function fromEnvFiles(kind: Kind, name: string, sources: readonly string[], ctx: KubectlContext, data: Map<string, string>): void {
  for (const path of sources) {
    const text = readFile(ctx, path).replace(/^\uFEFF/, "");
    for (const raw of text.split("\n")) {
      const line = raw.replace(/\r$/, "").replace(/^\s+/, "");
      if (line === "" || line.startsWith("#")) continue;
      const eq = line.indexOf("=");
      const key = eq < 0 ? line : line.slice(0, eq);
      if (!ENV_NAME.test(key)) throw new KubectlError(`"${key}" is not a valid key name: ${ENV_NAME_ERROR}`);
      add(kind, name, data, key, eq < 0 ? (ctx.shell.env.get(key) ?? "") : line.slice(eq + 1));
    }
  }
}

/** Every key/value the flags name, in the order upstream adds them for `kind`. */
export function collectData(kind: Kind, name: string, args: KubectlArgs, ctx: KubectlContext): Map<string, string> {
  const files = args.strings("from-file");
  const literals = args.strings("from-literal");
  const envFiles = args.strings("from-env-file");
  if (envFiles.length > 0 && (files.length > 0 || literals.length > 0)) {
    throw new KubectlError("from-env-file cannot be combined with from-file or from-literal");
  }
  const data = new Map<string, string>();
  if (kind === "ConfigMap") {
    fromFiles(kind, name, files, ctx, data);
    fromLiterals(kind, name, literals, data);
  } else {
    fromLiterals(kind, name, literals, data);
    fromFiles(kind, name, files, ctx, data);
  }
  fromEnvFiles(kind, name, envFiles, ctx, data);
  return data;
}

/** A Go map as JSON writes it: keys sorted. */
export function sortedRecord(data: ReadonlyMap<string, string>, map: (v: string) => string = (v) => v): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...data.keys()].sort()) out[key] = map(data.get(key)!);
  return out;
}
