/**
 * A container's environment as the kubelet builds it (`makeEnvironmentVariables`): envFrom,
 * then env (values, field refs, resource refs, ConfigMap and Secret keys, with `$(VAR)`
 * expansion), then Docker-link style variables for the Services of the pod's namespace and
 * the `kubernetes` Service (`KUBERNETES_SERVICE_HOST=10.96.0.1` …). The image's own ENV comes
 * first and is overridden by these. A missing ConfigMap or key is a CreateContainerConfigError.
 *
 * @example
 * containerEnv({ pod, container, store, image, podIP, hostIP, nodeName, allocatable });
 * // { ok: true, env: { PATH: "…", KUBERNETES_SERVICE_HOST: "10.96.0.1", … } }
 */
import type { ConfigMap, Container, EnvVar, ObjectStore, Pod, Secret, Service, Stored } from "../../api";
import { base64Text } from "../bytes";
import type { CatalogImage } from "../images/catalog";

export interface EnvContext {
  pod: Stored<Pod>;
  container: Container;
  store: ObjectStore;
  image: CatalogImage;
  podIP: string;
  hostIP: string;
  nodeName: string;
  /** Node allocatable cpu (cores) and memory (bytes), for resourceFieldRef without limits. */
  allocatable: { cpu: number; memory: number };
}

export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; message: string };

class ConfigError extends Error {}

/** `expansion.Expand`: `$(VAR)` from the mapping, `$$` an escaped dollar, unknown names kept. */
export function expandVars(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === "$$") return "$";
    return lookup(name!) ?? whole;
  });
}

/** Docker-link variables for one Service. */
function serviceVars(svc: Stored<Service>): [string, string][] {
  const ip = svc.spec.clusterIP;
  const ports = svc.spec.ports ?? [];
  if (!ip || ip === "None" || ports.length === 0) return [];
  const prefix = svc.metadata.name.toUpperCase().replace(/-/g, "_");
  const vars: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) vars.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, "_")}`, String(p.port)]);
  const proto = (p: { protocol?: string }) => (p.protocol ?? "TCP").toLowerCase();
  vars.push([`${prefix}_PORT`, `${proto(ports[0])}://${ip}:${ports[0].port}`]);
  for (const p of ports) {
    const key = `${prefix}_PORT_${p.port}_${proto(p).toUpperCase()}`;
    vars.push([key, `${proto(p)}://${ip}:${p.port}`], [`${key}_PROTO`, proto(p)], [`${key}_PORT`, String(p.port)], [`${key}_ADDR`, ip]);
  }
  return vars;
}

function fieldRef(ctx: EnvContext, path: string): string {
  const meta = ctx.pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === "labels" ? meta.labels : meta.annotations)?.[sub[2]] ?? "";
  const values: Record<string, string> = {
    "metadata.name": meta.name, "metadata.namespace": meta.namespace ?? "default", "metadata.uid": meta.uid,
    "spec.nodeName": ctx.nodeName, "spec.serviceAccountName": ctx.pod.spec.serviceAccountName ?? "",
    "status.hostIP": ctx.hostIP, "status.hostIPs": ctx.hostIP, "status.podIP": ctx.podIP, "status.podIPs": ctx.podIP,
  };
  return values[path] ?? "";
}

function quantity(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(String(text));
  if (!m) return undefined;
  const scale: Record<string, number> = { "": 1, m: 0.001, k: 1e3, Ki: 1024, M: 1e6, Mi: 1024 ** 2, G: 1e9, Gi: 1024 ** 3, T: 1e12, Ti: 1024 ** 4 };
  return Number(m[1]) * scale[m[2] ?? ""];
}

function resourceRef(ctx: EnvContext, ref: NonNullable<EnvVar["valueFrom"]>["resourceFieldRef"] & object): string {
  const [kind, resource] = ref.resource.split(".");
  const fromSpec = quantity(ctx.container.resources?.[kind === "limits" ? "limits" : "requests"]?.[resource]);
  const value = fromSpec ?? (kind === "limits" ? (resource === "cpu" ? ctx.allocatable.cpu : ctx.allocatable.memory) : 0);
  const divisor = quantity(ref.divisor ?? 1) || 1;
  return String(Math.ceil(value / divisor));
}

function keyRef(ctx: EnvContext, kind: "ConfigMap" | "Secret", ref: { name?: string; key: string; optional?: boolean }): string | undefined {
  const ns = ctx.pod.metadata.namespace ?? "default";
  const obj = ctx.store.find<ConfigMap & Secret>(kind, ns, ref.name ?? "");
  if (!obj) {
    if (ref.optional) return undefined;
    throw new ConfigError(`${kind === "ConfigMap" ? "configmap" : "secret"} "${ref.name ?? ""}" not found`);
  }
  const data = obj.data ?? {};
  if (!(ref.key in data)) {
    if (ref.optional) return undefined;
    throw new ConfigError(`couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name ?? ""}`);
  }
  return kind === "Secret" ? base64Text(data[ref.key]) : data[ref.key];
}

/** The container's full environment, or the CreateContainerConfigError message. */
export function containerEnv(ctx: EnvContext): EnvResult {
  const ns = ctx.pod.metadata.namespace ?? "default";
  const services = new Map<string, string>();
  const linked = ctx.pod.spec.enableServiceLinks === false ? [] : ctx.store.list<Service>("Service", { namespace: ns });
  const master = ctx.store.find<Service>("Service", "default", "kubernetes");
  for (const svc of [...(master ? [master] : []), ...linked]) for (const [k, v] of serviceVars(svc)) services.set(k, v);
  const env = new Map<string, string>();
  try {
    for (const from of ctx.container.envFrom ?? []) {
      const kind = from.configMapRef ? "ConfigMap" : "Secret";
      const ref = from.configMapRef ?? from.secretRef ?? {};
      const obj = ctx.store.find<ConfigMap & Secret>(kind, ns, ref.name ?? "");
      if (!obj) {
        if (ref.optional) continue;
        throw new ConfigError(`${kind === "ConfigMap" ? "configmap" : "secret"} "${ref.name ?? ""}" not found`);
      }
      for (const [k, v] of Object.entries(obj.data ?? {})) env.set(`${from.prefix ?? ""}${k}`, kind === "Secret" ? base64Text(v) : v);
    }
    const lookup = (name: string) => env.get(name) ?? services.get(name);
    for (const e of ctx.container.env ?? []) {
      const from = e.valueFrom;
      let value: string | undefined = e.value !== undefined ? expandVars(e.value, lookup) : "";
      if (from?.fieldRef) value = fieldRef(ctx, from.fieldRef.fieldPath);
      else if (from?.resourceFieldRef) value = resourceRef(ctx, from.resourceFieldRef);
      else if (from?.configMapKeyRef) value = keyRef(ctx, "ConfigMap", from.configMapKeyRef);
      else if (from?.secretKeyRef) value = keyRef(ctx, "Secret", from.secretKeyRef);
      if (value !== undefined) env.set(e.name, value);
    }
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, message: e.message };
    throw e;
  }
  const result: Record<string, string> = { ...ctx.image.env, HOSTNAME: ctx.pod.spec.hostname ?? ctx.pod.metadata.name };
  for (const [k, v] of [...services].sort(([a], [b]) => (a < b ? -1 : 1))) if (!env.has(k)) result[k] = v;
  for (const [k, v] of env) result[k] = v;
  if (!("HOME" in result)) result.HOME = ctx.image.user ? (ctx.image.workdir || "/") : "/root";
  return { ok: true, env: result };
}
