/**
 * `kubectl expose`: a Service for a Deployment, ReplicaSet, ReplicationController, Pod or
 * Service, built as expose.go's `createService` does: selector and labels copied from the
 * object, ports (and their protocols) read from its containers unless `--port` is given,
 * `--target-port`, `--name`, `--type`, `--protocol`, `--cluster-ip`, `--external-ip`,
 * `--load-balancer-ip`, `--session-affinity`. `kubectl run --expose` uses the same builder.
 *
 * @example
 * await sh.run("kubectl expose deployment web --port=80 --target-port=8080"); // service/web exposed
 */
import type { KubeObject, PodSpec, Stored } from "../../api";
import { completeResourceOperands } from "../complete";
import { errorsText, KubectlError, usageError } from "../errors";
import { withLastApplied } from "../last-applied";
import { dryRunStrategy, outputFormat, printWritten, runVerb } from "../output";
import { fetchResources, fileTargets, parseResourceArgs } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { typedMeta } from "./create/generator";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, saveConfigFlag } from "../flags";

/** What the service is built from (expose's options after introspection). */
export interface ServiceParams {
  name: string;
  /** `k=v,k2=v2`, as kubectl carries selectors and labels between its steps. */
  selector: string;
  labels?: string;
  /** One port or several (`80,443`). */
  ports: readonly string[];
  /** Protocols per port read from the object (`53` → `["UDP", "TCP"]`). */
  protocols?: ReadonlyMap<string, readonly string[]>;
  protocol?: string;
  targetPort?: string;
  type?: string;
  clusterIP?: string;
  externalIP?: string;
  loadBalancerIP?: string;
  sessionAffinity?: string;
}

/** `parseLabels` of the expose generator: `k=v` pairs separated by commas. */
function parsePairs(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(",")) {
    const parts = pair.split("=");
    if (parts.length !== 2) throw new KubectlError(`unexpected label spec: ${pair}`);
    if (parts[0] === "") throw new KubectlError("unexpected empty label key");
    out[parts[0]] = parts[1];
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Go's `strconv.Atoi` with its error text. */
function atoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new KubectlError(`strconv.Atoi: parsing "${text}": invalid syntax`);
  return Number(text);
}

/** expose.go's `createService`: the Service in Go struct field order. */
export function buildService(p: ServiceParams, meta: KubeObject["metadata"]): KubeObject {
  if (p.selector === "") throw new KubectlError("selector must be specified");
  const selector = parsePairs(p.selector);
  const labels = p.labels ? parsePairs(p.labels) : undefined;
  const ports: Record<string, unknown>[] = [];
  p.ports.forEach((portText, i) => {
    const port = atoi(portText);
    const name = p.ports.length > 1 ? `port-${i + 1}` : undefined;
    const found = p.protocol ? undefined : p.protocols?.get(portText);
    if (found && found.length > 1) {
      for (const protocol of found) ports.push({ name: `port-${i + 1}-${protocol.toLowerCase()}`, protocol, port });
      return;
    }
    ports.push({ ...(name ? { name } : {}), protocol: p.protocol || found?.[0] || "TCP", port });
  });
  const target = p.targetPort ? (/^[+-]?\d+$/.test(p.targetPort) ? Number(p.targetPort) : p.targetPort) : undefined;
  for (const port of ports) port.targetPort = target ?? port.port;
  if (p.sessionAffinity && p.sessionAffinity !== "None" && p.sessionAffinity !== "ClientIP") {
    throw new KubectlError(`unknown session affinity: ${p.sessionAffinity}`);
  }
  return {
    kind: "Service",
    apiVersion: "v1",
    metadata: { ...meta, ...(labels ? { labels } : {}) },
    spec: {
      ...(ports.length > 0 ? { ports } : {}),
      selector,
      ...(p.clusterIP ? { clusterIP: p.clusterIP } : {}),
      ...(p.type ? { type: p.type } : {}),
      ...(p.externalIP ? { externalIPs: [p.externalIP] } : {}),
      ...(p.sessionAffinity ? { sessionAffinity: p.sessionAffinity } : {}),
      ...(p.type === "LoadBalancer" && p.loadBalancerIP ? { loadBalancerIP: p.loadBalancerIP } : {}),
    },
    status: { loadBalancer: {} },
  };
}

