/**
 * istioctl's read-only views: `version`, `proxy-status` (every proxy istiod serves),
 * `proxy-config secret POD` (the workload certificate and the root a sidecar holds, with
 * `-o json` the PEMs base64 as Envoy's config dump has them) and `analyze` (IST0102 for a
 * namespace without injection, IST0103 for a pod that is missing its proxy — the pods that
 * predate the label).
 *
 * @example
 * proxyConfigSecret(mesh, "sleep-6d8f7c9b5-x2x4k", "default"); // "RESOURCE NAME   TYPE   STATUS …\ndefault   Cert Chain   ACTIVE   true   …"
 */
import type { Namespace, Pod } from "../../api";
import { encodeBase64 } from "../../util/base64";
import { ISTIO_NAMESPACE, ISTIO_VERSION, LABELS } from "../constants";
import type { MeshControlPlane } from "../control-plane";
import { rootCertificatePem } from "../control-plane";
import { rootFromPem, workloadIdentity } from "../identity";
import { rfc3339, table } from "./format";

type Result = { stdout: string; stderr: string; exitCode: number };
const ok = (stdout: string): Result => ({ stdout, stderr: "", exitCode: 0 });
const fail = (text: string, exitCode = 1): Result => ({ stdout: "", stderr: `${text}\n`, exitCode });

const isRunning = (p: Pod) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp;

/** Pods with a proxy istiod serves: injected sidecars, and the gateways. */
function proxies(mesh: MeshControlPlane): Pod[] {
  return (mesh.store.list("Pod") as Pod[]).filter((p) => isRunning(p) && (p.metadata.annotations?.["sidecar.istio.io/status"] || (p.metadata.namespace === ISTIO_NAMESPACE && p.spec.containers.some((c) => c.name === "istio-proxy"))));
}

function istiodPod(mesh: MeshControlPlane): Pod | undefined {
  return (mesh.store.list("Pod", { namespace: ISTIO_NAMESPACE }) as Pod[]).find((p) => p.metadata.labels?.app === "istiod" && isRunning(p));
}

export function version(mesh: MeshControlPlane | undefined): Result {
  if (!mesh || !istiodPod(mesh)) return ok(`Istio is not present in the cluster: no running Istio pods in namespace "${ISTIO_NAMESPACE}"\nclient version: ${ISTIO_VERSION}\n`);
  const n = proxies(mesh).length;
  return ok(`client version: ${ISTIO_VERSION}\ncontrol plane version: ${ISTIO_VERSION}\ndata plane version: ${ISTIO_VERSION} (${n} ${n === 1 ? "proxy" : "proxies"})\n`);
}

export function proxyStatus(mesh: MeshControlPlane | undefined): Result {
  const istiod = mesh && istiodPod(mesh);
  if (!mesh || !istiod) return fail(`Error: unable to find any Istiod instances`);
  const rows = [["NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS", "ISTIOD", "VERSION"]];
  const sorted = proxies(mesh).map((p) => ({ p, name: `${p.metadata.name}.${p.metadata.namespace}` })).sort((a, b) => a.name.localeCompare(b.name));
  for (const { p, name } of sorted) {
    const gateway = !p.metadata.annotations?.["sidecar.istio.io/status"];
    rows.push([name, "Kubernetes", "SYNCED", "SYNCED", "SYNCED", gateway ? "NOT SENT" : "SYNCED", "NOT SENT", istiod.metadata.name ?? "", ISTIO_VERSION]);
  }
  return ok(table(rows));
}

/** `POD`, `POD.NAMESPACE`, `pod/POD` or `deployment/NAME` (its first running pod), in `-n NAMESPACE` or default. */
function podRef(mesh: MeshControlPlane, ref: string, namespace: string | undefined): { name: string; namespace: string } | { error: string } {
  const slash = ref.indexOf("/");
  const kind = slash > 0 ? ref.slice(0, slash) : "pod";
  let name = slash > 0 ? ref.slice(slash + 1) : ref;
  let ns = namespace ?? "default";
  const dot = name.indexOf(".");
  if (dot > 0 && namespace === undefined) [name, ns] = [name.slice(0, dot), name.slice(dot + 1)];
  if (kind === "pod" || kind === "pods" || kind === "po") return { name, namespace: ns };
  if (kind !== "deployment" && kind !== "deploy" && kind !== "deployments") return { error: `Error: failed to retrieve proxy config: can not find pod for ${ref}` };
  const d = mesh.store.find("Deployment", ns, name) as { spec?: { selector?: { matchLabels?: Record<string, string> } } } | undefined;
  const want = d?.spec?.selector?.matchLabels ?? {};
  const pod = d && (mesh.store.list("Pod", { namespace: ns }) as Pod[]).find((p) => isRunning(p) && Object.entries(want).every(([k, v]) => p.metadata.labels?.[k] === v));
  return pod ? { name: pod.metadata.name ?? "", namespace: ns } : { error: `Error: failed to retrieve proxy config: no running pod for deployment/${name} in namespace ${ns}` };
}

