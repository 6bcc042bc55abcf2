/**
 * The Service kind: `SetDefaults_Service` (ClusterIP type, sessionAffinity None, TCP,
 * targetPort = port, traffic policies), `ValidateService`/`ValidateServiceUpdate`, allocation
 * (see `service-alloc.ts`), selectable fields and the `kubectl get svc` table.
 *
 * @example
 * store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web" },
 *   spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, nodePort: 40000 }] } });
 * // throws: Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is
 * // not in the valid range. The range of valid ports is 30000-32767
 */
import type { Service } from "../types/core";
import { age, formatLabels, loadBalancerText } from "../tables/common";
import { col } from "../tables/types";
import {
  type FieldError, duplicate, fieldPath, forbidden, goRaw, goQuote, goStringSlice, invalid, notSupported, required,
} from "../validation/field";
import { nameIsDNS1035Label, validateLabels } from "../validation/meta";
import { invalidIPMessage, isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidPortNum } from "../validation/strings";
import { validatePortNumOrName } from "./podspec-validation";
import { allocateServiceCreate, allocateServiceUpdate, releaseService, validateClusterIPFields } from "./service-alloc";
import { defineKind } from "./strategy";

const externallyAccessible = (s: Service) =>
  s.spec.type === "LoadBalancer" || s.spec.type === "NodePort" || (s.spec.type === "ClusterIP" && (s.spec.externalIPs ?? []).length > 0);

