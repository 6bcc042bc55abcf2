/**
 * istiod's side of the mesh that is not a pod's program: publishing its root certificate to
 * every namespace (the `istio-ca-root-cert` ConfigMap that each sidecar mounts as
 * istiod-ca-cert), and the installation `istioctl install` performs. `cluster.network.mesh`
 * holds it, so istioctl (a module-level command that reaches the cluster through its
 * network) can install and inspect.
 *
 * @example
 * startMesh(cluster);
 * cluster.network.mesh?.install(); // istio-system, istiod, the injector's ConfigMap, the CA
 */
import { ApiError, type ConfigMap, type Namespace, type Secret } from "../api";
import type { Cluster } from "../cluster/cluster";
import { type Controller, type ControllerContext, defineWatches } from "../cluster/controller";
import { createFromManifests } from "../cluster/manifests";
import { istioManifests } from "../addons/istio";
import { base64Text } from "../node/bytes";
import { CA_SECRET, ISTIO_NAMESPACE, ROOT_CONFIGMAP } from "./constants";

/** Namespaces istiod's namespace controller leaves alone (inject.IgnoredNamespaces). */
const IGNORED = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);

/** The root certificate istiod serves: its CA secret's `ca-cert.pem`. */
export function rootCertificatePem(store: { find(kind: string, ns: string, name: string): unknown }): string | undefined {
  const secret = store.find("Secret", ISTIO_NAMESPACE, CA_SECRET) as Secret | undefined;
  const b64 = secret?.data?.["ca-cert.pem"];
  return b64 ? base64Text(b64) : undefined;
}

const ALL = "*";

const WATCHES = defineWatches(
  { kind: "Namespace", keys: (e) => (e.type === "DELETED" ? [] : [e.object.metadata.name]) },
  { kind: "ConfigMap", keys: (e) => (e.object.metadata.name === ROOT_CONFIGMAP ? [e.object.metadata.namespace ?? ""] : []) },
  { kind: "Secret", keys: (e) => (e.object.metadata.name === CA_SECRET && e.object.metadata.namespace === ISTIO_NAMESPACE ? [ALL] : []) },
);

/** istiod's NamespaceController: `istio-ca-root-cert` in every namespace once istiod's CA exists. */
class RootCertPublisher implements Controller {
  readonly name = "istiod/namespace-controller";
  readonly watches = WATCHES;

  reconcile(key: string, ctx: ControllerContext): void {
    const pem = rootCertificatePem(ctx.store);
    if (!pem) return;
    const names = key === ALL ? ctx.store.list<Namespace>("Namespace").map((n) => n.metadata.name) : [key];
    for (const namespace of names) this.publish(namespace, pem, ctx);
  }

  private publish(namespace: string, pem: string, ctx: ControllerContext): void {
    if (IGNORED.has(namespace)) return;
    const ns = ctx.store.find<Namespace>("Namespace", undefined, namespace);
    if (ns?.status?.phase !== "Active") return;
    const data = { "root-cert.pem": pem };
    const cm = ctx.store.find<ConfigMap>("ConfigMap", namespace, ROOT_CONFIGMAP);
    try {
      if (!cm) ctx.store.create<ConfigMap>({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: ROOT_CONFIGMAP, namespace, labels: { "istio.io/config": "true" } }, data });
      else if (cm.data?.["root-cert.pem"] !== pem) ctx.store.update<ConfigMap>({ ...cm, data });
    } catch (e) {
      // The namespace started terminating meanwhile.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

/** How long `istioctl install` waits for istiod to become ready (its default `--readiness-timeout`). */
const READINESS_TIMEOUT_MS = 300_000;

export class MeshControlPlane {
  constructor(private readonly cluster: Cluster) {}

  get store() {
    return this.cluster.store;
  }

  get now(): number {
    return this.cluster.clock.now();
  }

  /** Whether istiod is installed (its CA exists). */
  installed(): boolean {
    return rootCertificatePem(this.cluster.store) !== undefined;
  }

  /** Creates what the minimal profile installs (istiod) and waits until it is available; false on timeout. */
  install(): boolean {
    if (!this.installed()) createFromManifests(this.cluster.store, istioManifests({ installedAt: this.cluster.clock.now() }));
    return this.waitFor(["istiod"]);
  }

  /** Advances time second by second until these istio-system Deployments are available; false after istioctl's 5 minutes. */
  waitFor(deployments: readonly string[]): boolean {
    const deadline = this.cluster.clock.now() + READINESS_TIMEOUT_MS;
    while (!deployments.every((name) => this.available(name))) {
      if (this.cluster.clock.now() >= deadline) return false;
      this.cluster.advance(1000);
    }
    return true;
  }

  private available(name: string): boolean {
    const d = this.cluster.store.find("Deployment", ISTIO_NAMESPACE, name) as { status?: { availableReplicas?: number } } | undefined;
    return (d?.status?.availableReplicas ?? 0) >= 1;
  }
}

/** The mesh's part of a cluster's boot: `network.mesh` for istioctl, and istiod's root publisher. */
export function startMesh(cluster: Cluster): void {
  cluster.network.mesh = new MeshControlPlane(cluster);
  cluster.register(new RootCertPublisher());
}
