/**
 * `kubectl describe pod` and the pod-template block every workload describer embeds
 * (`DescribePodTemplate`): containers with their state, probes, environment and mounts,
 * conditions, volumes (the kube-api-access projected volume included), QoS class, node
 * selectors and tolerations — in describe.go's order and wording (v1.32).
 *
 * @example
 * const w = new DescribeWriter();
 * describePod(w, pod, now);
 */
import { ephemeralContainersOf, podQOSClass, type Container, type ContainerState, type ContainerStatus, type Pod, type PodTemplateSpec, type Probe, type Volume } from "../../api";
import { type DescribeWriter, goBool, goSlice, printLabels, printAnnotations, printTolerations, rfc1123z, since } from "./writer";

/** `describePod` without the events (the caller appends them). */
export function describePod(w: DescribeWriter, pod: Pod, now: number): void {
  const { spec, status = {} } = pod;
  const meta = pod.metadata;
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ""}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  const runtimeClass = (spec as { runtimeClassName?: string }).runtimeClassName;
  if (runtimeClass) w.write(0, `Runtime Class Name:\t${runtimeClass}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabels(w, "Labels", meta.labels);
  printAnnotations(w, "Annotations", meta.annotations);
  if (meta.deletionTimestamp && status.phase !== "Failed" && status.phase !== "Succeeded") {
    w.write(0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ""}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ""}\n`);
  if (!status.podIPs?.length) w.write(0, "IPs:\t<none>\n");
  else {
    w.write(0, "IPs:\n");
    for (const ip of status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controller = meta.ownerReferences?.find((r) => r.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  const env = envResolver(pod);
  if (spec.initContainers?.length) describeContainers(w, "Init Containers", spec.initContainers, status.initContainerStatuses, env, "");
  describeContainers(w, "Containers", spec.containers, status.containerStatuses, env, "");
  const ephemeral = ephemeralContainersOf(pod);
  if (ephemeral.length) describeContainers(w, "Ephemeral Containers", ephemeral, (status as { ephemeralContainerStatuses?: ContainerStatus[] }).ephemeralContainerStatuses, env, "");
  if (spec.readinessGates?.length) {
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of spec.readinessGates) {
      const c = status.conditions?.find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : "<none>"} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, "");
  w.write(0, `QoS Class:\t${status.qosClass || podQOSClass(pod)}\n`);
  printLabels(w, "Node-Selectors", spec.nodeSelector);
  printTolerations(w, "Tolerations", spec.tolerations);
}

/** `DescribePodTemplate`, as Deployments, ReplicaSets and DaemonSets show it. */
export function describePodTemplate(w: DescribeWriter, template: PodTemplateSpec | undefined): void {
  w.write(0, "Pod Template:\n");
  if (!template) return w.write(1, "<unset>");
  printLabels(w, "  Labels", template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) printAnnotations(w, "  Annotations", template.metadata?.annotations);
  const spec = template.spec;
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers(w, "Init Containers", spec.initContainers, undefined, undefined, "  ");
  describeContainers(w, "Containers", spec.containers, undefined, undefined, "  ");
  describeVolumes(w, spec.volumes, "  ");
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabels(w, "  Node-Selectors", spec.nodeSelector);
  printTolerations(w, "  Tolerations", spec.tolerations);
}

type EnvResolver = (fieldPath: string) => string;

/** `EnvValueRetriever`: the value a downward-API fieldRef has for this pod. */
function envResolver(pod: Pod): EnvResolver {
  return (path) => {
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
    if (m) return (m[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? "";
    const fields: Record<string, string | undefined> = {
      "metadata.name": pod.metadata.name,
      "metadata.namespace": pod.metadata.namespace,
      "metadata.uid": pod.metadata.uid,
      "spec.nodeName": pod.spec.nodeName,
      "spec.serviceAccountName": pod.spec.serviceAccountName,
      "status.hostIP": pod.status?.hostIP,
      "status.podIP": pod.status?.podIP,
      "status.podIPs": pod.status?.podIPs?.map((p) => p.ip).join(","),
      "status.hostIPs": pod.status?.hostIPs?.map((p) => p.ip).join(","),
    };
    return fields[path] ?? "";
  };
}

function describeContainers(
  w: DescribeWriter,
  label: string,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[] | undefined,
  env: EnvResolver | undefined,
  space: string,
): void {
  w.write(0, `${space}${label}:${containers.length === 0 ? " <none>" : ""}\n`);
  for (const c of containers) {
    const status = statuses?.find((s) => s.name === c.name);
    w.write(1, `${space ? " " : ""}${c.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ""}\n`);
    w.write(2, `Image:\t${c.image ?? ""}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID ?? ""}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ""}${p.name ? ` (${p.name})` : ""}`).join(", ");
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ""}${p.name ? ` (${p.name})` : ""}`).join(", ");
    w.write(2, ports.includes(",") ? `Ports:\t${ports}\n` : `Port:\t${ports || "<none>"}\n`);
    w.write(2, hostPorts.includes(",") ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || "<none>"}\n`);
    for (const [title, lines] of [["Command", c.command], ["Args", c.args]] as const) {
      if (!lines?.length) continue;
      w.write(2, `${title}:\n`);
      for (const l of lines) for (const s of l.split("\n")) w.write(3, `${s}\n`);
    }
    if (status) {
      describeState(w, "State", status.state);
      if (status.lastState?.terminated) describeState(w, "Last State", status.lastState);
      w.write(2, `Ready:\t${goBool(status.ready)}\n`);
      w.write(2, `Restart Count:\t${status.restartCount}\n`);
    }
    for (const [title, list] of [["Limits", c.resources?.limits], ["Requests", c.resources?.requests]] as const) {
      const names = Object.keys(list ?? {}).sort();
      if (names.length > 0) w.write(2, `${title}:\n`);
      for (const n of names) w.write(3, `${n}:\t${list![n]}\n`);
    }
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (c.envFrom?.length) {
      w.write(2, "Environment Variables from:\n");
      for (const e of c.envFrom) {
        const [from, ref] = e.configMapRef ? ["ConfigMap", e.configMapRef] : ["Secret", e.secretRef];
        const opt = ref?.optional === true;
        w.write(3, e.prefix ? `${ref?.name ?? ""}\t${from} with prefix '${e.prefix}'\tOptional: ${opt}\n` : `${ref?.name ?? ""}\t${from}\tOptional: ${opt}\n`);
      }
    }
    describeEnv(w, c, env);
    w.write(2, `Mounts:${c.volumeMounts?.length ? "" : "\t<none>"}\n`);
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
    }
  }
}

