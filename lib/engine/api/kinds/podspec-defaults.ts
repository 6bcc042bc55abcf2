/**
 * `pkg/apis/core/v1/defaults.go` for PodSpecs (Pods and every workload template): DNS and
 * restart policy, grace period, scheduler, an empty security context, and per container the
 * pull policy, termination message settings, port protocols and probe timings.
 *
 * @example
 * const spec: PodSpec = { containers: [{ name: "web", image: "nginx" }] };
 * defaultPodSpec(spec);
 * spec.restartPolicy;                      // "Always"
 * spec.containers[0].imagePullPolicy;      // "Always" (no tag means :latest)
 */
import type { Container, PodSpec, Probe, ProbeHandler, Volume } from "../types/pod";

/**
 * The tag `parsers.ParseImageName` would find: the part after the last `:` of the final path
 * component, `latest` when neither tag nor digest is given, "" when the reference does not
 * parse (upper-case repository, empty tag), which defaults the pull policy to IfNotPresent.
 */
export function imageTag(image: string): string {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf("/");
  const colon = name.indexOf(":", slash + 1);
  const repo = colon >= 0 ? name.slice(0, colon) : name;
  const tag = colon >= 0 ? name.slice(colon + 1) : "";
  const parts = repo.split("/");
  const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost");
  const path = hasDomain ? parts.slice(1) : parts;
  const validPath = path.every((p) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p));
  if (!validPath || (colon >= 0 && !/^\w[\w.-]{0,127}$/.test(tag))) return "";
  return tag === "" && at < 0 ? "latest" : tag;
}

/**
 * `SetDefaults_Container`: pull policy from the tag, termination message defaults. Also the
 * empty `resources: {}` Go always serializes, so stored objects read as a real server's.
 */
function defaultContainer(c: Container): void {
  c.resources ??= {};
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(c.image ?? "") === "latest" ? "Always" : "IfNotPresent";
  if (!c.terminationMessagePath) c.terminationMessagePath = "/dev/termination-log";
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = "File";
  for (const p of c.ports ?? []) if (!p.protocol) p.protocol = "TCP";
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = "v1";
  }
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (h) defaultHandler(h);
}

function defaultHandler(h: ProbeHandler): void {
  if (h.httpGet) {
    if (!h.httpGet.path) h.httpGet.path = "/";
    if (!h.httpGet.scheme) h.httpGet.scheme = "HTTP";
  }
}

/** `SetDefaults_Probe` (+ its HTTPGetAction). */
function defaultProbe(p: Probe): void {
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHandler(p);
}

const VOLUME_SOURCES = [
  "emptyDir", "hostPath", "configMap", "secret", "persistentVolumeClaim", "nfs", "projected", "downwardAPI",
  "csi", "ephemeral", "image", "iscsi", "cephfs", "rbd", "fc", "local",
];

/** `SetDefaults_Volume` and the per-source modes (0644 written as 420, as the server stores it). */
function defaultVolume(v: Volume): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined)) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.projected) v.projected.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const item of v.downwardAPI.items ?? []) {
      const ref = item.fieldRef as { apiVersion?: string } | undefined;
      if (ref && !ref.apiVersion) ref.apiVersion = "v1";
    }
  }
  if (v.hostPath) v.hostPath.type ??= "";
}

/** `SetDefaults_PodSpec` plus the nested container/volume defaulters. */
export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = "ClusterFirst";
  if (!spec.restartPolicy) spec.restartPolicy = "Always";
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (!spec.schedulerName) spec.schedulerName = "default-scheduler";
  // The deprecated `serviceAccount` field mirrors `serviceAccountName` (conversion does this).
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  else if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of (spec as { ephemeralContainers?: Container[] }).ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}
