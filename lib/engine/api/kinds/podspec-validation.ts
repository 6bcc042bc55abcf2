/**
 * `ValidatePodSpec` and the container checks under it (`pkg/apis/core/validation`), in
 * upstream's order so multi-error messages list causes the way a real apiserver does:
 * grace period, volumes, containers (name, image, termination policy, ports, env, mounts, pull
 * policy, probes), init containers, restart and DNS policy, node selector, names, tolerations.
 *
 * @example
 * validatePodSpec({ containers: [] }, fieldPath("spec")).map(errorString);
 * // ["spec.containers: Required value", …]
 */
import type { Container, PodSpec, Probe, ProbeHandler, Volume } from "../types/pod";
import {
  type FieldError, FieldPath, duplicate, forbidden, invalid, notFound, notSupported, required,
} from "../validation/field";
import { nameIsDNSSubdomain, validateLabels, validateNonnegative } from "../validation/meta";
import {
  inclusiveRangeError, isConfigMapKey, isDNS1123Label, isQualifiedName, isRelaxedEnvVarName, isValidLabelValue,
  isValidPortName, isValidPortNum,
} from "../validation/strings";

const PROTOCOLS = ["SCTP", "TCP", "UDP"];

function validateContainerPorts(c: Container, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    const ip = path.index(i);
    if (p.name) {
      const msgs = isValidPortName(p.name);
      for (const m of msgs) errs.push(invalid(ip.child("name"), p.name, m));
      if (msgs.length === 0) {
        if (names.has(p.name)) errs.push(duplicate(ip.child("name"), p.name));
        names.add(p.name);
      }
    }
    if (!p.containerPort) errs.push(required(ip.child("containerPort")));
    else for (const m of isValidPortNum(p.containerPort)) errs.push(invalid(ip.child("containerPort"), p.containerPort, m));
    if (p.hostPort) for (const m of isValidPortNum(p.hostPort)) errs.push(invalid(ip.child("hostPort"), p.hostPort, m));
    if (!p.protocol) errs.push(required(ip.child("protocol")));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(ip.child("protocol"), p.protocol, PROTOCOLS));
  });
  return errs;
}

function validateEnv(c: Container, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (c.env ?? []).forEach((e, i) => {
    const ip = path.index(i);
    if (!e.name) errs.push(required(ip.child("name")));
    else for (const m of isRelaxedEnvVarName(e.name)) errs.push(invalid(ip.child("name"), e.name, m));
    const from = e.valueFrom;
    if (!from) return;
    const fp = ip.child("valueFrom");
    const sources = [from.fieldRef, from.resourceFieldRef, from.configMapKeyRef, from.secretKeyRef].filter((s) => s !== undefined);
    for (const [ref, child] of [[from.configMapKeyRef, "configMapKeyRef"], [from.secretKeyRef, "secretKeyRef"]] as const) {
      if (!ref) continue;
      for (const m of nameIsDNSSubdomain(ref.name ?? "", false)) errs.push(invalid(fp.child(child, "name"), ref.name ?? "", m));
      if (!ref.key) errs.push(required(fp.child(child, "key")));
      else for (const m of isConfigMapKey(ref.key)) errs.push(invalid(fp.child(child, "key"), ref.key, m));
    }
    if (sources.length === 0) {
      errs.push(invalid(fp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    } else if (e.value) {
      errs.push(invalid(fp, "", "may not be specified when `value` is not empty"));
    } else if (sources.length > 1) {
      errs.push(invalid(fp, "", "may not have more than one field specified at a time"));
    }
  });
  return errs;
}

function validateVolumeMounts(c: Container, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const ip = path.index(i);
    if (!m.name) errs.push(required(ip.child("name")));
    if (!volumes.has(m.name)) errs.push(notFound(ip.child("name"), m.name ?? ""));
    if (!m.mountPath) errs.push(required(ip.child("mountPath")));
    if (mountPoints.has(m.mountPath)) errs.push(invalid(ip.child("mountPath"), m.mountPath, "must be unique"));
    mountPoints.add(m.mountPath);
  });
  return errs;
}