function describeEnv(w: DescribeWriter, c: Container, env: EnvResolver | undefined): void {
  w.write(2, `Environment:${c.env?.length ? "" : "\t<none>"}\n`);
  for (const e of c.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      e.value?.split("\n").forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      if (e.value === undefined) w.write(3, `${e.name}:\t\n`);
    } else if (from.fieldRef) {
      w.write(3, `${e.name}:\t${env?.(from.fieldRef.fieldPath) ?? ""} (${from.fieldRef.apiVersion ?? ""}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      const r = from.resourceFieldRef.resource;
      const [kind, name] = r.split(".") as ["limits" | "requests", string];
      const value = String(c.resources?.[kind]?.[name] ?? "0");
      w.write(3, `${e.name}:\t${value === "0" && r.startsWith("limits.") ? "node allocatable" : value} (${r})\n`);
    } else if (from.secretKeyRef) {
      const s = from.secretKeyRef;
      w.write(3, `${e.name}:\t<set to the key '${s.key}' in secret '${s.name ?? ""}'>\tOptional: ${s.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const s = from.configMapKeyRef;
      w.write(3, `${e.name}:\t<set to the key '${s.key}' of config map '${s.name ?? ""}'>\tOptional: ${s.optional === true}\n`);
    }
  }
}

function describeState(w: DescribeWriter, name: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (state?.waiting?.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  }
}

/** `DescribeProbe`: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec ${goSlice(p.exec.command)} ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet;
    const host = h.host ?? "";
    const hostPort = `${host.includes(":") ? `[${host}]` : host}:${h.port}`;
    return `http-get ${(h.scheme ?? "").toLowerCase()}://${hostPort}${h.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

const optional = (o: boolean | undefined) => (o === undefined ? "<nil>" : String(o));

/** `describeVolumes` for the volume sources lessons use; others print `<unknown>` as kubectl does for unknown ones. */
export function describeVolumes(w: DescribeWriter, volumes: readonly Volume[] | undefined, space: string): void {
  if (!volumes?.length) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? " " : ""}${v.name}:\n`);
    if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || "<none>"}\n`);
    } else if (v.emptyDir) {
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ""}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? "<unset>"}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ""}\n    Optional:\t${v.secret.optional === true}\n`);
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ""}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else if (v.nfs) {
      w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v.nfs.server}\n    Path:\t${v.nfs.path}\n    ReadOnly:\t${v.nfs.readOnly === true}\n`);
    } else if (v.persistentVolumeClaim) {
      const c = v.persistentVolumeClaim;
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${c.claimName}\n    ReadOnly:\t${c.readOnly === true}\n`);
    } else if (v.downwardAPI) {
      w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
      for (const item of v.downwardAPI.items ?? []) {
        const i = item as { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } };
        if (i.fieldRef) w.write(3, `${i.fieldRef.fieldPath} -> ${i.path}\n`);
        if (i.resourceFieldRef) w.write(3, `${i.resourceFieldRef.resource} -> ${i.path}\n`);
      }
    } else if (v.projected) {
      w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
      for (const s of v.projected.sources ?? []) {
        const src = s as Record<string, { name?: string; optional?: boolean; expirationSeconds?: number } | undefined>;
        if (src.secret) w.write(2, `SecretName:\t${src.secret.name ?? ""}\n    SecretOptionalName:\t${optional(src.secret.optional)}\n`);
        else if (src.downwardAPI) w.write(2, "DownwardAPI:\ttrue\n");
        else if (src.configMap) w.write(2, `ConfigMapName:\t${src.configMap.name ?? ""}\n    ConfigMapOptional:\t${optional(src.configMap.optional)}\n`);
        else if (src.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${src.serviceAccountToken.expirationSeconds ?? 0}\n`);
      }
    } else w.write(1, "<unknown>\n");
  }
}
