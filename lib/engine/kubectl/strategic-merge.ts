/**
 * Strategic merge, client side: what `kubectl apply`'s three-way patch does once the apiserver
 * has applied it, and what `kubectl patch --type strategic` does. The store only knows JSON
 * merge patch, so the Kubernetes types' patch metadata lives here: lists merged by a key
 * (containers and volumes by `name`, container ports by `containerPort`, Service ports by
 * `port`, env by `name`, volumeMounts by `mountPath`, conditions by `type`, …), `retainKeys`
 * for a Deployment's strategy, and every other list (tolerations, args, rules) replaced whole.
 *
 * @example
 * threeWayMerge(lastApplied, fromFile, live, "Deployment");   // the object apply leaves behind
 * strategicMerge(live, { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:2" }] } } } }, "Deployment");
 */
import { clonePlain, equalPlain } from "../util/plain";

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Merge keys of lists inside a PodSpec, by path relative to the PodSpec. */
const POD_SPEC_LISTS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  "containers.ports": "containerPort",
  "initContainers.ports": "containerPort",
  "containers.env": "name",
  "initContainers.env": "name",
  "containers.volumeMounts": "mountPath",
  "initContainers.volumeMounts": "mountPath",
  "containers.volumeDevices": "devicePath",
  "containers.resizePolicy": "resourceName",
  volumes: "name",
  imagePullSecrets: "name",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
  schedulingGates: "name",
};

/** Where each kind keeps its PodSpec. */
const POD_SPEC_AT: Record<string, string> = {
  Pod: "spec",
  Deployment: "spec.template.spec",
  ReplicaSet: "spec.template.spec",
  DaemonSet: "spec.template.spec",
  StatefulSet: "spec.template.spec",
  ReplicationController: "spec.template.spec",
  Job: "spec.template.spec",
  CronJob: "spec.jobTemplate.spec.template.spec",
};

/** Merge keys of lists outside PodSpecs, by kind-independent path. */
const OTHER_LISTS: Record<string, string> = {
  "metadata.ownerReferences": "uid",
  "status.conditions": "type",
  "spec.ports": "port",
};

/** A Deployment's strategy keeps only the keys the patch names (`patchStrategy:"retainKeys"`). */
const RETAIN_KEYS = new Set(["spec.strategy"]);

/** Lists of scalars merged as sets (`patchStrategy:"merge"` on a []string). */
const SET_LISTS = new Set(["metadata.finalizers"]);

/** The merge key of the list at `path` in an object of `kind`, if it merges. */
export function mergeKeyFor(kind: string, path: string): string | undefined {
  const podSpec = POD_SPEC_AT[kind];
  if (podSpec && path.startsWith(`${podSpec}.`)) return POD_SPEC_LISTS[path.slice(podSpec.length + 1)];
  if (path === "spec.ports" && kind !== "Service") return undefined;
  return OTHER_LISTS[path];
}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/** Index of the item with `key` equal to that of `item` in `list`, or -1. */
function indexByKey(list: readonly Json[], key: string, item: Json): number {
  return isObj(item) ? list.findIndex((c) => isObj(c) && equalPlain(c[key], item[key])) : -1;
}

/**
 * strategicpatch's `mergeSortedSlice`: server-only items keep their order, patch items theirs,
 * and the two interleave by server position; an item the server never had goes before the
 * server-only item it meets (so new containers come first).
 */
function mergeSorted(serverOnly: readonly Json[], patched: readonly Json[], serverOrder: readonly Json[], key: string): Json[] {
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patched.length) {
    if (j >= patched.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patched[j++]);
    else {
      const li = indexByKey(serverOrder, key, serverOnly[i]);
      const ri = indexByKey(serverOrder, key, patched[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patched[j++]);
    }
  }
  return out;
}

/** Merges lists keyed by `key`: patch items update or add; `$patch: delete` items go. */
function mergeKeyedList(current: Json[], patch: Json[], kind: string, path: string, key: string): Json[] {
  const deleted = patch.filter((item) => isObj(item) && item.$patch === "delete");
  const items = patch.filter((item) => isObj(item) && item.$patch !== "delete") as Obj[];
  const patched = items.map((item) => {
    const index = indexByKey(current, key, item);
    return mergeObject(index >= 0 ? (current[index] as Obj) : {}, item, kind, path);
  });
  const serverOnly = current.filter((c) => indexByKey(items, key, c) < 0 && indexByKey(deleted, key, c) < 0).map((c) => clonePlain(c));
  return mergeSorted(serverOnly, patched, current, key);
}

