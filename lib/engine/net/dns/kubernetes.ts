/**
 * CoreDNS's `kubernetes` plugin: the answers of the Kubernetes DNS-based service discovery
 * specification, read from the API objects at the moment of the query (so they follow
 * Services and EndpointSlices as pods scale):
 *
 * - `svc.ns.svc.zone`: A with the ClusterIP; headless, one A per ready endpoint; ExternalName a CNAME
 * - `host.svc.ns.svc.zone`: a headless endpoint by its hostname, or its dashed address (`10-244-1-5`)
 * - `_port._proto.svc.ns.svc.zone`: SRV for a named port (every port for the bare service name)
 * - `a-b-c-d.ns.pod.zone`: a pod A record (`pods insecure`: any address, if the namespace exists)
 * - `d.c.b.a.in-addr.arpa`: PTR for ClusterIPs and endpoint addresses
 *
 * A name that exists with no record of the type is NODATA (NOERROR, SOA in authority); a name
 * that does not exist is NXDOMAIN — unless `fallthrough` hands it to the next plugin.
 *
 * @example
 * kubernetesAnswer(store, plugin, { name: "web.default.svc.cluster.local.", type: "A" }, serial);
 * // { rcode: "NOERROR", answer: [{ name: "web.default.svc.cluster.local.", ttl: 30, type: "A", data: "10.96.112.4" }], additional: [] }
 */
import type { ObjectStore } from "../../api";
import type { EndpointSlice, Namespace, Pod, Service } from "../../api";
import { inZone, type KubernetesPlugin } from "./corefile";
import { addressOfReverse, type Question, type Rcode, type ResourceRecord } from "./message";

export interface ZoneAnswer {
  rcode: Extract<Rcode, "NOERROR" | "NXDOMAIN">;
  answer: ResourceRecord[];
  additional: ResourceRecord[];
  /** The zone whose SOA goes in the authority section of a negative answer. */
  zone: string;
  /** An ExternalName's target, which CoreDNS resolves through its own upstream. */
  chase?: string;
}

const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The SOA CoreDNS gives its cluster zone (serial: when the API objects last changed, in Unix seconds). */
export function soaRecord(zone: string, ttl: number, serial: number): ResourceRecord {
  const base = zone === "." ? "" : zone;
  return { name: zone, ttl, type: "SOA", data: `ns.dns.${base} hostmaster.${base} ${serial} 7200 1800 86400 ${ttl}` };
}

function dashed(ip: string): string {
  return ip.replace(/\./g, "-");
}

