/**
 * `describe.DescribePodTemplate` as `rollout history --revision=N` and `rollout undo
 * --dry-run=client` print it: written straight into a buffer, not through a tabwriter, so the
 * `\t` between a field and its value stays a tab. Covers what lessons put in templates: labels,
 * annotations, service account, containers (ports, command, resources, probes, env, mounts),
 * the usual volume sources, topology spread, priority class, node selectors and tolerations.
 *
 * @example
 * describePodTemplate(rs.spec.template);
 * // "Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=5d7f\n  Containers:\n   web:\n    Image:\tnginx\n…"
 */
import type { Container, PodTemplateSpec, Probe, Toleration, Volume } from "../../../../api";
import { formatLabelSelector } from "../../../../api";

/** `PrefixWriter` levels: two spaces each. */
const indent = (level: number) => "  ".repeat(level);
const MAX_ANNOTATION_LEN = 140;
const SKIPPED_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

/** `printLabelsMultiline`: `title:\tk=v`, further pairs on `\tk=v` lines, sorted. */
function labelsBlock(title: string, labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((k, i) => `${i === 0 ? `${title}:\t` : "\t"}${k}=${labels![k]}\n`).join("");
}

/** `printAnnotationsMultiline`: long or multi-line values go on their own indented lines. */
function annotationsBlock(title: string, annotations: Readonly<Record<string, string>>): string {
  const keys = Object.keys(annotations).filter((k) => !SKIPPED_ANNOTATIONS.has(k)).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  let out = `${title}:\t`;
  keys.forEach((key, i) => {
    if (i > 0) out += "\t";
    const value = annotations[key].replace(/\n$/, "");
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      out += `${key}:\n`;
      for (const line of value.split("\n")) {
        const short = line.length > MAX_ANNOTATION_LEN - 2 ? `${line.slice(0, MAX_ANNOTATION_LEN - 2)}...` : line;
        out += `\t  ${short}\n`;
      }
    } else out += `${key}: ${value}\n`;
  });
  return out;
}

function portList(container: Container, host: boolean): string {
  return (container.ports ?? []).map((p) => `${host ? (p.hostPort ?? 0) : p.containerPort}/${p.protocol ?? ""}`).join(", ");
}

/** `DescribeProbe`: the handler, then its timing. */
function probeText(probe: Probe): string {
  const n = (v: number | undefined) => v ?? 0;
  const attrs = `delay=${n(probe.initialDelaySeconds)}s timeout=${n(probe.timeoutSeconds)}s period=${n(probe.periodSeconds)}s #success=${n(probe.successThreshold)} #failure=${n(probe.failureThreshold)}`;
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(" ")}] ${attrs}`;
  if (probe.httpGet) {
    const g = probe.httpGet;
    return `http-get ${(g.scheme ?? "").toLowerCase()}://${g.host ?? ""}:${g.port}${g.path ?? ""} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket ${probe.tcpSocket.host ?? ""}:${probe.tcpSocket.port} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port} ${probe.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

function resourcesText(container: Container): string {
  let out = "";
  for (const [title, list] of [["Limits", container.resources?.limits], ["Requests", container.resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length > 0) out += `${indent(2)}${title}:\n`;
    for (const name of names) out += `${indent(3)}${name}:\t${list![name]}\n`;
  }
  return out;
}

function envText(container: Container): string {
  let out = "";
  if (container.envFrom?.length) {
    out += `${indent(2)}Environment Variables from:\n`;
    for (const e of container.envFrom) {
      const [from, ref] = e.configMapRef ? ["ConfigMap", e.configMapRef] : ["Secret", e.secretRef];
      const prefix = e.prefix ? ` with prefix '${e.prefix}'` : "";
      out += `${indent(3)}${ref?.name ?? ""}\t${from}${prefix}\tOptional: ${ref?.optional === true}\n`;
    }
  }
  out += `${indent(2)}Environment:${container.env?.length ? "" : "\t<none>"}\n`;
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      out += (e.value ?? "").split("\n").map((s, i) => (i === 0 ? `${indent(3)}${e.name}:\t${s}\n` : `${indent(3)}\t${s}\n`)).join("");
    } else if (from.fieldRef) out += `${indent(3)}${e.name}:\t (${from.fieldRef.apiVersion ?? ""}:${from.fieldRef.fieldPath})\n`;
    else if (from.resourceFieldRef) {
      const r = from.resourceFieldRef.resource;
      const value = r === "limits.cpu" || r === "limits.memory" ? "node allocatable" : "";
      out += `${indent(3)}${e.name}:\t${value} (${r})\n`;
    } else if (from.secretKeyRef) {
      const s = from.secretKeyRef;
      out += `${indent(3)}${e.name}:\t<set to the key '${s.key}' in secret '${s.name ?? ""}'>\tOptional: ${s.optional === true}\n`;
    } else if (from.configMapKeyRef) {
      const c = from.configMapKeyRef;
      out += `${indent(3)}${e.name}:\t<set to the key '${c.key}' of config map '${c.name ?? ""}'>\tOptional: ${c.optional === true}\n`;
    }
  }
  return out;
}

