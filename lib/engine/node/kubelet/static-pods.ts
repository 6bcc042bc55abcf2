/**
 * The kubelet's file source: every manifest in `/etc/kubernetes/manifests` is a static pod
 * that this node runs without the API. Its name gets the node's name appended, its UID is a
 * hash of the file (a changed file is a new pod), it tolerates every NoExecute taint, and an
 * unreadable or invalid file is logged and skipped. Moving a manifest away stops its pod.
 *
 * @example
 * const source = new StaticPodSource({ fs, store, nodeName: "controlplane", clock, journal, agent });
 * source.poll();                         // ["kube-system/kube-scheduler-controlplane", …] (what changed)
 * source.get("kube-system/etcd-controlplane")?.pod.spec.hostNetwork; // true
 */
import { parse } from "yaml";
import type { KubeObject, ObjectStore, Pod, Stored } from "../../api";
import type { FileSystem } from "../../shell";
import type { VirtualClock } from "../../util/clock";
import { freezeDeep } from "../../util/plain";
import { PureCache } from "../../util/pure-cache";
import { nanoTime, stableHex } from "../format";
import type { Journal } from "./journal";

/** `staticPodPath` in the kubelet configuration kubeadm writes. */
export const MANIFEST_DIR = "/etc/kubernetes/manifests";

// Parsing is pure and slow; the same manifest text (every cluster's kubeadm output) parses once.
const parsed = new PureCache<unknown>(64);

function parseManifest(content: string): unknown {
  return parsed.get(content, () => freezeDeep(parse(content)));
}

export interface StaticPod {
  key: string;
  file: string;
  /** The pod as the kubelet runs it (defaulted; `metadata.uid` is the config hash). */
  pod: Stored<Pod>;
  hash: string;
  /** When the kubelet first read this version (`kubernetes.io/config.seen`). */
  seen: string;
}

interface Cached {
  content: string;
  pod?: StaticPod;
}

export class StaticPodSource {
  private readonly cache = new Map<string, Cached>();
  private current = new Map<string, StaticPod>();

  constructor(private readonly deps: { fs: FileSystem; store: ObjectStore; nodeName: string; clock: VirtualClock; journal: Journal; agent: { kubeletPid(): number } }) {}

  get(key: string): StaticPod | undefined {
    return this.current.get(key);
  }

  pods(): StaticPod[] {
    return [...this.current.values()];
  }

  /** Re-reads the directory; returns the keys of static pods added, removed or changed. */
  poll(): string[] {
    const { fs } = this.deps;
    const files = fs.isDirectory(MANIFEST_DIR) ? fs.list(MANIFEST_DIR).filter((f) => !f.startsWith(".") && fs.isFile(`${MANIFEST_DIR}/${f}`)) : [];
    const next = new Map<string, StaticPod>();
    for (const file of files) {
      const path = `${MANIFEST_DIR}/${file}`;
      const content = fs.readFile(path);
      let cached = this.cache.get(path);
      if (!cached || cached.content !== content) {
        cached = { content, pod: this.load(path, content) };
        this.cache.set(path, cached);
      }
      if (cached.pod && !next.has(cached.pod.key)) next.set(cached.pod.key, cached.pod);
    }
    for (const path of [...this.cache.keys()]) if (!files.includes(path.slice(MANIFEST_DIR.length + 1))) this.cache.delete(path);
    const changed = new Set<string>();
    for (const [key, sp] of next) if (this.current.get(key)?.hash !== sp.hash) changed.add(key);
    for (const key of this.current.keys()) if (!next.has(key)) changed.add(key);
    this.current = next;
    return [...changed];
  }

  private load(path: string, content: string): StaticPod | undefined {
    const { store, nodeName, clock, journal } = this.deps;
    const fail = (err: string) => {
      journal.klog(this.deps.agent.kubeletPid(), "E", "file.go:187", `"Could not process manifest file" err="${err.replace(/"/g, '\\"')}" path="${path}"`);
      return undefined;
    };
    let doc: unknown;
    try {
      doc = parseManifest(content);
    } catch (e) {
      return fail(`${path}: couldn't parse as pod(${e instanceof Error ? e.message.split("\n")[0] : String(e)}), please check config file`);
    }
    const obj = doc as KubeObject | null;
    if (!obj || typeof obj !== "object" || obj.kind !== "Pod") return fail(`${path}: couldn't parse as pod(Object 'Kind' is missing in '${content.slice(0, 40)}'), please check config file`);
    const hash = stableHex(`${content}\u0000host:${nodeName}\u0000file:${path}`, 32);
    const seen = nanoTime(clock.now(), 0);
    const meta = obj.metadata ?? {};
    const spec = (obj as unknown as Pod).spec ?? { containers: [] };
    const draft: Pod = {
      ...(obj as Pod),
      metadata: {
        ...meta,
        name: `${meta.name ?? ""}-${nodeName}`,
        namespace: meta.namespace ?? "default",
        annotations: { ...(meta.annotations ?? {}), "kubernetes.io/config.hash": hash, "kubernetes.io/config.mirror": hash, "kubernetes.io/config.seen": seen, "kubernetes.io/config.source": "file" },
      },
      spec: { ...spec, nodeName, tolerations: [...(spec.tolerations ?? []), { operator: "Exists", effect: "NoExecute" }] },
    };
    delete draft.status;
    let defaulted: Stored<Pod>;
    const name = draft.metadata.name!;
    // The kubelet defaults and validates a static pod as the apiserver would; a dry run does
    // both (under a free name while the mirror pod holds the real one).
    const taken = store.find("Pod", draft.metadata.namespace, name) !== undefined;
    try {
      defaulted = store.create<Pod>(taken ? { ...draft, metadata: { ...draft.metadata, name: `${name.slice(0, 240)}-check` } } : draft, { dryRun: true });
    } catch (e) {
      return fail(`invalid pod: ${e instanceof Error ? e.message : String(e)}`);
    }
    const pod = { ...defaulted, metadata: { ...defaulted.metadata, name, uid: hash, resourceVersion: "" } } as Stored<Pod>;
    return { key: `${pod.metadata.namespace}/${pod.metadata.name}`, file: path, pod, hash, seen };
  }
}