function validateHandler(h: ProbeHandler, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  const kinds: [unknown, string][] = [[h.exec, "exec"], [h.httpGet, "httpGet"], [h.tcpSocket, "tcpSocket"], [h.grpc, "grpc"]];
  for (const [value, name] of kinds) {
    if (value === undefined) continue;
    if (handlers > 0) {
      errs.push(forbidden(path.child(name), "may not specify more than 1 handler type"));
      continue;
    }
    handlers++;
    if (h.exec && name === "exec" && (h.exec.command ?? []).length === 0) errs.push(required(path.child("exec", "command")));
    if (h.httpGet && name === "httpGet") {
      if (!h.httpGet.path) errs.push(required(path.child("httpGet", "path")));
      errs.push(...validatePortNumOrName(h.httpGet.port, path.child("httpGet", "port")));
      if (!["HTTP", "HTTPS"].includes(h.httpGet.scheme ?? "")) {
        errs.push(notSupported(path.child("httpGet", "scheme"), h.httpGet.scheme ?? "", ["HTTP", "HTTPS"]));
      }
    }
    if (h.tcpSocket && name === "tcpSocket") errs.push(...validatePortNumOrName(h.tcpSocket.port, path.child("tcpSocket", "port")));
    if (h.grpc && name === "grpc") errs.push(...validatePortNumOrName(h.grpc.port, path.child("grpc", "port")));
  }
  if (handlers === 0) errs.push(required(path, "must specify a handler type"));
  return errs;
}

/** `ValidatePortNumOrName`: a number in 1-65535 or an IANA service name. */
export function validatePortNumOrName(port: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof port === "number") return isValidPortNum(port).map((m) => invalid(path, port, m));
  return isValidPortName(port ?? "").map((m) => invalid(path, port ?? "", m));
}

function validateProbe(p: Probe | undefined, path: FieldPath, successMustBeOne: boolean): FieldError[] {
  if (!p) return [];
  const errs = validateHandler(p, path);
  for (const f of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] as const) {
    errs.push(...validateNonnegative(p[f], path.child(f)));
  }
  if (successMustBeOne && p.successThreshold !== 1) errs.push(invalid(path.child("successThreshold"), p.successThreshold ?? 0, "must be 1"));
  return errs;
}

/** `validateContainerCommon`: checks every container kind shares. */
function validateContainerCommon(c: Container, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(path.child("name")));
  else for (const m of isDNS1123Label(c.name)) errs.push(invalid(path.child("name"), c.name, m));
  if (!c.image) errs.push(required(path.child("image")));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(required(path.child("terminationMessagePolicy")));
  else if (tmp !== "File" && tmp !== "FallbackToLogsOnError") {
    errs.push(notSupported(path.child("terminationMessagePolicy"), tmp, ["File", "FallbackToLogsOnError"]));
  }
  errs.push(...validateContainerPorts(c, path.child("ports")));
  errs.push(...validateEnv(c, path.child("env")));
  errs.push(...validateVolumeMounts(c, volumes, path.child("volumeMounts")));
  const pull = c.imagePullPolicy;
  if (!pull) errs.push(required(path.child("imagePullPolicy")));
  else if (!["Always", "IfNotPresent", "Never"].includes(pull)) {
    errs.push(notSupported(path.child("imagePullPolicy"), pull, ["Always", "IfNotPresent", "Never"]));
  }
  return errs;
}

function validateHostPorts(containers: readonly Container[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) =>
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.protocol ?? ""}/${p.hostIP ?? ""}/${p.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key));
      seen.add(key);
    }),
  );
  return errs;
}

function validateContainers(spec: PodSpec, volumes: Set<string>, path: FieldPath): FieldError[] {
  const containers = spec.containers ?? [];
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ip = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, ip));
    if (names.has(c.name)) errs.push(duplicate(ip.child("name"), c.name));
    names.add(c.name);
    if (c.lifecycle?.postStart) errs.push(...validateHandler(c.lifecycle.postStart, ip.child("lifecycle", "postStart")));
    if (c.lifecycle?.preStop) errs.push(...validateHandler(c.lifecycle.preStop, ip.child("lifecycle", "preStop")));
    errs.push(...validateProbe(c.livenessProbe, ip.child("livenessProbe"), true));
    errs.push(...validateProbe(c.readinessProbe, ip.child("readinessProbe"), false));
    errs.push(...validateProbe(c.startupProbe, ip.child("startupProbe"), true));
    if (c.restartPolicy !== undefined) errs.push(forbidden(ip.child("restartPolicy"), "may not be set for non-init containers"));
  });
  errs.push(...validateHostPorts(containers, path));
  return errs;
}

function validateInitContainers(spec: PodSpec, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((spec.containers ?? []).map((c) => c.name));
  (spec.initContainers ?? []).forEach((c, i) => {
    const ip = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, ip));
    const sidecar = c.restartPolicy === "Always";
    if (c.restartPolicy !== undefined && !sidecar) errs.push(notSupported(ip.child("restartPolicy"), c.restartPolicy, ["Always"]));
    if (names.has(c.name)) errs.push(duplicate(ip.child("name"), c.name));
    else if (c.name) names.add(c.name);
    errs.push(...validateHostPorts([c], path));
    if (!sidecar) {
      for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] as const) {
        if (c[f] !== undefined) errs.push(forbidden(ip.child(f), "may not be set for init containers without restartPolicy=Always"));
      }
    }
  });
  return errs;
}