function endpointsOf(store: ObjectStore, svc: Service): { ip: string; name: string }[] {
  const ns = svc.metadata.namespace ?? "default";
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  const seen = new Set<string>();
  const out: { ip: string; name: string }[] = [];
  for (const slice of store.list<EndpointSlice>("EndpointSlice", { namespace: ns, labelSelector: `${SERVICE_NAME_LABEL}=${svc.metadata.name}` })) {
    if (slice.addressType !== "IPv4") continue;
    for (const ep of slice.endpoints ?? []) {
      if (!publishNotReady && ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) {
        if (seen.has(ip)) continue;
        seen.add(ip);
        out.push({ ip, name: ep.hostname ?? dashed(ip) });
      }
    }
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

const isHeadless = (svc: Service) => svc.spec.clusterIP === "None";

/** The answer for a name in the plugin's zones, or undefined when it falls through to the next plugin. */
export function kubernetesAnswer(store: ObjectStore, plugin: KubernetesPlugin, q: Question): ZoneAnswer | undefined {
  const zone = plugin.zones.filter((z) => inZone(q.name, z)).sort((a, b) => b.length - a.length)[0];
  if (!zone) return undefined;
  const ttl = plugin.ttl;
  const positive = (answer: ResourceRecord[], additional: ResourceRecord[] = []): ZoneAnswer => ({ rcode: "NOERROR", answer, additional, zone });
  const nodata = positive([]);
  const nxdomain = (): ZoneAnswer | undefined => (plugin.fallthrough?.some((z) => inZone(q.name, z)) ? undefined : { rcode: "NXDOMAIN", answer: [], additional: [], zone });

  if (zone.endsWith("in-addr.arpa.") || zone.endsWith("ip6.arpa.")) {
    if (q.name === zone) return nodata;
    const ip = addressOfReverse(q.name);
    const target = ip === undefined ? undefined : reverseTarget(store, ip, plugin.zones.find((z) => !z.endsWith(".arpa.")) ?? "cluster.local.");
    if (!target) return nxdomain();
    return positive(q.type === "PTR" || q.type === "ANY" ? [{ name: q.name, ttl, type: "PTR", data: target }] : []);
  }

  const labels = q.name === zone ? [] : q.name.slice(0, q.name.length - zone.length - 1).split(".");
  if (labels.length === 0) return positive(q.type === "NS" ? [{ name: zone, ttl, type: "NS", data: `ns.dns.${zone}` }] : []);
  const kind = labels[labels.length - 1];
  const nsExists = (ns: string) => store.find<Namespace>("Namespace", undefined, ns) !== undefined;

  if (kind === "pod") {
    if (labels.length === 1) return nodata;
    if (labels.length === 2) return nsExists(labels[0]) ? nodata : nxdomain();
    if (labels.length !== 3 || plugin.pods === "disabled" || !nsExists(labels[1])) return nxdomain();
    const ip = labels[0].replace(/-/g, ".");
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split(".").some((o) => Number(o) > 255)) return nxdomain();
    if (plugin.pods === "verified" && !store.list<Pod>("Pod", { namespace: labels[1] }).some((p) => p.status?.podIP === ip)) return nxdomain();
    return positive(q.type === "A" || q.type === "ANY" ? [{ name: q.name, ttl, type: "A", data: ip }] : []);
  }
  if (kind !== "svc") return nxdomain();
  if (labels.length === 1) return nodata;
  if (labels.length === 2) return nsExists(labels[0]) ? nodata : nxdomain();
  const ns = labels[labels.length - 2];
  const svcName = labels[labels.length - 3];
  const svc = store.find<Service>("Service", ns, svcName);
  if (!svc) return nxdomain();
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;
  const rest = labels.slice(0, -3);

  if (svc.spec.type === "ExternalName") {
    if (rest.length > 0) return nxdomain();
    const target = `${(svc.spec.externalName ?? "").replace(/\.$/, "").toLowerCase()}.`;
    return { ...positive([{ name: q.name, ttl, type: "CNAME", data: target }]), chase: target };
  }
  const endpoints = isHeadless(svc) ? endpointsOf(store, svc) : [];
  const addressRecords = (name: string, ips: string[]): ResourceRecord[] => ips.map((ip) => ({ name, ttl, type: "A" as const, data: ip }));

  if (rest.length === 0) {
    if (isHeadless(svc) && endpoints.length === 0) return nxdomain();
    const ips = isHeadless(svc) ? endpoints.map((e) => e.ip) : [svc.spec.clusterIP ?? ""];
    if (q.type === "A") return positive(addressRecords(q.name, ips));
    if (q.type === "SRV") return srvAnswer(q.name, svc, undefined, endpoints, svcFqdn, ttl) ?? nodata;
    return nodata;
  }
  if (rest.length === 1) {
    // An endpoint of a headless Service, by hostname or dashed address.
    const matches = endpoints.filter((e) => e.name === rest[0]);
    if (matches.length === 0) return nxdomain();
    return positive(q.type === "A" ? addressRecords(q.name, matches.map((e) => e.ip)) : []);
  }
  if (rest.length === 2 && rest[0].startsWith("_") && rest[1].startsWith("_")) {
    const answer = srvAnswer(q.name, svc, { port: rest[0].slice(1), proto: rest[1].slice(1) }, endpoints, svcFqdn, ttl);
    if (!answer) return nxdomain();
    return q.type === "SRV" ? answer : nodata;
  }
  return nxdomain();
}

/** SRV records (and the targets' A records as additionals) for one named port or all ports. */
function srvAnswer(name: string, svc: Service, want: { port: string; proto: string } | undefined, endpoints: { ip: string; name: string }[], svcFqdn: string, ttl: number): ZoneAnswer | undefined {
  const ports = (svc.spec.ports ?? []).filter((p) => !want || ((p.name ?? "") === want.port && (p.protocol ?? "TCP").toLowerCase() === want.proto));
  if (ports.length === 0) return undefined;
  const targets = isHeadless(svc) ? endpoints.map((e) => ({ host: `${e.name}.${svcFqdn}`, ip: e.ip })) : [{ host: svcFqdn, ip: svc.spec.clusterIP ?? "" }];
  const count = ports.length * targets.length;
  const weight = Math.floor(100 / count);
  const answer: ResourceRecord[] = [];
  const additional: ResourceRecord[] = [];
  for (const p of ports) {
    for (const t of targets) {
      const port = isHeadless(svc) ? (typeof p.targetPort === "number" ? p.targetPort : p.port) : p.port;
      answer.push({ name, ttl, type: "SRV", data: `0 ${weight} ${port} ${t.host}` });
      if (!additional.some((a) => a.name === t.host)) additional.push({ name: t.host, ttl, type: "A", data: t.ip });
    }
  }
  return { rcode: "NOERROR", answer, additional, zone: svcFqdn.slice(svcFqdn.indexOf(".svc.") + 5) };
}

/** The name a reverse lookup of `ip` finds: a Service's ClusterIP, or an endpoint's address. */
function reverseTarget(store: ObjectStore, ip: string, zone: string): string | undefined {
  for (const svc of store.list<Service>("Service")) {
    if (svc.spec.clusterIP === ip) return `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}`;
  }
  for (const slice of store.list<EndpointSlice>("EndpointSlice")) {
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svcName || slice.addressType !== "IPv4") continue;
    const ep = (slice.endpoints ?? []).find((e) => e.addresses.includes(ip));
    if (ep) return `${ep.hostname ?? dashed(ip)}.${svcName}.${slice.metadata.namespace}.svc.${zone}`;
  }
  return undefined;
}