export function proxyConfigSecret(mesh: MeshControlPlane | undefined, ref: string, namespace: string | undefined, output: string): Result {
  if (!mesh) return fail("Error: failed to connect to the Kubernetes API server");
  const where = podRef(mesh, ref, namespace);
  if ("error" in where) return fail(where.error);
  const pod = mesh.store.find("Pod", where.namespace, where.name) as Pod | undefined;
  if (!pod) return fail(`Error: failed to retrieve proxy config: pods "${where.name}" not found`);
  const started = pod.status?.containerStatuses?.find((c) => c.name === "istio-proxy")?.state?.running?.startedAt;
  if (!started) return fail(`Error: failed to retrieve proxy config: error execing into ${where.name}/${where.namespace} istio-proxy container: container istio-proxy is not valid for pod ${where.name}`);
  const pem = rootCertificatePem(mesh.store);
  const root = pem ? rootFromPem(pem) : undefined;
  if (!root) return fail("Error: istiod's root certificate is not available");
  const identity = workloadIdentity(root, { namespace: where.namespace, serviceAccount: pod.spec.serviceAccountName ?? "default", pod: where.name, issuedAt: Date.parse(started) });
  const cert = identity.certificate;
  const now = mesh.now;
  const valid = (c: { notBefore: number; notAfter: number }) => String(now >= c.notBefore && now <= c.notAfter);
  if (output === "json") {
    const inline = (text: string) => encodeBase64(text);
    const dump = {
      dynamicActiveSecrets: [
        { name: "default", versionInfo: rfc3339(cert.notBefore), lastUpdated: rfc3339(cert.notBefore), secret: { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", name: "default", tlsCertificate: { certificateChain: { inlineBytes: inline(cert.pem + root.pem) }, privateKey: { inlineBytes: "W3JlZGFjdGVkXQ==" } } } },
        { name: "ROOTCA", versionInfo: rfc3339(cert.notBefore), lastUpdated: rfc3339(cert.notBefore), secret: { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", name: "ROOTCA", validationContext: { trustedCa: { inlineBytes: inline(root.pem) } } } },
      ],
    };
    return ok(`${JSON.stringify(dump, null, 4)}\n`);
  }
  if (output !== "short") return fail(`Error: unknown output format "${output}" (json, short)`);
  const serial = (n: bigint) => n.toString(16);
  return ok(table([
    ["RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE"],
    ["default", "Cert Chain", "ACTIVE", valid(cert), serial(cert.serial), rfc3339(cert.notAfter), rfc3339(cert.notBefore)],
    ["ROOTCA", "CA", "ACTIVE", valid(root), serial(root.serial), rfc3339(root.notAfter), rfc3339(root.notBefore)],
  ]));
}

export function analyze(mesh: MeshControlPlane | undefined, namespace: string | undefined, all: boolean): Result {
  if (!mesh) return fail("Error: failed to connect to the Kubernetes API server");
  const namespaces = (mesh.store.list("Namespace") as Namespace[]).filter((n) => (all ? !["kube-system", "kube-public", "kube-node-lease", ISTIO_NAMESPACE].includes(n.metadata.name ?? "") : n.metadata.name === (namespace ?? "default")));
  const warnings: string[] = [];
  const infos: string[] = [];
  for (const ns of namespaces) {
    const name = ns.metadata.name;
    const labels = ns.metadata.labels ?? {};
    const enabled = labels[LABELS.injection] === "enabled" || labels[LABELS.revision] !== undefined;
    if (!enabled && labels[LABELS.injection] !== "disabled") {
      infos.push(`Info [IST0102] (Namespace ${name}) The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${name} istio-injection=enabled' to enable it, or 'kubectl label namespace ${name} istio-injection=disabled' to explicitly mark it as not needing injection.`);
      continue;
    }
    if (!enabled) continue;
    for (const pod of mesh.store.list("Pod", { namespace: name }) as Pod[]) {
      const podName = pod.metadata.name ?? "";
      if (pod.spec.hostNetwork || pod.metadata.labels?.[LABELS.podInject] === "false" || pod.metadata.annotations?.["sidecar.istio.io/status"]) continue;
      warnings.push(`Warning [IST0103] (Pod ${name}/${podName}) The pod ${name}/${podName} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.`);
    }
  }
  const scope = all ? "all namespaces" : `namespace: ${namespace ?? "default"}`;
  if (warnings.length + infos.length === 0) return ok(`\u2714 No validation issues found when analyzing ${scope}.\n`);
  return ok([...warnings, ...infos].map((l) => `${l}\n`).join(""));
}
