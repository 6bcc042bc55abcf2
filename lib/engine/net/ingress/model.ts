/**
 * ingress-nginx's store → configuration step (`getBackendServers`/`createServers` in
 * internal/ingress/controller/controller.go): which Ingresses are ours (the IngressClass's
 * controller, or the old `kubernetes.io/ingress.class: nginx` annotation; none without a class),
 * oldest first; one server per host with a default `/` location; every rule's paths turned into
 * nginx locations (a Prefix `/foo` becomes `/foo/` plus `= /foo`, ImplementationSpecific a plain
 * nginx prefix, Exact `=`; regex `~*` for hosts with `use-regex` or `rewrite-target`); a path a
 * host already has keeps the older Ingress's backend; `spec.defaultBackend` of an Ingress without
 * rules becomes the catch-all's `/`, with rules the default of its hosts; upstreams with the
 * Service's ready endpoints for the port; TLS hosts with their Secret's certificate.
 *
 * @example
 * buildModel(store).servers.map((s) => s.host); // ["_", "bar.foo.com", "foo.bar.com"]
 */
import type { EndpointSlice, Ingress, IngressBackend, IngressClass, KubeObject, Secret, Service, StoreReader, Stored } from "../../api";
import { certificateCovers, certificateOfSecret, fakeCertificate } from "./certificate";
import { CATCH_ALL, CONTROLLER_CLASS, DEFAULT_UPSTREAM, INGRESS_CLASS, type IngressModel, type Location, type PathType, type Server, type ServingCertificate, type Skipped, type Upstream } from "./types";

const ANNOTATION = "nginx.ingress.kubernetes.io/";

/** Whether ingress-nginx (`--ingress-class=nginx`, `--controller-class=k8s.io/ingress-nginx`) serves this Ingress. */
export function isOurs(ing: Ingress, classes: ReadonlyMap<string, IngressClass>): boolean {
  const legacy = ing.metadata.annotations?.["kubernetes.io/ingress.class"];
  if (legacy !== undefined) return legacy === INGRESS_CLASS;
  const name = ing.spec.ingressClassName;
  if (!name) return false;
  return classes.get(name)?.spec?.controller === CONTROLLER_CLASS;
}

/** Ingresses as ingress-nginx orders them: by creation time, then namespace/name. */
function byAge(a: Stored<Ingress>, b: Stored<Ingress>): number {
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `namespace-service-port`, as ingress-nginx names an upstream. */
export function upstreamName(namespace: string, backend: NonNullable<IngressBackend["service"]>): string {
  return `${namespace}-${backend.name}-${backend.port?.number ?? backend.port?.name ?? ""}`;
}

/** The ready endpoints of a Service port: its EndpointSlices' ready addresses with the port the slice names. */
function endpointsOf(store: StoreReader, namespace: string, backend: NonNullable<IngressBackend["service"]>): string[] {
  const svc = store.find("Service", namespace, backend.name) as Stored<Service> | undefined;
  if (!svc || svc.spec.type === "ExternalName") return [];
  const port = (svc.spec.ports ?? []).find((p) => (backend.port?.number !== undefined ? p.port === backend.port.number : p.name === backend.port?.name));
  if (!port) return [];
  const out = new Set<string>();
  for (const slice of store.list("EndpointSlice", { namespace }) as Stored<EndpointSlice>[]) {
    if (slice.metadata.labels?.["kubernetes.io/service-name"] !== backend.name || slice.addressType !== "IPv4") continue;
    const sp = (slice.ports ?? []).find((p) => (p.name ?? "") === (port.name ?? ""));
    if (!sp?.port) continue;
    for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false) for (const ip of ep.addresses) out.add(`${ip}:${sp.port}`);
  }
  return [...out].sort(compareEndpoints);
}

