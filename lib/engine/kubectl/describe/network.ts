/**
 * Describers for networking objects: Service (endpoints from its Endpoints object, as kubectl
 * 1.32 reads them), Endpoints, EndpointSlice, Ingress (each backend with its endpoints),
 * IngressClass and NetworkPolicy (the ingress/egress rules spelled out).
 *
 * @example
 * describeService(w, store, svc);
 */
import {
  type EndpointSlice, type Endpoints, type Ingress, type IngressBackend, type IngressClass, type LabelSelector, type NetworkPolicy,
  type NetworkPolicyPeer, type NetworkPolicyPort, type ObjectStore, type Service, type Stored, formatLabelSelector,
} from "../../api";
import { type DescribeWriter, formatLabels, goTimeString, printAnnotations, printLabels } from "./writer";

const joinHostPort = (host: string, port: number) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

/** `formatEndpoints`: up to three `ip:port`, then `+ N more...`; `<none>` when empty. */
function formatEndpoints(ep: Endpoints | undefined, portName: string | undefined): string {
  if (!ep?.subsets?.length) return "<none>";
  const list: string[] = [];
  let count = 0;
  const push = (s: string) => {
    if (list.length < 3) list.push(s);
    count++;
  };
  for (const ss of ep.subsets) {
    if (!ss.ports?.length) for (const a of ss.addresses ?? []) push(a.ip);
    for (const p of ss.ports ?? []) {
      if (portName !== undefined && (p.name ?? "") !== portName) continue;
      for (const a of ss.addresses ?? []) push(joinHostPort(a.ip, p.port));
    }
  }
  const text = list.join(",");
  return count > 3 ? `${text} + ${count - 3} more...` : text;
}

/** `describeService`. */
export function describeService(w: DescribeWriter, store: ObjectStore, svc: Stored<Service>): void {
  const { spec, status } = svc;
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", svc.metadata.labels);
  printAnnotations(w, "Annotations", svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ""}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(",") : "<none>"}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(",")}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) {
    const list = ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ""}` : (i.hostname ?? ""))).join(", ");
    w.write(0, `LoadBalancer Ingress:\t${list}\n`);
  }
  const endpoints = store.find<Endpoints>("Endpoints", svc.metadata.namespace, svc.metadata.name);
  for (const p of spec.ports ?? []) {
    const name = p.name || "<unset>";
    const proto = p.protocol ?? "";
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? ""}/${proto}\n`);
    if (p.appProtocol) w.write(0, `AppProtocol:\t${p.appProtocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpoints(endpoints, p.name ?? "")}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ""}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(",")}\n`);
  const dist = (spec as { trafficDistribution?: string }).trafficDistribution;
  if (dist) w.write(0, `Traffic Distribution:\t${dist}\n`);
}

