/**
 * `kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]`, as
 * create_ingress.go builds it: one rule per host (paths of the same host gathered), `Exact`
 * paths unless they end in `*` (then `Prefix`), numeric or named service ports, TLS entries per
 * secret (the same host only once), `--class`, `--default-backend`, `--annotation`.
 *
 * @example
 * await sh.run('kubectl create ingress web --class=nginx --rule="web.example.com/*=web:80"'); // ingress.networking.k8s.io/web created
 */
import { KubectlError } from "../../errors";
import type { KubectlArgs, KubectlContext } from "../../types";
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";

/** The rule syntax create_ingress.go accepts. */
const RULE = /^[\w*\-.]*\/[^,=\n]*=[\w-]+:[\w-]+(,tls=?[\w-]*)?$/;

/** `svc:port` as an IngressBackend (`intstr.Parse`: a number, else a port name). */
function backend(service: string) {
  const [name, port] = service.split(":");
  return { service: { name, port: /^[+-]?\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

/** `buildHTTPIngressPath`: `path*` is a Prefix path without the star. */
function httpPath(pathAndService: string) {
  const [rawPath, service] = pathAndService.split("=");
  let path = `/${rawPath}`;
  let pathType = "Exact";
  if (path.endsWith("*")) {
    pathType = "Prefix";
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backend(service) };
}

/** `buildTLSRules`: one entry per secret, each host once. */
function tlsRules(rules: readonly string[]) {
  const seen = new Set<string>();
  const out: { hosts?: string[]; secretName?: string }[] = [];
  for (const rule of rules) {
    const parts = rule.split(",");
    if (parts.length !== 2) continue;
    const host = rule.split("/")[0];
    const secret = parts[1].split("=")[1] ?? "";
    if (seen.has(host)) continue;
    seen.add(host);
    const same = out.find((t) => (t.secretName ?? "") === secret);
    if (same) {
      same.hosts = [...(same.hosts ?? []), host];
      continue;
    }
    const entry = { ...(host ? { hosts: [host] } : {}), ...(secret ? { secretName: secret } : {}) };
    if (entry.hosts || entry.secretName) out.push(entry);
  }
  return out;
}

/** `buildIngressRules`: paths of one host gathered under one rule. */
function ingressRules(rules: readonly string[]) {
  const out: { host?: string; http: { paths: ReturnType<typeof httpPath>[] } }[] = [];
  for (const rule of rules) {
    const withoutTLS = rule.split(",")[0];
    const slash = withoutTLS.indexOf("/");
    const host = withoutTLS.slice(0, slash);
    const path = httpPath(withoutTLS.slice(slash + 1));
    const same = out.find((r) => (r.host ?? "") === host);
    if (same) same.http.paths.push(path);
    else out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

function build(name: string, args: KubectlArgs, ctx: KubectlContext) {
  const rules = args.strings("rule");
  const annotations = args.strings("annotation");
  const defaultBackend = args.string("default-backend") ?? "";
  if (defaultBackend === "" && rules.length === 0) {
    throw new KubectlError(
      "not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)",
    );
  }
  for (const rule of rules) {
    if (!RULE.test(rule)) throw new KubectlError(`rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  }
  for (const a of annotations) if (!a.includes("=")) throw new KubectlError(`annotation ${a} is invalid and should be in format key=[value]`);
  if (defaultBackend !== "" && defaultBackend.split(":").length !== 2) throw new KubectlError("default-backend should be in format servicename:serviceport");
  // A Go map: JSON writes its keys sorted.
  const annotationMap = Object.fromEntries(
    annotations.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const tls = tlsRules(rules);
  const httpRules = ingressRules(rules);
  const klass = args.string("class") ?? "";
  return {
    kind: "Ingress",
    apiVersion: "networking.k8s.io/v1",
    metadata: { ...typedMeta(name, ctx), ...(annotations.length > 0 ? { annotations: annotationMap } : {}) },
    spec: {
      ...(klass ? { ingressClassName: klass } : {}),
      ...(defaultBackend ? { defaultBackend: backend(defaultBackend) } : {}),
      ...(tls.length > 0 ? { tls } : {}),
      ...(httpRules.length > 0 ? { rules: httpRules } : {}),
    },
    status: { loadBalancer: {} },
  };
}

/** `kubectl create ingress`. */
export const createIngress = generatorVerb({
  name: "ingress",
  aliases: ["ing"],
  short: "Create an ingress with the specified name",
  long: "Create an ingress with the specified name.",
  examples:
    "  # Create a single ingress called 'simple' that directs requests to foo.com/bar to svc\n  # svc1:8080 with a TLS secret \"my-cert\"\n  kubectl create ingress simple --rule=\"foo.com/bar=svc1:8080,tls=my-cert\"\n  \n  # Create a catch all ingress of \"/path\" pointing to service svc:port and Ingress Class as \"otheringress\"\n  kubectl create ingress catch-all --class=otheringress --rule=\"/path=svc:port\"\n  \n  # Create an ingress with two annotations: ingress.annotation1 and ingress.annotations2\n  kubectl create ingress annotated --class=default --rule=\"foo.com/bar=svc:port\" \\\n  --annotation ingress.annotation1=foo \\\n  --annotation ingress.annotation2=bla\n  \n  # Create an ingress with the same host and multiple paths\n  kubectl create ingress multipath --class=default \\\n  --rule=\"foo.com/=svc:port\" \\\n  --rule=\"foo.com/admin/=svcadmin:portadmin\"\n  \n  # Create an ingress with multiple hosts and the pathType as Prefix\n  kubectl create ingress ingress1 --class=default \\\n  --rule=\"foo.com/path*=svc:8080\" \\\n  --rule=\"bar.com/admin*=svc2:http\"\n  \n  # Create an ingress with TLS enabled using the default ingress certificate and different path types\n  kubectl create ingress ingtls --class=default \\\n  --rule=\"foo.com/=svc:https,tls\" \\\n  --rule=\"foo.com/path/subpath*=othersvc:8080\"\n  \n  # Create an ingress with TLS enabled using a specific secret and pathType as Prefix\n  kubectl create ingress ingsecret --class=default \\\n  --rule=\"foo.com/*=svc:8080,tls=secret1\"\n  \n  # Create an ingress with a default backend\n  kubectl create ingress ingdefault --class=default \\\n  --default-backend=defaultsvc:http \\\n  --rule=\"foo.com/*=svc:8080,tls=secret1\"",
  usage: "kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]",
  flags: [
    ...GENERATOR_FLAGS,
    { name: "annotation", type: "stringArray", usage: "Annotation to insert in the ingress object, in the format annotation=value" },
    { name: "class", type: "string", usage: "Ingress Class to be used" },
    { name: "default-backend", type: "string", usage: "Default service for backend, in format of svcname:port" },
    {
      name: "rule",
      type: "stringArray",
      usage: "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.",
    },
  ],
  post: { what: "ingress", path: (ns) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses` },
  build,
});
