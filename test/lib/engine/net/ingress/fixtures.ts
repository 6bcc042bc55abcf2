// Objects for the ingress unit tests: a store reader over plain arrays, and Ingress builders.
import type { Ingress, IngressClass, KubeObject, StoreReader, Stored } from "@/lib/engine/api";
import { ServerIndex, buildModel, route, type IngressModel } from "@/lib/engine/net/ingress";

export type Path = { path: string; pathType: "Exact" | "Prefix" | "ImplementationSpecific"; service: string };

let created = 0;

/** An Ingress of class nginx (created one second after the previous one). */
export function ingress(name: string, rules: { host?: string; paths: Path[] }[], extra: { annotations?: Record<string, string>; className?: string | null; defaultBackend?: string; namespace?: string } = {}): Stored<Ingress> {
  created++;
  const spec: Ingress["spec"] = {
    rules: rules.map((r) => ({ host: r.host, http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: { service: { name: p.service, port: { number: 80 } } } })) } })),
  };
  if (extra.className !== null) spec.ingressClassName = extra.className ?? "nginx";
  if (extra.defaultBackend) spec.defaultBackend = { service: { name: extra.defaultBackend, port: { number: 80 } } };
  const ts = new Date(Date.UTC(2026, 0, 12, 9, 0, created)).toISOString().replace(/\.\d+Z$/, "Z");
  return { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name, namespace: extra.namespace ?? "default", creationTimestamp: ts, annotations: extra.annotations }, spec } as Stored<Ingress>;
}

export const NGINX_CLASS = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } } as Stored<IngressClass>;

/** A StoreReader over objects (find/list by kind and namespace). */
export function reader(objects: readonly KubeObject[]): StoreReader & { resourceVersion: string } {
  const all = objects as Stored[];
  return {
    resourceVersion: "1",
    find: (kind, namespace, name) => all.find((o) => o.kind === kind && o.metadata.name === name && (kind === "IngressClass" || o.metadata.namespace === namespace)),
    list: (kind, options) => all.filter((o) => o.kind === kind && (!options?.namespace || o.metadata.namespace === options.namespace)),
  };
}

/** The upstream a request reaches (`default-<service>-80`), or "default" for the controller's 404. */
export function backendFor(model: IngressModel, host: string, path: string): string {
  const r = route(new ServerIndex(model), host, path);
  return r.location.upstream === "upstream-default-backend" ? "default" : r.location.upstream.replace(/^default-/, "").replace(/-80$/, "");
}

export function modelOf(...objects: KubeObject[]): IngressModel {
  return buildModel(reader([NGINX_CLASS, ...objects]));
}