/** `SetDefaults_Service`. */
function defaultService(svc: Service): void {
  const spec = svc.spec;
  if (!spec.sessionAffinity) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP" && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = "ClusterIP";
  for (const p of spec.ports ?? []) {
    if (!p.protocol) p.protocol = "TCP";
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = "Cluster";
  if (spec.internalTrafficPolicy === undefined && ["NodePort", "LoadBalancer", "ClusterIP"].includes(spec.type)) {
    spec.internalTrafficPolicy = "Cluster";
  }
  if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
}

/** `%#v` of the internal `core.ServicePort` key used in duplicate-port errors. */
function goServicePort(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validatePorts(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const ports = svc.spec.ports ?? [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = fieldPath("spec", "ports").index(i);
    if (ports.length > 1 && !p.name) errs.push(required(pp.child("name")));
    else if (p.name) {
      for (const m of isDNS1123Label(p.name)) errs.push(invalid(pp.child("name"), p.name, m));
      if (names.has(p.name)) errs.push(duplicate(pp.child("name"), p.name));
      names.add(p.name);
    }
    for (const m of isValidPortNum(p.port)) errs.push(invalid(pp.child("port"), p.port ?? 0, m));
    if (!p.protocol) errs.push(required(pp.child("protocol")));
    else if (!["SCTP", "TCP", "UDP"].includes(p.protocol)) errs.push(notSupported(pp.child("protocol"), p.protocol, ["SCTP", "TCP", "UDP"]));
    errs.push(...validatePortNumOrName(p.targetPort, pp.child("targetPort")));
    if (p.appProtocol !== undefined) for (const m of isQualifiedName(p.appProtocol)) errs.push(invalid(pp.child("appProtocol"), p.appProtocol, m));
  });
  return errs;
}

/** `ValidateService` minus ObjectMeta. */
function validateServiceSpec(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const headless = (spec.clusterIPs ?? [])[0] === "None" || spec.clusterIP === "None";
  if ((spec.ports ?? []).length === 0 && !headless && spec.type !== "ExternalName") errs.push(required(fieldPath("spec", "ports")));
  if ((spec.type === "LoadBalancer" || spec.type === "NodePort") && headless) {
    errs.push(invalid(fieldPath("spec", "clusterIPs").index(0), "None", `may not be set to 'None' for ${spec.type} services`));
  }
  if (spec.type === "ExternalName") {
    if ((spec.clusterIPs ?? []).length > 0) errs.push(forbidden(fieldPath("spec", "clusterIPs"), "may not be set for ExternalName services"));
    if ((spec.ipFamilies ?? []).length > 0) errs.push(forbidden(fieldPath("spec", "ipFamilies"), "may not be set for ExternalName services"));
    if (spec.ipFamilyPolicy !== undefined) errs.push(forbidden(fieldPath("spec", "ipFamilyPolicy"), "may not be set for ExternalName services"));
    const cname = (spec.externalName ?? "").replace(/\.$/, "");
    if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(invalid(fieldPath("spec", "externalName"), cname, m));
    else errs.push(required(fieldPath("spec", "externalName")));
  }
  errs.push(...validatePorts(svc));
  if (spec.selector !== undefined) errs.push(...validateLabels(spec.selector, fieldPath("spec", "selector")));
  if (!spec.sessionAffinity) errs.push(required(fieldPath("spec", "sessionAffinity")));
  else if (!["ClientIP", "None"].includes(spec.sessionAffinity)) {
    errs.push(notSupported(fieldPath("spec", "sessionAffinity"), spec.sessionAffinity, ["ClientIP", "None"]));
  }
  if (spec.sessionAffinity === "None" && spec.sessionAffinityConfig) {
    errs.push(forbidden(fieldPath("spec", "sessionAffinityConfig"), "must not be set when session affinity is None"));
  }
  if (spec.type !== "ExternalName") errs.push(...validateClusterIPFields(svc));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip)) errs.push(invalid(fieldPath("spec", "externalIPs").index(i), ip, invalidIPMessage));
  });
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (!spec.type) errs.push(required(fieldPath("spec", "type")));
  else if (!types.includes(spec.type)) errs.push(notSupported(fieldPath("spec", "type"), spec.type, types));
  const ports = spec.ports ?? [];
  if (spec.type === "ClusterIP") {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(fieldPath("spec", "ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(fieldPath("spec", "ports").index(i).child("nodePort"), p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) errs.push(duplicate(fieldPath("spec", "ports").index(i), goRaw(goServicePort(p.protocol ?? "", p.port))));
    seen.add(key);
  });
  if (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts === undefined) errs.push(required(fieldPath("allocateLoadBalancerNodePorts")));
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== "LoadBalancer") {
    errs.push(forbidden(fieldPath("spec", "allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
  }
  const etp = spec.externalTrafficPolicy;
  if (!externallyAccessible(svc)) {
    if (etp) errs.push(invalid(fieldPath("spec", "externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
  } else if (!etp) errs.push(required(fieldPath("spec", "externalTrafficPolicy")));
  else if (etp !== "Cluster" && etp !== "Local") errs.push(notSupported(fieldPath("spec", "externalTrafficPolicy"), etp, ["Cluster", "Local"]));
  const itp = spec.internalTrafficPolicy;
  if (itp === undefined && ["NodePort", "LoadBalancer", "ClusterIP"].includes(spec.type ?? "")) {
    errs.push(required(fieldPath("spec", "internalTrafficPolicy")));
  } else if (itp !== undefined && itp !== "Cluster" && itp !== "Local") {
    errs.push(notSupported(fieldPath("spec", "internalTrafficPolicy"), itp, ["Cluster", "Local"]));
  }
  return errs;
}

/** `validateUpgradeDowngradeClusterIPs`: an allocated ClusterIP never changes. */
function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  if (svc.spec.type === "ExternalName" || old.spec.type === "ExternalName") return [];
  const next = svc.spec.clusterIPs ?? [];
  const prev = old.spec.clusterIPs ?? [];
  if (prev[0] === "None" && next[0] === "None") return [];
  if (next.length === 0 && prev.length > 0) {
    return [invalid(fieldPath("spec", "clusterIPs").index(0), goStringSlice(svc.spec.clusterIPs), "primary clusterIP can not be unset")];
  }
  return prev.flatMap((ip, i) =>
    next[i] !== undefined && next[i] !== ip ? [invalid(fieldPath("spec", "clusterIPs").index(i), goStringSlice(next), "may not change once set")] : [],
  );
}

function externalIP(svc: Service): string {
  const ext = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case "ClusterIP":
    case "NodePort":
      return ext.length > 0 ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerText(svc.status?.loadBalancer?.ingress);
      if (ext.length > 0) return [...(lb ? lb.split(",") : []), ...ext].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return svc.spec.externalName ?? "";
    default:
      return "<unknown>";
  }
}

/** The Service registry strategy, allocation included. */
export const serviceStrategy = defineKind<Service>({
  kind: "Service",
  nameValidator: nameIsDNS1035Label,
  defaults: defaultService,
  prepareForCreate(svc, ctx) {
    svc.status = { loadBalancer: {} };
    allocateServiceCreate(svc, ctx);
  },
  prepareForUpdate: allocateServiceUpdate,
  validateSpec: validateServiceSpec,
  validateUpdate: validateServiceUpdate,
  statusSubresource: true,
  onDeleted: releaseService,
  customFieldConversion: true,
  fieldLabels: ["spec.clusterIP", "spec.type"],
  selectableFields: (svc) => ({ "spec.clusterIP": svc.spec.clusterIP ?? "", "spec.type": svc.spec.type ?? "" }),
  table: {
    columns: [col("Name"), col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), col("Age"), col("Selector", "string", 1)],
    cells: (svc, now) => {
      const ports = (svc.spec.ports ?? [])
        .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
        .join(",");
      return [
        svc.metadata.name ?? "",
        svc.spec.type ?? "",
        svc.spec.clusterIPs?.[0] ?? "<none>",
        externalIP(svc),
        ports || "<none>",
        age(svc.metadata.creationTimestamp, now),
        formatLabels(svc.spec.selector),
      ];
    },
  },
});
