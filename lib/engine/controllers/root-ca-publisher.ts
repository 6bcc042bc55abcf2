/**
 * The root CA publisher (`root-ca-certificate-publisher-controller`): every active namespace
 * has the `kube-root-ca.crt` ConfigMap (key `ca.crt`, mounted into pods by the projected
 * service account token volume) with upstream's description annotation; it is recreated if
 * deleted and restored if edited. The certificate is generated once per cluster from the
 * seeded generator (see `ca-certificate.ts`).
 *
 * @example
 * cluster.register(rootCAPublisherController());
 * store.get("ConfigMap", "default", "kube-root-ca.crt").data["ca.crt"]; // "-----BEGIN CERTIFICATE-----\n…"
 */
import { ApiError, type ConfigMap, type Namespace } from "../api";
import { type Controller, type ControllerContext, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { clusterCACertificate } from "./ca-certificate";
import { parseTime } from "./common/pods";

const NAME = "kube-root-ca.crt";
const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

/**
 * A fresh publisher. It publishes `caCert` (the cluster CA the node agents also install as
 * /etc/kubernetes/pki/ca.crt); without one, a CA is made on first use and kept.
 */
export function rootCAPublisherController(caCert?: string): Controller {
  return new RootCAPublisher(caCert);
}

const WATCHES = defineWatches(
  { kind: "Namespace", keys: (e) => (e.type === "DELETED" ? [] : [e.object.metadata.name]) },
  { kind: "ConfigMap", keys: (e) => (e.object.metadata.name === NAME ? [e.object.metadata.namespace ?? ""] : []) },
);

class RootCAPublisher implements Controller {
  readonly name = "root-ca-certificate-publisher-controller";
  readonly watches = WATCHES;

  constructor(private rootCA: string | undefined) {}

  reconcile(namespace: string, ctx: ControllerContext): void {
    const ns = ctx.store.find<Namespace>("Namespace", undefined, namespace);
    if (ns?.status?.phase !== "Active") return;
    // The CA predates every namespace: kubeadm made it when the cluster was created.
    this.rootCA ??= clusterCACertificate(ctx.rng.fork(), parseTime(ctx.scenario.createdAt) ?? ctx.clock.now());
    const data = { "ca.crt": this.rootCA };
    const cm = ctx.store.find<ConfigMap>("ConfigMap", namespace, NAME);
    try {
      if (!cm) {
        ctx.store.create<ConfigMap>({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: NAME, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
      } else if (!equalPlain(cm.data, data) || !cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) {
        ctx.store.update<ConfigMap>({ ...cm, metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
      }
    } catch (e) {
      // The namespace started terminating meanwhile.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