function compareEndpoints(a: string, b: string): number {
  const key = (s: string) => s.split(/[.:]/).map((n) => n.padStart(5, "0")).join(".");
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** The source ranges of `allowlist-source-range` (or `whitelist-source-range`), comma separated. */
function allowOf(ing: KubeObject): string[] | undefined {
  const a = ing.metadata.annotations ?? {};
  const value = a[`${ANNOTATION}allowlist-source-range`] ?? a[`${ANNOTATION}whitelist-source-range`];
  if (value === undefined) return undefined;
  const ranges = value.split(",").map((s) => s.trim()).filter(Boolean);
  return ranges.map((r) => (r.includes("/") ? r : `${r}/32`));
}

function usesRegex(ing: KubeObject): boolean {
  const a = ing.metadata.annotations ?? {};
  return a[`${ANNOTATION}use-regex`] === "true" || a[`${ANNOTATION}rewrite-target`] !== undefined;
}

interface Draft {
  host: string;
  locations: Location[];
  tls?: ServingCertificate;
  regex: boolean;
}

function rootLocation(upstream: string): Location {
  return { kind: "prefix", path: "/", ingressPath: "/", pathType: "Prefix", upstream, isDefault: true, sslRedirect: true };
}

/**
 * The nginx locations of one Ingress path (`updateServerLocations`): Prefix `/foo` (or `/foo/`)
 * is `/foo/` and `= /foo`, unless the host already has an Exact `/foo`.
 */
function locationsOf(path: string, pathType: PathType, base: Omit<Location, "kind" | "path" | "ingressPath" | "pathType">, exact: ReadonlySet<string>): Location[] {
  const ingressPath = path || "/";
  const mk = (kind: Location["kind"], p: string): Location => ({ ...base, kind, path: p, ingressPath, pathType });
  if (pathType === "Exact") return [mk("exact", ingressPath)];
  if (pathType === "ImplementationSpecific" || ingressPath === "/") return [mk("prefix", ingressPath)];
  const trimmed = ingressPath.replace(/\/+$/, "");
  const out = [mk("prefix", `${trimmed}/`)];
  if (!exact.has(trimmed)) out.push(mk("exact", trimmed));
  return out;
}

/** Everything the controller serves, from the objects in the store. */
export function buildModel(store: StoreReader): IngressModel {
  const classes = new Map((store.list("IngressClass") as Stored<IngressClass>[]).map((c) => [c.metadata.name, c]));
  const ingresses = (store.list("Ingress") as Stored<Ingress>[]).filter((i) => isOurs(i, classes)).sort(byAge);
  const upstreams = new Map<string, Upstream>([[DEFAULT_UPSTREAM, { name: DEFAULT_UPSTREAM, namespace: "", service: "", port: 0, endpoints: ["127.0.0.1:8181"] }]]);
  const skipped: Skipped[] = [];
  const upstreamOf = (namespace: string, backend: IngressBackend | undefined): string | undefined => {
    if (!backend?.service) return undefined;
    const name = upstreamName(namespace, backend.service);
    if (!upstreams.has(name)) upstreams.set(name, { name, namespace, service: backend.service.name, port: backend.service.port?.number ?? backend.service.port?.name ?? 0, endpoints: endpointsOf(store, namespace, backend.service) });
    return name;
  };
  const servers = new Map<string, Draft>([[CATCH_ALL, { host: CATCH_ALL, locations: [rootLocation(DEFAULT_UPSTREAM)], regex: false }]]);
  // Servers first: each host's default `/` goes to the first Ingress that names it (its defaultBackend, or the 404).
  for (const ing of ingresses) {
    const ns = ing.metadata.namespace ?? "default";
    const own = upstreamOf(ns, ing.spec.defaultBackend);
    const rules = ing.spec.rules ?? [];
    const catchAll = servers.get(CATCH_ALL)!.locations[0];
    if (own && rules.length === 0 && catchAll.isDefault) {
      servers.get(CATCH_ALL)!.locations[0] = { ...catchAll, upstream: own, isDefault: false, ingress: { namespace: ns, name: ing.metadata.name } };
    }
    for (const rule of rules) {
      const host = rule.host || CATCH_ALL;
      if (!servers.has(host)) servers.set(host, { host, locations: [rootLocation(own ?? DEFAULT_UPSTREAM)], regex: false });
    }
  }
  // A host uses regex locations when any of its Ingresses asks for them.
  for (const ing of ingresses) if (usesRegex(ing)) for (const rule of ing.spec.rules ?? []) servers.get(rule.host || CATCH_ALL)!.regex = true;
  for (const ing of ingresses) {
    const ns = ing.metadata.namespace ?? "default";
    const annotations = ing.metadata.annotations ?? {};
    for (const rule of ing.spec.rules ?? []) {
      const server = servers.get(rule.host || CATCH_ALL)!;
      const paths = rule.http?.paths ?? [];
      const exact = new Set(paths.filter((p) => p.pathType === "Exact").map((p) => p.path ?? "/"));
      for (const p of paths) {
        const upstream = upstreamOf(ns, p.backend);
        if (!upstream) continue;
        const base = { ingress: { namespace: ns, name: ing.metadata.name }, upstream, rewriteTarget: annotations[`${ANNOTATION}rewrite-target`], allow: allowOf(ing), isDefault: false, sslRedirect: annotations[`${ANNOTATION}ssl-redirect`] !== "false" };
        for (let loc of locationsOf(p.path ?? "", p.pathType as PathType, base, exact)) {
          if (server.regex && loc.kind === "prefix") loc = { ...loc, kind: "regex" };
          // The server's default `/` gives way to an Ingress's own `/` (prefix or regex, not `= /`).
          const i = server.locations.findIndex((l) => l.path === loc.path && (l.kind === loc.kind || (l.isDefault && loc.kind !== "exact")));
          if (i < 0) server.locations.push(loc);
          else if (server.locations[i].isDefault) server.locations[i] = loc;
          else skipped.push({ ingress: `${ns}/${ing.metadata.name}`, reason: `location "${loc.path}" of server "${server.host}" is already defined by ingress ${server.locations[i].ingress!.namespace}/${server.locations[i].ingress!.name}` });
        }
      }
    }
    for (const tls of ing.spec.tls ?? []) {
      const secret = tls.secretName ? (store.find("Secret", ns, tls.secretName) as Stored<Secret> | undefined) : undefined;
      const cert = secret ? certificateOfSecret(secret) : undefined;
      for (const host of tls.hosts ?? []) {
        const server = servers.get(host);
        // A certificate that does not name the host is not used for it: the fake one is served.
        if (server && !server.tls) server.tls = cert && certificateCovers(cert, host) ? cert : fakeCertificate();
      }
    }
  }
  const ordered = [...servers.values()].sort((a, b) => (a.host === CATCH_ALL ? -1 : b.host === CATCH_ALL ? 1 : a.host < b.host ? -1 : 1));
  const finished: Server[] = ordered.map((s) => Object.freeze({ host: s.host, regex: s.regex, tls: s.tls, locations: Object.freeze([...s.locations].sort(nginxOrder)) }));
  return Object.freeze({ servers: Object.freeze(finished), upstreams, ingresses: Object.freeze(ingresses.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)), skipped: Object.freeze(skipped) });
}

/** ingress-nginx sorts a server's locations by path, longest strings first (so regexes are tried most specific first). */
function nginxOrder(a: Location, b: Location): number {
  if (a.path !== b.path) return a.path > b.path ? -1 : 1;
  return a.kind === "exact" ? -1 : b.kind === "exact" ? 1 : 0;
}
