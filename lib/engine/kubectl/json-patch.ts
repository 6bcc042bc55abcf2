/**
 * RFC 6902 JSON patch (`kubectl patch --type json`), applied the way evanphx/json-patch (the
 * apiserver's library) applies it, with its error texts: `add`, `remove`, `replace`, `move`,
 * `copy`, `test`, JSON pointers with `~0`/`~1` escapes and `-` for the end of an array.
 *
 * @example
 * applyJSONPatch({ spec: { replicas: 1 } }, [{ op: "replace", path: "/spec/replicas", value: 3 }]);
 * // { ok: true, value: { spec: { replicas: 3 } } }
 */
import { clonePlain, equalPlain } from "../util/plain";

type Json = unknown;
type Container = Record<string, Json> | Json[];

/** The patched document, or the library's error. */
export type JSONPatchResult = { ok: true; value: Json } | { ok: false; error: string };

class PatchError extends Error {}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The container holding the last segment of `path`, and that segment (`missing` words the failure). */
function parentOf(doc: Json, path: string, missing: () => string): { parent: Container; key: string } {
  const parts = parsePointer(path);
  if (parts.length === 0) throw new PatchError(missing());
  let node: Json = doc;
  for (const part of parts.slice(0, -1)) {
    const next = Array.isArray(node) ? node[Number(part)] : node && typeof node === "object" ? (node as Record<string, Json>)[part] : undefined;
    if (next === undefined || next === null || typeof next !== "object") throw new PatchError(missing());
    node = next;
  }
  if (node === null || typeof node !== "object") throw new PatchError(missing());
  return { parent: node as Container, key: parts[parts.length - 1] };
}

function arrayIndex(list: Json[], key: string, allowEnd: boolean): number {
  if (key === "-" && allowEnd) return list.length;
  const index = /^\d+$/.test(key) ? Number(key) : NaN;
  if (Number.isNaN(index) || index > list.length || (!allowEnd && index >= list.length)) {
    throw new PatchError(`Unable to access invalid index: ${Number.isNaN(index) ? key : index}: invalid index referenced`);
  }
  return index;
}

function get(doc: Json, path: string, op: string): Json {
  const { parent, key } = parentOf(doc, path, () => `${op} operation does not apply: doc is missing path: ${path}: missing value`);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, false)] : parent[key];
  if (value === undefined) throw new PatchError(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  return value;
}

function add(doc: Json, path: string, value: Json): Json {
  if (path === "") return clonePlain(value);
  const { parent, key } = parentOf(doc, path, () => `add operation does not apply: doc is missing path: "${path}": missing value`);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, clonePlain(value));
  else parent[key] = clonePlain(value);
  return doc;
}

/** `remove` (and the first half of `move`), wrapped as the library wraps it: `error in remove for path: '…': …`. */
function remove(doc: Json, path: string, op = "remove"): Json {
  const label = op === "move" ? (parsePointer(path).at(-1) ?? path) : path;
  try {
    const { parent, key } = parentOf(doc, path, () => `remove operation does not apply: doc is missing path: "${path}": missing value`);
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
    else {
      if (!(key in parent)) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
      delete parent[key];
    }
  } catch (e) {
    if (e instanceof PatchError) throw new PatchError(`error in ${op} for path: '${label}': ${e.message}`);
    throw e;
  }
  return doc;
}

/** `replace`; like the library's v5, a missing object key is simply set. */
function replace(doc: Json, path: string, value: Json): Json {
  if (path === "") return clonePlain(value);
  const { parent, key } = parentOf(doc, path, () => `replace operation does not apply: doc is missing path: ${path}: missing value`);
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = clonePlain(value);
  else parent[key] = clonePlain(value);
  return doc;
}

/** Applies `operations` to a copy of `doc`. */
export function applyJSONPatch(doc: Json, operations: Json): JSONPatchResult {
  if (!Array.isArray(operations)) return { ok: false, error: "json: cannot unmarshal object into Go value of type jsonpatch.Patch" };
  let out = clonePlain(doc);
  try {
    for (const raw of operations) {
      const op = (raw ?? {}) as { op?: string; path?: string; from?: string; value?: Json };
      const path = op.path ?? "";
      switch (op.op) {
        case "add":
          out = add(out, path, op.value);
          break;
        case "remove":
          out = remove(out, path);
          break;
        case "replace":
          out = replace(out, path, op.value);
          break;
        case "move": {
          const from = op.from ?? "";
          // Removing first reports a missing source the way the library does.
          const taken = remove(clonePlain(out), from, "move");
          out = add(taken, path, get(out, from, "move"));
          break;
        }
        case "copy":
          out = add(out, path, get(out, op.from ?? "", "copy"));
          break;
        case "test":
          if (!equalPlain(get(out, path, "test"), op.value)) throw new PatchError(`testing value ${path} failed: test failed`);
          break;
        default:
          throw new PatchError(`Unexpected kind: ${op.op ?? "unknown"}`);
      }
    }
  } catch (e) {
    if (e instanceof PatchError) return { ok: false, error: e.message };
    throw e;
  }
  return { ok: true, value: out };
}