/** `describeEndpoints`. */
export function describeEndpoints(w: DescribeWriter, ep: Stored<Endpoints>): void {
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", ep.metadata.labels);
  printAnnotations(w, "Annotations", ep.metadata.annotations);
  w.write(0, "Subsets:\n");
  for (const ss of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${(ss.addresses ?? []).map((a) => a.ip).join(",") || "<none>"}\n`);
    w.write(1, `NotReadyAddresses:\t${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(",") || "<none>"}\n`);
    if (ss.ports?.length) {
      w.write(1, "Ports:\n");
      w.write(2, "Name\tPort\tProtocol\n");
      w.write(2, "----\t----\t--------\n");
      for (const p of ss.ports) w.write(2, `${p.name || "<unset>"}\t${p.port}\t${p.protocol ?? ""}\n`);
    }
    w.write(0, "\n");
  }
}

/** `describeEndpointSliceV1`. */
export function describeEndpointSlice(w: DescribeWriter, eps: Stored<EndpointSlice>): void {
  w.write(0, `Name:\t${eps.metadata.name}\n`);
  w.write(0, `Namespace:\t${eps.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", eps.metadata.labels);
  printAnnotations(w, "Annotations", eps.metadata.annotations);
  w.write(0, `AddressType:\t${eps.addressType}\n`);
  if (!eps.ports?.length) w.write(0, "Ports: <unset>\n");
  else {
    w.write(0, "Ports:\n");
    w.write(1, "Name\tPort\tProtocol\n");
    w.write(1, "----\t----\t--------\n");
    for (const p of eps.ports) w.write(1, `${p.name || "<unset>"}\t${p.port ?? "<unset>"}\t${p.protocol ?? ""}\n`);
  }
  if (!eps.endpoints?.length) return w.write(0, "Endpoints: <none>\n");
  w.write(0, "Endpoints:\n");
  for (const e of eps.endpoints) {
    w.write(1, `- Addresses:\t${e.addresses.join(", ") || "<none>"}\n`);
    w.write(2, "Conditions:\n");
    w.write(3, `Ready:\t${e.conditions?.ready === undefined ? "<unset>" : String(e.conditions.ready)}\n`);
    w.write(2, `Hostname:\t${e.hostname ?? "<unset>"}\n`);
    if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind ?? ""}/${e.targetRef.name ?? ""}\n`);
    w.write(2, `NodeName:\t${e.nodeName ?? "<unset>"}\n`);
    w.write(2, `Zone:\t${e.zone ?? "<unset>"}\n`);
  }
}

function describeBackend(store: ObjectStore, ns: string, backend: IngressBackend): string {
  if (backend.service) {
    const b = backend.service;
    const sb = `${b.name}:${b.port?.number || b.port?.name || ""}`;
    const ep = store.find<Endpoints>("Endpoints", ns, b.name);
    if (!ep) return `${sb} (<error: endpoints "${b.name}" not found>)`;
    const svc = store.find<Service>("Service", ns, b.name);
    if (!svc) return `${sb} (<error: services "${b.name}" not found>)`;
    let portName = "";
    for (const sp of svc.spec.ports ?? []) {
      if ((b.port?.number && b.port.number === sp.port) || (b.port?.name && b.port.name === sp.name)) portName = sp.name ?? "";
    }
    return `${sb} (${formatEndpoints(ep, portName)})`;
  }
  if (backend.resource) {
    const r = backend.resource;
    return `APIGroup: ${r.apiGroup ?? "<none>"}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return "";
}

/** `describeIngressV1`. */
export function describeIngress(w: DescribeWriter, store: ObjectStore, ing: Stored<Ingress>): void {
  const ns = ing.metadata.namespace ?? "";
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  printLabels(w, "Labels", ing.metadata.labels);
  w.write(0, `Namespace:\t${ns}\n`);
  const addresses = [...new Set((ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean))].sort();
  w.write(0, `Address:\t${addresses.join(",")}\n`);
  w.write(0, `Ingress Class:\t${ing.spec.ingressClassName ?? "<none>"}\n`);
  const def = ing.spec.defaultBackend ? describeBackend(store, ns, ing.spec.defaultBackend) : "<default>";
  w.write(0, `Default backend:\t${def}\n`);
  if (ing.spec.tls?.length) {
    w.write(0, "TLS:\n");
    for (const t of ing.spec.tls) {
      const hosts = (t.hosts ?? []).join(",");
      w.write(1, t.secretName ? `${t.secretName} terminates ${hosts}\n` : `SNI routes ${hosts}\n`);
    }
  }
  w.write(0, "Rules:\n  Host\tPath\tBackends\n");
  w.write(1, "----\t----\t--------\n");
  let count = 0;
  for (const rule of ing.spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || "*"}\t\n`);
    for (const p of rule.http.paths) w.write(2, `\t${p.path ?? ""} \t${describeBackend(store, ns, p.backend)}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${def}\n`);
  printAnnotations(w, "Annotations", ing.metadata.annotations);
}

/** `describeIngressClassV1`. */
export function describeIngressClass(w: DescribeWriter, ic: Stored<IngressClass>): void {
  w.write(0, `Name:\t${ic.metadata.name}\n`);
  printLabels(w, "Labels", ic.metadata.labels);
  printAnnotations(w, "Annotations", ic.metadata.annotations);
  w.write(0, `Controller:\t${ic.spec.controller ?? ""}\n`);
  const p = ic.spec.parameters;
  if (p) {
    w.write(0, "Parameters:\n");
    if (p.apiGroup) w.write(1, `APIGroup:\t${p.apiGroup}\n`);
    w.write(1, `Kind:\t${p.kind}\n`);
    w.write(1, `Name:\t${p.name}\n`);
  }
}

const selectorText = (s: LabelSelector) => formatLabelSelector(s);

function printRules(
  w: DescribeWriter,
  rules: readonly { ports?: NetworkPolicyPort[]; peers?: NetworkPolicyPeer[] }[],
  dir: "From" | "To",
): void {
  const indent = "    ";
  if (rules.length === 0) {
    const what = dir === "From" ? "ingress" : "egress";
    return w.write(0, `${indent}<none> (Selected pods are isolated for ${what} connectivity)\n`);
  }
  rules.forEach((rule, i) => {
    if (!rule.ports?.length) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    for (const port of rule.ports ?? []) {
      const proto = port.protocol ?? "TCP";
      w.write(0, port.endPort === undefined ? `${indent}To Port: ${port.port ?? ""}/${proto}\n` : `${indent}To Port Range: ${port.port ?? ""}-${port.endPort}/${proto}\n`);
    }
    if (!rule.peers?.length) {
      w.write(0, `${indent}${dir}: <any> (traffic not restricted by ${dir === "From" ? "source" : "destination"})\n`);
    }
    for (const peer of rule.peers ?? []) {
      w.write(0, `${indent}${dir}:\n`);
      if (peer.podSelector && peer.namespaceSelector) {
        w.write(1, `${indent}NamespaceSelector: ${selectorText(peer.namespaceSelector)}\n`);
        w.write(1, `${indent}PodSelector: ${selectorText(peer.podSelector)}\n`);
      } else if (peer.podSelector) w.write(1, `${indent}PodSelector: ${selectorText(peer.podSelector)}\n`);
      else if (peer.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${selectorText(peer.namespaceSelector)}\n`);
      else if (peer.ipBlock) {
        w.write(1, `${indent}IPBlock:\n`);
        w.write(2, `${indent}CIDR: ${peer.ipBlock.cidr}\n`);
        w.write(2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(", ")}\n`);
      }
    }
    if (i !== rules.length - 1) w.write(0, `${indent}----------\n`);
  });
}

/** `describeNetworkPolicy`. */
export function describeNetworkPolicy(w: DescribeWriter, np: Stored<NetworkPolicy>): void {
  const spec = np.spec;
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace ?? ""}\n`);
  w.write(0, `Created on:\t${goTimeString(np.metadata.creationTimestamp)}\n`);
  printLabels(w, "Labels", np.metadata.labels);
  printAnnotations(w, "Annotations", np.metadata.annotations);
  w.write(0, "Spec:\n");
  w.write(1, "PodSelector: ");
  const ps = spec.podSelector ?? {};
  if (!Object.keys(ps.matchLabels ?? {}).length && !ps.matchExpressions?.length) {
    w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n");
  } else w.write(2, `${selectorText(ps)}\n`);
  const types = spec.policyTypes ?? [];
  if (types.includes("Ingress")) {
    w.write(1, "Allowing ingress traffic:\n");
    printRules(w, (spec.ingress ?? []).map((r) => ({ ports: r.ports, peers: r.from })), "From");
  } else w.write(1, "Not affecting ingress traffic\n");
  if (types.includes("Egress")) {
    w.write(1, "Allowing egress traffic:\n");
    printRules(w, (spec.egress ?? []).map((r) => ({ ports: r.ports, peers: r.to })), "To");
  } else w.write(1, "Not affecting egress traffic\n");
  w.write(1, `Policy Types: ${types.length ? types.join(", ") : "<none>"}\n`);
}