const EXPOSABLE = ["Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet"];

/** The pod spec an object runs (its template's, or its own). */
function podSpecOf(obj: Stored): PodSpec | undefined {
  const spec = obj.spec as { template?: { spec?: PodSpec } } | undefined;
  return obj.kind === "Pod" ? (obj.spec as PodSpec) : spec?.template?.spec;
}

const joinPairs = (map: Record<string, string> | undefined) =>
  Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${map![k]}`)
    .join(",");

/** `MapBasedSelectorForObject`. */
function selectorFor(obj: Stored): string {
  const spec = obj.spec as Record<string, unknown> | undefined;
  switch (obj.kind) {
    case "Pod":
      if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) throw new Error("the pod has no labels and cannot be exposed");
      return joinPairs(obj.metadata.labels);
    case "Service":
      if (!spec?.selector) throw new Error("the service has no pod selector set");
      return joinPairs(spec.selector as Record<string, string>);
    case "ReplicationController":
      return joinPairs(spec?.selector as Record<string, string>);
    default: {
      const selector = spec?.selector as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
      if (selector?.matchExpressions?.length) throw new Error(`couldn't convert expressions - "${JSON.stringify(selector.matchExpressions)}" to map-based selector format`);
      return joinPairs(selector?.matchLabels);
    }
  }
}

/** `PortsForObject` (each port once, in order) and `ProtocolsForObject`. */
function portsFor(obj: Stored): { ports: string[]; protocols: Map<string, string[]> } {
  const ports: string[] = [];
  const protocols = new Map<string, string[]>();
  const add = (port: number, protocol = "TCP") => {
    const key = String(port);
    if (!ports.includes(key)) ports.push(key);
    protocols.set(key, [...(protocols.get(key) ?? []), protocol]);
  };
  if (obj.kind === "Service") {
    for (const p of (obj.spec as { ports?: { port: number; protocol?: string }[] }).ports ?? []) add(p.port, p.protocol);
  } else {
    for (const c of podSpecOf(obj)?.containers ?? []) for (const p of c.ports ?? []) add(p.containerPort, p.protocol);
  }
  return { ports, protocols };
}