const VOLUME_SOURCES = [
  "emptyDir", "hostPath", "configMap", "secret", "persistentVolumeClaim", "nfs", "projected", "downwardAPI",
  "csi", "ephemeral", "image", "iscsi", "cephfs", "rbd", "fc", "local",
];

/** `validateVolumeSource` for the sources lessons use; exactly one source is allowed. */
function validateVolumeSource(v: Volume, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const present = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
  if (present.length === 0) return [required(path, "must specify a volume type")];
  for (const extra of present.slice(1)) errs.push(forbidden(path.child(extra), "may not specify more than 1 volume type"));
  if (v.hostPath && !v.hostPath.path) errs.push(required(path.child("hostPath", "path")));
  if (v.configMap && !v.configMap.name) errs.push(required(path.child("configMap", "name")));
  if (v.secret && !v.secret.secretName) errs.push(required(path.child("secret", "secretName")));
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
    errs.push(required(path.child("persistentVolumeClaim", "claimName")));
  }
  if (v.nfs) {
    if (!v.nfs.server) errs.push(required(path.child("nfs", "server")));
    if (!v.nfs.path) errs.push(required(path.child("nfs", "path")));
    else if (!v.nfs.path.startsWith("/")) errs.push(invalid(path.child("nfs", "path"), v.nfs.path, "must be an absolute path"));
  }
  return errs;
}

/** `ValidateVolumes`: a volume with any error is left out, so mounts of it read "Not found". */
function validateVolumes(spec: PodSpec, path: FieldPath): { names: Set<string>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    const ip = path.index(i);
    const el = validateVolumeSource(v, ip);
    if (!v.name) el.push(required(ip.child("name")));
    else for (const m of isDNS1123Label(v.name)) el.push(invalid(ip.child("name"), v.name, m));
    if (names.has(v.name)) el.push(duplicate(ip.child("name"), v.name));
    if (el.length === 0) names.add(v.name);
    else errs.push(...el);
  });
  return { names, errs };
}

function validateTolerations(spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (spec.tolerations ?? []).forEach((t, i) => {
    const ip = path.index(i);
    if (t.key) for (const m of isQualifiedName(t.key)) errs.push(invalid(ip.child("key"), t.key, m));
    if (!t.key && t.operator !== "Exists") {
      errs.push(invalid(ip.child("operator"), t.operator ?? "", 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") {
      errs.push(invalid(ip.child("effect"), t.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (!t.operator || t.operator === "Equal") {
      const msgs = isValidLabelValue(t.value ?? "");
      if (msgs.length > 0) errs.push(invalid(ip.child("operator"), t.value ?? "", msgs.join(";")));
    } else if (t.operator === "Exists") {
      if (t.value) errs.push(invalid(ip.child("operator"), t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(ip.child("operator"), t.operator, ["Equal", "Exists"]));
    }
    if (t.effect && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect)) {
      errs.push(notSupported(ip.child("effect"), t.effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]));
    }
  });
  return errs;
}

function enumCheck(value: string | undefined, allowed: readonly string[], path: FieldPath): FieldError[] {
  if (!value) return [required(path)];
  return allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

/** `ValidatePodSpec` for a Pod (`spec`) or a template (`spec.template.spec`). */
export function validatePodSpec(spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined) errs.push(required(path.child("terminationGracePeriodSeconds")));
  const volumes = validateVolumes(spec, path.child("volumes"));
  errs.push(...volumes.errs);
  errs.push(...validateContainers(spec, volumes.names, path.child("containers")));
  errs.push(...validateInitContainers(spec, volumes.names, path.child("initContainers")));
  errs.push(...enumCheck(spec.restartPolicy, ["Always", "OnFailure", "Never"], path.child("restartPolicy")));
  errs.push(...enumCheck(spec.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"], path.child("dnsPolicy")));
  errs.push(...validateLabels(spec.nodeSelector, path.child("nodeSelector")));
  if (spec.serviceAccountName) {
    for (const m of nameIsDNSSubdomain(spec.serviceAccountName, false)) errs.push(invalid(path.child("serviceAccountName"), spec.serviceAccountName, m));
  }
  if (spec.nodeName) for (const m of nameIsDNSSubdomain(spec.nodeName, false)) errs.push(invalid(path.child("nodeName"), spec.nodeName, m));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > 2147483647)) {
    errs.push(invalid(path.child("activeDeadlineSeconds"), ads, inclusiveRangeError(1, 2147483647)));
  }
  if (spec.hostname) for (const m of isDNS1123Label(spec.hostname)) errs.push(invalid(path.child("hostname"), spec.hostname, m));
  if (spec.subdomain) for (const m of isDNS1123Label(spec.subdomain)) errs.push(invalid(path.child("subdomain"), spec.subdomain, m));
  errs.push(...validateTolerations(spec, path.child("tolerations")));
  return errs;
}
