/**
 * Istio's sidecar injector (istiod's `/inject` mutating webhook, 1.24 `sidecar` template), as
 * one step of the apiserver's mutating admission of a new Pod. It runs only once istiod is
 * installed (its `istio-sidecar-injector` ConfigMap exists), for pods of namespaces labelled
 * `istio-injection=enabled` (unless the pod says `sidecar.istio.io/inject: "false"`), or pods
 * labelled `sidecar.istio.io/inject: "true"` in namespaces without the label. It adds the
 * `istio-init` init container (the iptables capture), the `istio-proxy` container (Envoy and
 * pilot-agent, uid 1337), their volumes, labels and annotations. Pods that exist already are
 * untouched: injection happens only at creation, so they need a restart.
 *
 * @example
 * injectSidecar(pod, reader); // true: pod.spec.initContainers[0].name === "istio-init", containers end with "istio-proxy"
 */
import type { Container, Pod, Volume } from "../api/types/pod";
import type { Namespace } from "../api/types/core";
import type { StoreReader } from "../api";
import { INJECTOR_CONFIGMAP, ISTIO_NAMESPACE, LABELS, PORTS, PROXY_IMAGE, PROXY_UID, ROOT_CONFIGMAP, TRUST_DOMAIN } from "./constants";

const SIDECAR_VOLUMES = ["workload-socket", "credential-socket", "workload-certs", "istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert"];

/** Whether the webhook would be called for this pod (the two webhooks' namespace and object selectors). */
export function injectionWanted(pod: Pod, namespace: Namespace | undefined): boolean {
  if (pod.spec.hostNetwork) return false;
  const podLabel = pod.metadata.labels?.[LABELS.podInject];
  const nsLabels = namespace?.metadata.labels ?? {};
  if (nsLabels[LABELS.injection] === "disabled") return false;
  if (nsLabels[LABELS.injection] === "enabled" || nsLabels[LABELS.revision] === "default") return podLabel !== "false";
  return podLabel === "true";
}

/** The workload a pod belongs to, as the injector names it (a Deployment's pods by the Deployment). */
function workloadName(pod: Pod): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  const hash = pod.metadata.labels?.["pod-template-hash"];
  if (owner?.kind === "ReplicaSet" && hash && owner.name.endsWith(`-${hash}`)) return owner.name.slice(0, -hash.length - 1);
  return owner?.name ?? pod.metadata.name ?? pod.metadata.generateName?.replace(/-$/, "") ?? "";
}

function ownerUrl(pod: Pod, namespace: string, workload: string): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (owner?.kind === "ReplicaSet" && pod.metadata.labels?.["pod-template-hash"]) return `kubernetes://apis/apps/v1/namespaces/${namespace}/deployments/${workload}`;
  if (owner) return `kubernetes://apis/${owner.apiVersion.includes("/") ? owner.apiVersion : `v1`}/namespaces/${namespace}/${owner.kind.toLowerCase()}s/${owner.name}`;
  return `kubernetes://apis/v1/namespaces/${namespace}/pods/${pod.metadata.name ?? workload}`;
}

const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } });
const resourceEnv = (name: string, resource: string) => ({ name, valueFrom: { resourceFieldRef: { divisor: "0", resource } } });

/** The demo/minimal profiles' proxy resources (a fresh copy per container: admission mutates pods). */
const resources = () => ({ limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "10m", memory: "40Mi" } });

function initContainer(): Container {
  return {
    name: "istio-init", image: PROXY_IMAGE, imagePullPolicy: "IfNotPresent",
    args: ["istio-iptables", "-p", String(PORTS.outbound), "-z", String(PORTS.inbound), "-u", String(PROXY_UID), "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d", `${PORTS.stats},${PORTS.health},${PORTS.agentMetrics}`, "--log_output_level=default:info"],
    resources: resources(),
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] }, privileged: false,
      readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0,
    },
    terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File",
  } as Container;
}

