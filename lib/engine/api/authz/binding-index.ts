/**
 * RoleBindings and ClusterRoleBindings indexed by the subjects they name, so a decision looks
 * at the few bindings that can apply to the user instead of walking all of them. The index is
 * rebuilt when a binding is written (the store's per-kind version says so) and kept per store
 * in a WeakMap: it is a cache beside the state, not part of it, so a forked cluster builds its own.
 *
 * @example
 * bindingsFor(store, { name: "jane", groups: ["devs"] }, "dev"); // cluster bindings first, then dev's, in list order
 */
import type { KubeObject, Stored } from "../types/meta";
import type { RoleBinding, Subject } from "../types/other";
import type { UserInfo } from "./user";

/** A binding that names the user, and the namespace its ServiceAccount subjects default to. */
export interface BoundEntry {
  readonly binding: Stored<RoleBinding>;
  /** "" for a ClusterRoleBinding. */
  readonly namespace: string;
  /** Position in the lists the apiserver walks (cluster bindings, then the namespace's), for upstream's order. */
  readonly order: number;
}

/** The part of the store the RBAC authorizer reads. */
export interface RbacReader {
  list<T extends RoleBinding>(kind: string, options?: { namespace?: string }): Stored<T>[];
  find<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): Stored<T> | undefined;
  kindVersion(kind: string): number;
}

type ByKey = Map<string, BoundEntry[]>;

interface Index {
  version: number;
  cluster: ByKey;
  namespaced: Map<string, ByKey>;
}

const indexes = new WeakMap<RbacReader, Index>();

/**
 * `appliesToUser` turned into keys: a User subject and a ServiceAccount subject both match
 * on the user's name (`system:serviceaccount:NS:NAME`), a Group on one of the user's groups.
 */
function subjectKey(subject: Subject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case "User":
      return `u:${subject.name}`;
    case "Group":
      return `g:${subject.name}`;
    case "ServiceAccount": {
      const ns = subject.namespace || bindingNamespace;
      return ns === "" ? undefined : `u:system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return undefined;
  }
}

function add(map: ByKey, binding: Stored<RoleBinding>, namespace: string, order: number): void {
  const keys = new Set<string>();
  for (const subject of binding.subjects ?? []) {
    const key = subjectKey(subject, namespace);
    if (key !== undefined) keys.add(key);
  }
  for (const key of keys) {
    const list = map.get(key);
    const entry = { binding, namespace, order };
    if (list) list.push(entry);
    else map.set(key, [entry]);
  }
}

const version = (store: RbacReader) => store.kindVersion("ClusterRoleBinding") * 1_000_003 + store.kindVersion("RoleBinding");

function indexOf(store: RbacReader): Index {
  const now = version(store);
  const cached = indexes.get(store);
  if (cached && cached.version === now) return cached;
  const cluster: ByKey = new Map();
  store.list<RoleBinding>("ClusterRoleBinding").forEach((b, i) => add(cluster, b, "", i));
  const namespaced = new Map<string, ByKey>();
  store.list<RoleBinding>("RoleBinding").forEach((b, i) => {
    const ns = b.metadata.namespace ?? "";
    let map = namespaced.get(ns);
    if (!map) namespaced.set(ns, (map = new Map()));
    add(map, b, ns, i);
  });
  const index = { version: now, cluster, namespaced };
  indexes.set(store, index);
  return index;
}

function keysOf(user: UserInfo): string[] {
  return [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
}

function collect(map: ByKey | undefined, keys: readonly string[]): BoundEntry[] {
  if (!map) return [];
  const seen = new Set<Stored<RoleBinding>>();
  const out: BoundEntry[] = [];
  for (const key of keys) {
    for (const entry of map.get(key) ?? []) {
      if (seen.has(entry.binding)) continue;
      seen.add(entry.binding);
      out.push(entry);
    }
  }
  return out;
}

const inOrder = (a: BoundEntry, b: BoundEntry) => a.order - b.order;

/**
 * The bindings that apply to `user` for a request in `namespace` ("" = cluster scope): every
 * matching ClusterRoleBinding, then the namespace's matching RoleBindings, each group in the
 * order the apiserver lists them, as `VisitRulesFor` walks them.
 */
export function bindingsFor(store: RbacReader, user: UserInfo, namespace: string): BoundEntry[] {
  const index = indexOf(store);
  const keys = keysOf(user);
  const cluster = collect(index.cluster, keys).sort(inOrder);
  if (namespace === "") return cluster;
  return [...cluster, ...collect(index.namespaced.get(namespace), keys).sort(inOrder)];
}
