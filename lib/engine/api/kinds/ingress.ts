/**
 * Ingress and IngressClass (`networking.k8s.io/v1`): the default-class admission,
 * `ValidateIngressSpec` (rules, paths, backends, TLS hosts), the controller name of an
 * IngressClass, generation tracking and both tables.
 *
 * @example
 * // a path without pathType:
 * // spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified
 */
import type { Ingress, IngressBackend, IngressClass } from "../types/other";
import { age, loadBalancerText } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, FieldPath, fieldPath, invalid, notSupported, required } from "../validation/field";
import { nameIsDNS1035Label, nameIsDNSSubdomain, validateImmutable } from "../validation/meta";
import { isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain } from "../validation/strings";
import { defineKind } from "./strategy";

const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

function validateBackend(b: IngressBackend, path: FieldPath): FieldError[] {
  if (b.resource && b.service) return [invalid(path, "", "cannot set both resource and service backends")];
  if (b.resource) {
    const errs: FieldError[] = [];
    if (!b.resource.kind) errs.push(required(path.child("resource", "kind")));
    if (!b.resource.name) errs.push(required(path.child("resource", "name")));
    return errs;
  }
  if (!b.service) return [invalid(path, "", "resource or service backend is required")];
  const errs: FieldError[] = [];
  const svc = b.service;
  if (!svc.name) errs.push(required(path.child("service", "name")));
  else for (const m of nameIsDNS1035Label(svc.name, false)) errs.push(invalid(path.child("service", "name"), svc.name, m));
  const name = svc.port?.name ?? "";
  const num = svc.port?.number ?? 0;
  if (name && num) errs.push(invalid(path, "", "cannot set both port name & port number"));
  else if (name) for (const m of isValidPortName(name)) errs.push(invalid(path.child("service", "port", "name"), name, m));
  else if (num) for (const m of isValidPortNum(num)) errs.push(invalid(path.child("service", "port", "number"), num, m));
  else errs.push(required(path, "port name or number is required"));
  return errs;
}

function validateHost(host: string, path: FieldPath): FieldError[] {
  const msgs = host.includes("*") ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((m) => invalid(path, host, m));
}

/** `ValidateIngressSpec`. */
function validateIngressSpec(ing: Ingress): FieldError[] {
  const spec = ing.spec;
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) errs.push(invalid(fieldPath("spec"), { go: "[]networking.IngressRule(nil)" }, "either `defaultBackend` or `rules` must be specified"));
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, fieldPath("spec", "defaultBackend")));
  rules.forEach((rule, i) => {
    const rp = fieldPath("spec", "rules").index(i);
    if (rule.host) {
      if (isIP(rule.host)) errs.push(invalid(rp.child("host"), rule.host, "must be a DNS name, not an IP address"));
      errs.push(...validateHost(rule.host, rp.child("host")));
    }
    if (!rule.http) return;
    const hp = rp.child("http");
    if ((rule.http.paths ?? []).length === 0) errs.push(required(hp.child("paths")));
    (rule.http.paths ?? []).forEach((p, j) => {
      const pp = hp.child("paths").index(j);
      if (!p.pathType) {
        errs.push(required(pp.child("pathType"), "pathType must be specified"));
        return;
      }
      const path = p.path ?? "";
      if (p.pathType === "Exact" || p.pathType === "Prefix") {
        if (!path.startsWith("/")) errs.push(invalid(pp.child("path"), path, "must be an absolute path"));
        for (const seq of ["//", "/./", "/../", "%2f", "%2F"]) if (path.includes(seq)) errs.push(invalid(pp.child("path"), path, `must not contain '${seq}'`));
        for (const suf of ["/..", "/."]) if (path.endsWith(suf)) errs.push(invalid(pp.child("path"), path, `cannot end with '${suf}'`));
      } else if (p.pathType === "ImplementationSpecific") {
        if (path && !path.startsWith("/")) errs.push(invalid(pp.child("path"), path, "must be an absolute path"));
      } else {
        errs.push(notSupported(pp.child("pathType"), p.pathType, ["Exact", "ImplementationSpecific", "Prefix"]));
      }
      errs.push(...validateBackend(p.backend ?? {}, pp.child("backend")));
    });
  });
  (spec.tls ?? []).forEach((tls, i) => {
    const tp = fieldPath("spec", "tls").index(i);
    (tls.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, tp.child("hosts").index(j))));
    if (tls.secretName) for (const m of nameIsDNSSubdomain(tls.secretName, false)) errs.push(invalid(tp.child("secretName"), tls.secretName, m));
  });
  if (spec.ingressClassName) {
    for (const m of nameIsDNSSubdomain(spec.ingressClassName, false)) errs.push(invalid(fieldPath("spec", "ingressClassName"), spec.ingressClassName, m));
  }
  return errs;
}

function formatHosts(ing: Ingress): string {
  const rules = ing.spec.rules ?? [];
  const hosts = rules.slice(0, 3).map((r) => r.host ?? "").filter((h) => h);
  if (hosts.length === 0) return "*";
  return rules.length > 3 ? `${hosts.join(",")} + ${rules.length - 3} more...` : hosts.join(",");
}

/** The Ingress registry strategy, with DefaultIngressClass admission. */
export const ingressStrategy = defineKind<Ingress>({
  kind: "Ingress",
  nameValidator: nameIsDNSSubdomain,
  prepareForCreate(ing, ctx) {
    ing.status = {};
    // DefaultIngressClass admission: a class-less Ingress gets the cluster's default class.
    if (!ing.spec.ingressClassName && !ing.metadata.annotations?.["kubernetes.io/ingress.class"]) {
      const def = ctx.reader.list("IngressClass").find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true");
      if (def) ing.spec.ingressClassName = def.metadata.name;
    }
  },
  validateSpec: validateIngressSpec,
  generationOf: (ing) => ing.spec,
  statusSubresource: true,
  table: {
    columns: [col("Name"), col("Class"), col("Hosts"), col("Address"), col("Ports"), col("Age")],
    cells: (ing, now) => [
      ing.metadata.name ?? "",
      ing.spec.ingressClassName ?? "<none>",
      formatHosts(ing),
      loadBalancerText(ing.status?.loadBalancer?.ingress),
      (ing.spec.tls ?? []).length > 0 ? "80, 443" : "80",
      age(ing.metadata.creationTimestamp, now),
    ],
  },
});

function validateIngressClassSpec(ic: IngressClass): FieldError[] {
  const controller = ic.spec?.controller ?? "";
  const path = fieldPath("spec", "controller");
  if (!controller) return [required(path)];
  const [host, rest] = [controller.split("/")[0], controller.split("/").slice(1).join("/")];
  if (!controller.includes("/") || !host || !rest) return [invalid(path, controller, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  return isDNS1123Subdomain(host).map((m) => invalid(path, host, m));
}

/** The IngressClass registry strategy. */
export const ingressClassStrategy = defineKind<IngressClass>({
  kind: "IngressClass",
  nameValidator: nameIsDNSSubdomain,
  validateSpec: validateIngressClassSpec,
  validateUpdate: (ic, old) => validateImmutable(ic.spec?.controller, old.spec?.controller, fieldPath("spec", "controller"), ic.spec?.controller ?? ""),
  generationOf: (ic) => ic.spec,
  table: {
    columns: [col("Name"), col("Controller"), col("Parameters"), col("Age")],
    cells(ic, now) {
      const p = ic.spec?.parameters;
      const params = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ""}/${p.name}` : "<none>";
      return [ic.metadata.name ?? "", ic.spec?.controller ?? "", params, age(ic.metadata.creationTimestamp, now)];
    },
  },
});