/** The service `kubectl expose` builds for `obj`. */
function serviceFor(obj: Stored, args: KubectlArgs, ctx: KubectlContext): KubeObject {
  if (!EXPOSABLE.includes(obj.kind)) {
    const group = obj.apiVersion.includes("/") ? `.${obj.apiVersion.split("/")[0]}` : "";
    throw new KubectlError(`cannot expose a ${obj.kind}${group}`);
  }
  let selector = args.string("selector") ?? "";
  if (selector === "") {
    try {
      selector = selectorFor(obj);
    } catch (e) {
      throw usageError("kubectl expose", `couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
    }
  }
  const headless = args.string("cluster-ip") === "None";
  const found = portsFor(obj);
  const port = args.string("port") ?? "";
  const ports = port !== "" ? [port] : found.ports;
  if (ports.length === 0 && !headless) throw usageError("kubectl expose", "couldn't find port via --port flag or introspection");
  const name = args.string("name") || obj.metadata.name.slice(0, 63);
  const params: ServiceParams = {
    name,
    selector,
    labels: args.string("labels") || joinPairs(obj.metadata.labels),
    ports,
    protocols: found.protocols,
    protocol: args.string("protocol") ?? "",
    targetPort: args.string("target-port") ?? "",
    type: args.string("type") ?? "",
    clusterIP: args.string("cluster-ip") ?? "",
    externalIP: args.string("external-ip") ?? "",
    loadBalancerIP: args.string("load-balancer-ip") ?? "",
    sessionAffinity: args.string("session-affinity") ?? "",
  };
  return buildService(params, typedMeta(name, ctx));
}

/** The objects to expose, from `-f` or the operands. */
function targets(ctx: KubectlContext, args: KubectlArgs): { objects: Stored[]; errors: unknown[] } {
  if (args.strings("filename").length > 0) {
    const { targets: found, errors } = fileTargets(ctx, args);
    return { objects: found.flatMap((t) => (t.live ? [t.live] : [])), errors };
  }
  if (args.operands.length === 0) {
    throw new KubectlError(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const { groups, errors } = fetchResources(ctx, parseResourceArgs(ctx, args.operands), {});
  return { objects: groups.flatMap((g) => g.objects), errors };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const dryRun = dryRunStrategy(ctx, args, out);
    outputFormat(ctx, args, "generic");
    if (args.string("overrides")) throw new KubectlError("--overrides is not supported here");
    const { objects, errors } = targets(ctx, args);
    if (errors.length > 0) {
      out.err(errorsText(errors));
      return 1;
    }
    for (const obj of objects) {
      let service = serviceFor(obj, args, ctx);
      if (args.bool("save-config")) service = withLastApplied(service);
      const created = dryRun === "client" ? service : ctx.store.create(service, { namespace: ctx.namespace, dryRun: dryRun === "server" });
      out.out(printWritten(ctx, args, [created], "exposed", dryRun, dryRun === "client"));
    }
    return 0;
  });
}

/** `kubectl expose`. */
export const exposeVerb: KubectlVerb = {
  name: "expose",
  short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
  long: "Expose a resource as a new Kubernetes service.\n\n Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.\n\n Possible resources include (case insensitive):\n\n pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)",
  examples: "  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose rc nginx --port=80 --target-port=8000\n  \n  # Create a service for a replication controller identified by type and name specified in \"nginx-controller.yaml\", which serves on port 80 and connects to the containers on port 8000\n  kubectl expose -f nginx-controller.yaml --port=80 --target-port=8000\n  \n  # Create a service for a pod valid-pod, which serves on port 444 with the name \"frontend\"\n  kubectl expose pod valid-pod --port=444 --name=frontend\n  \n  # Create a second service based on the above service, exposing the container port 8443 as port 443 with the name \"nginx-https\"\n  kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https\n  \n  # Create a service for a replicated streaming application on port 4100 balancing UDP traffic and named 'video-stream'.\n  kubectl expose rc streamer --port=4100 --protocol=UDP --name=video-stream\n  \n  # Create a service for a replicated nginx using replica set, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose rs nginx --port=80 --target-port=8000\n  \n  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose deployment nginx --port=80 --target-port=8000",
  usage: "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
  flags: [
    ...printFlags(),
    { name: "cluster-ip", type: "string", usage: "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service." },
    dryRunFlag,
    { name: "external-ip", type: "string", usage: "Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP." },
    fieldManagerFlag("kubectl-expose"),
    filenameFlag("Filename, directory, or URL to files identifying the resource to expose a service"),
    kustomizeFlag(),
    { name: "labels", short: "l", type: "string", usage: "Labels to apply to the service created by this call." },
    { name: "load-balancer-ip", type: "string", usage: "IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific)." },
    { name: "name", type: "string", usage: "The name for the newly created object." },
    { name: "override-type", type: "string", default: "merge", usage: "The method used to override the generated object: json, merge, or strategic." },
    { name: "overrides", type: "string", usage: "An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field." },
    { name: "port", type: "string", usage: "The port that the service should serve on. Copied from the resource being exposed, if unspecified" },
    { name: "protocol", type: "string", usage: "The network protocol for the service to be created. Default is 'TCP'." },
    recursiveFlag,
    saveConfigFlag,
    { name: "selector", type: "string", usage: "A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)" },
    { name: "session-affinity", type: "string", usage: "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'" },
    { name: "target-port", type: "string", usage: "Name or number for the port on the container that the service should direct traffic to. Optional." },
    { name: "type", type: "string", usage: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'." },
  ],
  run,
  complete: completeResourceOperands,
};