function containersText(label: string, containers: readonly Container[]): string {
  let out = `  ${label}:${containers.length === 0 ? " <none>" : ""}\n`;
  for (const c of containers) {
    out += `${indent(1)} ${c.name}:\n${indent(2)}Image:\t${c.image ?? ""}\n`;
    const ports = portList(c, false);
    out += ports.includes(",") ? `${indent(2)}Ports:\t${ports}\n` : `${indent(2)}Port:\t${ports || "<none>"}\n`;
    const hostPorts = portList(c, true);
    out += hostPorts.includes(",") ? `${indent(2)}Host Ports:\t${hostPorts}\n` : `${indent(2)}Host Port:\t${hostPorts || "<none>"}\n`;
    for (const [title, words] of [["Command", c.command], ["Args", c.args]] as const) {
      if (!words?.length) continue;
      out += `${indent(2)}${title}:\n${words.flatMap((w) => w.split("\n")).map((s) => `${indent(3)}${s}\n`).join("")}`;
    }
    out += resourcesText(c);
    for (const [title, probe] of [["Liveness", c.livenessProbe], ["Readiness", c.readinessProbe], ["Startup", c.startupProbe]] as const) {
      if (probe) out += `${indent(2)}${title}:\t${probeText(probe)}\n`;
    }
    out += envText(c);
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    out += `${indent(2)}Mounts:${mounts.length ? "" : "\t<none>"}\n`;
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path="${m.subPath}"`] : [])];
      out += `${indent(3)}${m.mountPath} from ${m.name} (${flags.join(",")})\n`;
    }
  }
  return out;
}

type Projection = { name?: string; optional?: boolean };

/** `printProjectedVolumeSource`'s per-source lines. */
function projectedSources(v: Volume): string {
  const sources = (v.projected?.sources ?? []) as { secret?: Projection; configMap?: Projection; downwardAPI?: unknown; serviceAccountToken?: { expirationSeconds?: number } }[];
  return sources
    .map((s) => {
      if (s.secret) return `${indent(2)}SecretName:\t${s.secret.name ?? ""}\n${indent(2)}Optional:\t${s.secret.optional === true}\n`;
      if (s.downwardAPI) return `${indent(2)}DownwardAPI:\ttrue\n`;
      if (s.configMap) return `${indent(2)}ConfigMapName:\t${s.configMap.name ?? ""}\n${indent(2)}Optional:\t${s.configMap.optional === true}\n`;
      if (s.serviceAccountToken) return `${indent(2)}TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`;
      return "";
    })
    .join("");
}

/** The lines under a volume's name, per source, as describe's `print…VolumeSource` helpers write them. */
function volumeSourceText(v: Volume): string {
  const t = (type: string, fields: [string, unknown][]) =>
    `${indent(2)}Type:\t${type}\n${fields.map(([k, val]) => `${indent(2)}${k}:\t${val}\n`).join("")}`;
  if (v.hostPath) return t("HostPath (bare host directory volume)", [["Path", v.hostPath.path], ["HostPathType", v.hostPath.type || "<none>"]]);
  if (v.emptyDir) return t("EmptyDir (a temporary directory that shares a pod's lifetime)", [["Medium", v.emptyDir.medium ?? ""], ["SizeLimit", v.emptyDir.sizeLimit ?? "<unset>"]]);
  if (v.secret) return t("Secret (a volume populated by a Secret)", [["SecretName", v.secret.secretName ?? ""], ["Optional", v.secret.optional === true]]);
  if (v.configMap) return t("ConfigMap (a volume populated by a ConfigMap)", [["Name", v.configMap.name ?? ""], ["Optional", v.configMap.optional === true]]);
  if (v.nfs) return t("NFS (an NFS mount that lasts the lifetime of a pod)", [["Server", v.nfs.server], ["Path", v.nfs.path], ["ReadOnly", v.nfs.readOnly === true]]);
  if (v.persistentVolumeClaim) {
    return t("PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)", [
      ["ClaimName", v.persistentVolumeClaim.claimName],
      ["ReadOnly", v.persistentVolumeClaim.readOnly === true],
    ]);
  }
  if (v.downwardAPI) {
    const items = (v.downwardAPI.items ?? []) as { path?: string; fieldRef?: { fieldPath?: string }; resourceFieldRef?: { resource?: string } }[];
    const lines = items.map((i) => `${indent(3)}${i.fieldRef?.fieldPath ?? i.resourceFieldRef?.resource} -> ${i.path}\n`).join("");
    return `${indent(2)}Type:\tDownwardAPI (a volume populated by information about the pod)\n${indent(2)}Items:\n${lines}`;
  }
  if (v.projected) return `${indent(2)}Type:\tProjected (a volume that contains injected data from multiple sources)\n${projectedSources(v)}`;
  return `${indent(1)}<unknown>\n`;
}

function volumesText(volumes: readonly Volume[]): string {
  if (volumes.length === 0) return "  Volumes:\t<none>\n";
  return `  Volumes:\n${volumes.map((v) => `${indent(1)} ${v.name}:\n${volumeSourceText(v)}`).join("")}`;
}

/** `printPodTolerationsMultiline`, sorted by key. */
function tolerationsText(tolerations: readonly Toleration[]): string {
  if (tolerations.length === 0) return "  Tolerations:\t<none>\n";
  const sorted = [...tolerations].sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0));
  return sorted
    .map((t, i) => {
      let s = `${i === 0 ? "  Tolerations:\t" : "\t"}${t.key ?? ""}${t.value ? `=${t.value}` : ""}${t.effect ? `:${t.effect}` : ""}`;
      if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
      if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
      return `${s}\n`;
    })
    .join("");
}

type SpreadConstraint = { topologyKey?: string; whenUnsatisfiable?: string; maxSkew?: number; labelSelector?: Parameters<typeof formatLabelSelector>[0] };

function spreadText(constraints: readonly SpreadConstraint[]): string {
  const sorted = [...constraints].sort((a, b) => ((a.topologyKey ?? "") < (b.topologyKey ?? "") ? -1 : 1));
  return sorted
    .map((c, i) => {
      const selector = c.labelSelector ? ` for selector ${formatLabelSelector(c.labelSelector)}` : "";
      return `${i === 0 ? "  Topology Spread Constraints:\t" : "  \t"}${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded${selector}\n`;
    })
    .join("");
}

/** The `Pod Template:` block for `template`. */
export function describePodTemplate(template: PodTemplateSpec): string {
  const meta = template.metadata ?? {};
  const spec = template.spec;
  let out = "Pod Template:\n";
  out += labelsBlock("  Labels", meta.labels);
  if (meta.annotations && Object.keys(meta.annotations).length > 0) out += annotationsBlock("  Annotations", meta.annotations);
  if (spec.serviceAccountName) out += `${indent(1)}Service Account:\t${spec.serviceAccountName}\n`;
  if (spec.initContainers?.length) out += containersText("Init Containers", spec.initContainers);
  out += containersText("Containers", spec.containers);
  out += volumesText(spec.volumes ?? []);
  out += spreadText((spec.topologySpreadConstraints ?? []) as SpreadConstraint[]);
  if (spec.priorityClassName) out += `${indent(1)}Priority Class Name:\t${spec.priorityClassName}\n`;
  out += labelsBlock("  Node-Selectors", spec.nodeSelector);
  out += tolerationsText(spec.tolerations ?? []);
  return out;
}
