// Ingress figures for `npm run bench`: one routing decision of ingress-nginx's configuration
// (server by Host, location by path as nginx picks it) with 500 Ingress rules — 100 hosts of 5
// paths, Prefix and Exact mixed, plus wildcard hosts — for a request that meets the largest
// server. Issue 7's budget: ≤ 0.1 ms. Also the configuration build (what a change in the store
// costs before the next request) and the nginx.conf render, for scale.
import { performance } from "node:perf_hooks";
import type { Ingress, IngressClass, KubeObject, StoreReader, Stored } from "../lib/engine/api";
import { ServerIndex, buildModel, renderNginxConf, route } from "../lib/engine/net/ingress";
import type { Figure } from "./fixtures";

const HOSTS = 100;
const PATHS = 5;

function objects(): KubeObject[] {
  const out: KubeObject[] = [{ apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } } as IngressClass];
  for (let h = 0; h < HOSTS; h++) {
    const host = h % 10 === 9 ? `*.team-${h}.example.com` : `app-${h}.example.com`;
    const paths = Array.from({ length: PATHS }, (_, p) => ({ path: `/api/v${p}/items`, pathType: p % 2 ? "Exact" : "Prefix", backend: { service: { name: `svc-${h}-${p}`, port: { number: 80 } } } }));
    out.push({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: `ing-${h}`, namespace: "default", creationTimestamp: `2026-01-12T09:${String(Math.floor(h / 60)).padStart(2, "0")}:${String(h % 60).padStart(2, "0")}Z` }, spec: { ingressClassName: "nginx", rules: [{ host, http: { paths } }] } } as Ingress);
  }
  return out;
}

function reader(all: KubeObject[]): StoreReader {
  const stored = all as Stored[];
  return {
    find: (kind, namespace, name) => stored.find((o) => o.kind === kind && o.metadata.name === name && (!namespace || o.metadata.namespace === namespace)),
    list: (kind) => stored.filter((o) => o.kind === kind),
  };
}

function median(fn: () => void, runs: number, warmup: number, batch = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) fn();
    times.push((performance.now() - t0) / batch);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function ingressFigures(): Figure[] {
  const store = reader(objects());
  const model = buildModel(store);
  const index = new ServerIndex(model);
  const rules = model.ingresses.length * PATHS;
  const requests = ["app-57.example.com|/api/v4/items/42", "app-58.example.com|/api/v1/items", "x.team-39.example.com|/api/v2/items/7", "unknown.example.com|/"];
  let i = 0;
  const routeMs = median(() => {
    const [host, path] = requests[i++ % requests.length].split("|");
    route(index, host, path);
  }, 31, 200, 1_000);
  return [
    { name: `ingress route decision (${rules} rules, ${model.servers.length} servers)`, ms: routeMs, budgetMs: 0.1, note: "Host → server, then nginx's location choice" },
    { name: `ingress configuration build (${rules} rules)`, ms: median(() => new ServerIndex(buildModel(store)), 15, 3), note: "after any store change, before the next request" },
    { name: `ingress nginx.conf render (${rules} rules)`, ms: median(() => renderNginxConf(model), 15, 3), note: "`cat /etc/nginx/nginx.conf` in the controller pod" },
  ];
}