/** Applies a strategic merge patch object to `current` (both plain JSON). */
function mergeObject(current: Obj, patch: Obj, kind: string, path: string): Obj {
  const out: Obj = RETAIN_KEYS.has(path) ? {} : { ...current };
  if (RETAIN_KEYS.has(path)) for (const k of Object.keys(patch)) if (k in current) out[k] = current[k];
  for (const [k, value] of Object.entries(patch)) {
    if (k === "$patch" || k.startsWith("$setElementOrder") || k === "$retainKeys") continue;
    const childPath = join(path, k);
    if (value === null) {
      delete out[k];
      continue;
    }
    const existing = out[k];
    const key = mergeKeyFor(kind, childPath);
    if (Array.isArray(value) && key && Array.isArray(existing)) out[k] = mergeKeyedList(existing, value, kind, childPath, key);
    else if (Array.isArray(value) && SET_LISTS.has(childPath) && Array.isArray(existing)) out[k] = [...new Set([...existing, ...value])];
    else if (isObj(value) && isObj(existing) && value.$patch !== "replace") out[k] = mergeObject(existing, value, kind, childPath);
    else if (isObj(value)) out[k] = mergeObject({}, value, kind, childPath);
    else out[k] = clonePlain(value);
  }
  return out;
}

/**
 * `kubectl patch --type strategic`: `patch` applied to `current` with the kind's patch
 * metadata (`null` deletes a field, keyed lists merge, `$patch: delete|replace` directives).
 */
export function strategicMerge<T extends object>(current: T, patch: Obj, kind: string): T {
  return mergeObject(current as Obj, patch, kind, "") as T;
}

/** The item of `list` with `key` equal to that of `item`. */
function keyed(list: Json, key: string, item: Obj): Obj | undefined {
  return Array.isArray(list) ? (list.find((c) => isObj(c) && equalPlain(c[key], item[key])) as Obj | undefined) : undefined;
}

/**
 * The three-way merge of `kubectl apply`: fields in `modified` (the file) win; fields that were
 * in `original` (the last-applied configuration) but are gone from `modified` are removed from
 * `current` (the live object); everything else in `current` (set by the server or by others)
 * stays. Keyed list items removed from the file are removed; new ones are appended.
 */
export function threeWayMerge(original: Json, modified: Json, current: Json, kind: string, path = ""): Json {
  if (!isObj(modified) || !isObj(current)) return clonePlain(modified);
  const before = isObj(original) ? original : {};
  const out: Obj = RETAIN_KEYS.has(path) ? {} : { ...current };
  if (RETAIN_KEYS.has(path)) for (const k of Object.keys(modified)) if (k in current) out[k] = current[k];
  for (const k of Object.keys(before)) if (!(k in modified)) delete out[k];
  for (const [k, value] of Object.entries(modified)) {
    const childPath = join(path, k);
    const key = mergeKeyFor(kind, childPath);
    if (Array.isArray(value) && key && Array.isArray(current[k])) {
      out[k] = threeWayList(before[k], value, current[k] as Json[], kind, childPath, key);
    } else if (isObj(value) && isObj(current[k])) {
      out[k] = threeWayMerge(before[k], value, current[k], kind, childPath);
    } else out[k] = clonePlain(value);
  }
  return out;
}

/** A keyed list in the three-way merge: the file's items (merged with live ones) and live-only items not removed from the file, in strategic merge's order. */
function threeWayList(original: Json, modified: Json[], current: Json[], kind: string, path: string, key: string): Json[] {
  const patched = modified.map((item) => {
    const live = keyed(current, key, item as Obj);
    return isObj(item) && live ? threeWayMerge(keyed(original, key, item), item, live, kind, path) : clonePlain(item);
  });
  // Items the file used to list and no longer does are deleted; others belong to someone else.
  const serverOnly = current.filter((live) => isObj(live) && !keyed(modified, key, live) && !keyed(original, key, live)).map((c) => clonePlain(c));
  return mergeSorted(serverOnly, patched, current, key);
}
