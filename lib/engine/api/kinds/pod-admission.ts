/**
 * The admission plugins a v1.32 apiserver runs on every new Pod, in order: ServiceAccount
 * (default account, the projected `kube-api-access-xxxxx` token volume and its mounts),
 * Priority (priority 0 / PreemptLowerPriority, or a built-in class) and
 * DefaultTolerationSeconds (tolerate not-ready/unreachable nodes for 300s), and Istio's sidecar
 * injector webhook once the mesh is installed (lib/engine/mesh/inject.ts).
 *
 * @example
 * admitPod(pod, ctx); // pod.spec.serviceAccountName === "default", pod.spec.tolerations has 2 entries
 */
import type { Pod, Toleration, Volume } from "../types/pod";
import type { ServiceAccount } from "../types/core";
import { forbiddenError } from "../errors";
import type { StrategyContext } from "./strategy";
import { injectSidecar } from "../../mesh/inject";

const PODS = { group: "", resource: "pods" };
const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Upstream names the object in admission errors by name, else by generateName. */
function admissionName(pod: Pod): string {
  return pod.metadata.name || pod.metadata.generateName || "Unknown";
}

/** `TokenVolumeSource()`: fully spelled out, since admission runs after defaulting. */
function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    },
  };
}

function admitServiceAccount(pod: Pod, ctx: StrategyContext): void {
  // Mirror pods (the kubelet's copies of static pods) keep their spec: no account, no token.
  if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return;
  const spec = pod.spec;
  const ns = pod.metadata.namespace ?? "";
  if (!spec.serviceAccountName) spec.serviceAccountName = "default";
  spec.serviceAccount = spec.serviceAccountName;
  const sa = ctx.reader.find("ServiceAccount", ns, spec.serviceAccountName) as ServiceAccount | undefined;
  if (!sa && ctx.admission.requireServiceAccount) {
    const reason = `error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`;
    throw forbiddenError(PODS, admissionName(pod), reason);
  }
  if ((spec.imagePullSecrets ?? []).length === 0 && (sa?.imagePullSecrets ?? []).length > 0) {
    spec.imagePullSecrets = sa!.imagePullSecrets!.map((s) => ({ ...s }));
  }
  const automount = spec.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  if (!automount) return;
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  if (containers.every((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH))) return;
  const volumeName = `kube-api-access-${ctx.rng.alnum(5)}`;
  spec.volumes = [...(spec.volumes ?? []), tokenVolume(volumeName)];
  for (const c of containers) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
  }
}

const BUILTIN_PRIORITY: Record<string, number> = { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 };

function admitPriority(pod: Pod): void {
  const spec = pod.spec;
  if (!spec.priorityClassName) {
    spec.priority ??= 0;
  } else {
    const value = BUILTIN_PRIORITY[spec.priorityClassName];
    if (value === undefined) {
      throw forbiddenError(PODS, admissionName(pod), `no PriorityClass with name ${spec.priorityClassName} was found`);
    }
    spec.priority = value;
  }
  spec.preemptionPolicy ??= "PreemptLowerPriority";
}

const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];

/** DefaultTolerationSeconds: only adds a toleration the pod does not already have for that taint. */
function admitTolerations(pod: Pod): void {
  const existing = pod.spec.tolerations ?? [];
  // An empty key or effect counts as a match, as in the plugin.
  const tolerates = (key: string) => existing.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === "NoExecute"));
  const added = DEFAULT_TOLERATIONS.filter((t) => !tolerates(t.key!)).map((t) => ({ ...t }));
  if (added.length > 0) pod.spec.tolerations = [...existing, ...added];
}

/** Runs the mutating admission chain on a new pod; throws Forbidden like upstream. */
export function admitPod(pod: Pod, ctx: StrategyContext): void {
  // Istio's injector webhook (when installed); here before ServiceAccount so its containers get the token mount too.
  injectSidecar(pod, ctx.reader);
  admitServiceAccount(pod, ctx);
  admitPriority(pod);
  admitTolerations(pod);
}