function proxyContainer(pod: Pod, namespace: string, workload: string): Container {
  const ports = pod.spec.containers.flatMap((c) => c.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol ?? "TCP" }));
  const podPorts = ports.length ? `[\n${ports.map((p) => `    ${JSON.stringify(p)}`).join("\n,")}\n]` : "[\n]";
  const probe = (extra: object) => ({ httpGet: { path: "/healthz/ready", port: PORTS.health, scheme: "HTTP" }, successThreshold: 1, timeoutSeconds: 3, ...extra });
  return {
    name: "istio-proxy", image: PROXY_IMAGE, imagePullPolicy: "IfNotPresent",
    args: ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"],
    env: [
      { name: "PILOT_CERT_PROVIDER", value: "istiod" },
      { name: "CA_ADDR", value: `istiod.${ISTIO_NAMESPACE}.svc:15012` },
      fieldEnv("POD_NAME", "metadata.name"),
      fieldEnv("POD_NAMESPACE", "metadata.namespace"),
      fieldEnv("INSTANCE_IP", "status.podIP"),
      fieldEnv("SERVICE_ACCOUNT", "spec.serviceAccountName"),
      fieldEnv("HOST_IP", "status.hostIP"),
      resourceEnv("ISTIO_CPU_LIMIT", "limits.cpu"),
      { name: "PROXY_CONFIG", value: "{}\n" },
      { name: "ISTIO_META_POD_PORTS", value: podPorts },
      { name: "ISTIO_META_APP_CONTAINERS", value: pod.spec.containers.map((c) => c.name).join(",") },
      resourceEnv("GOMEMLIMIT", "limits.memory"),
      resourceEnv("GOMAXPROCS", "limits.cpu"),
      { name: "ISTIO_META_CLUSTER_ID", value: "Kubernetes" },
      fieldEnv("ISTIO_META_NODE_NAME", "spec.nodeName"),
      { name: "ISTIO_META_INTERCEPTION_MODE", value: "REDIRECT" },
      { name: "ISTIO_META_WORKLOAD_NAME", value: workload },
      { name: "ISTIO_META_OWNER", value: ownerUrl(pod, namespace, workload) },
      { name: "ISTIO_META_MESH_ID", value: TRUST_DOMAIN },
      { name: "TRUST_DOMAIN", value: TRUST_DOMAIN },
    ],
    ports: [{ containerPort: PORTS.stats, name: "http-envoy-prom", protocol: "TCP" }],
    readinessProbe: probe({ failureThreshold: 4, periodSeconds: 15 }),
    startupProbe: probe({ failureThreshold: 600, periodSeconds: 1 }),
    resources: resources(),
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: PROXY_UID, runAsNonRoot: true, runAsUser: PROXY_UID,
    },
    terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File",
    volumeMounts: [
      { mountPath: "/var/run/secrets/workload-spiffe-uds", name: "workload-socket" },
      { mountPath: "/var/run/secrets/credential-uds", name: "credential-socket" },
      { mountPath: "/var/run/secrets/workload-spiffe-credentials", name: "workload-certs" },
      { mountPath: "/var/run/secrets/istio", name: "istiod-ca-cert" },
      { mountPath: "/var/lib/istio/data", name: "istio-data" },
      { mountPath: "/etc/istio/proxy", name: "istio-envoy" },
      { mountPath: "/var/run/secrets/tokens", name: "istio-token" },
      { mountPath: "/etc/istio/pod", name: "istio-podinfo" },
    ],
  } as Container;
}

function sidecarVolumes(): Volume[] {
  return [
    { name: "workload-socket", emptyDir: {} },
    { name: "credential-socket", emptyDir: {} },
    { name: "workload-certs", emptyDir: {} },
    { name: "istio-envoy", emptyDir: { medium: "Memory" } },
    { name: "istio-data", emptyDir: {} },
    {
      name: "istio-podinfo",
      downwardAPI: { defaultMode: 420, items: [
        { path: "labels", fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels" } },
        { path: "annotations", fieldRef: { apiVersion: "v1", fieldPath: "metadata.annotations" } },
      ] },
    },
    { name: "istio-token", projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience: "istio-ca", expirationSeconds: 43200, path: "istio-token" } }] } },
    { name: "istiod-ca-cert", configMap: { defaultMode: 420, name: ROOT_CONFIGMAP } },
  ] as Volume[];
}

/**
 * Injects the sidecar when istiod is installed and the pod asks for it (see the module's
 * comment); returns whether it did. A pod injected already (it has the status annotation) is
 * left alone, as the injector does.
 */
export function injectSidecar(pod: Pod, reader: StoreReader): boolean {
  if (!reader.find("ConfigMap", ISTIO_NAMESPACE, INJECTOR_CONFIGMAP)) return false;
  const namespace = pod.metadata.namespace ?? "default";
  if (!injectionWanted(pod, reader.find("Namespace", undefined, namespace) as Namespace | undefined)) return false;
  if (pod.metadata.annotations?.["sidecar.istio.io/status"]) return false;
  const workload = workloadName(pod);
  const labels = pod.metadata.labels ?? {};
  const first = pod.spec.containers[0]?.name ?? "";
  pod.metadata.labels = {
    ...labels,
    [LABELS.tlsMode]: "istio",
    [LABELS.canonicalName]: labels["service.istio.io/canonical-name"] ?? labels["app.kubernetes.io/name"] ?? labels.app ?? workload,
    [LABELS.canonicalRevision]: labels["service.istio.io/canonical-revision"] ?? labels["app.kubernetes.io/version"] ?? labels.version ?? "latest",
  };
  pod.metadata.annotations = {
    ...pod.metadata.annotations,
    [LABELS.revision]: "default",
    "kubectl.kubernetes.io/default-container": first,
    "kubectl.kubernetes.io/default-logs-container": first,
    "prometheus.io/path": "/stats/prometheus",
    "prometheus.io/port": String(PORTS.agentMetrics),
    "prometheus.io/scrape": "true",
    "sidecar.istio.io/status": JSON.stringify({ initContainers: ["istio-init"], containers: ["istio-proxy"], volumes: SIDECAR_VOLUMES, imagePullSecrets: null, revision: "default" }),
  };
  pod.spec.initContainers = [...(pod.spec.initContainers ?? []), initContainer()];
  pod.spec.containers = [...pod.spec.containers, proxyContainer(pod, namespace, workload)];
  pod.spec.volumes = [...(pod.spec.volumes ?? []), ...sidecarVolumes()];
  return true;
}
