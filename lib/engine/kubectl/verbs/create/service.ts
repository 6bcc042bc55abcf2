/**
 * `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`, as
 * create_service.go builds them: label and selector `app=NAME`, one TCP port per `--tcp`
 * (`port[:targetPort]`, named after the spec with `:` turned into `-`), `--clusterip` (only for
 * ClusterIP; `None` for headless), `--node-port`, `--external-name`.
 *
 * @example
 * await sh.run("kubectl create service nodeport web --tcp=80:8080 --node-port=30080");
 * // service/web created
 */
import type { KubectlArgs, KubectlContext, KubectlFlag, KubectlVerb } from "../../types";
import { isDNS1123Subdomain, isValidPortName, isValidPortNum } from "../../../api/validation/strings";
import { KubectlError } from "../../errors";
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";

type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";

/** `utilsnet.ParsePort(s, true)`: strconv.ParseUint with 16 bits. */
function parsePort(text: string): number {
  if (!/^\d+$/.test(text)) throw new KubectlError(`strconv.ParseUint: parsing "${text}": invalid syntax`);
  const n = Number(text);
  if (n > 65535) throw new KubectlError(`strconv.ParseUint: parsing "${text}": value out of range`);
  return n;
}

/** `parsePorts`: `80`, `80:8080` or `80:http`. */
function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const [first, second] = spec.split(":");
  const port = parsePort(first);
  if (second === undefined) return { port, targetPort: port };
  if (!/^[+-]?\d+$/.test(second)) {
    const errs = isValidPortName(second);
    if (errs.length > 0) throw new KubectlError(errs.join(","));
    return { port, targetPort: second };
  }
  const n = Number(second);
  const errs = isValidPortNum(n);
  if (errs.length > 0) throw new KubectlError(errs.join(","));
  return { port, targetPort: n };
}

function builder(type: ServiceType) {
  return (name: string, args: KubectlArgs, ctx: KubectlContext) => {
    const tcp = args.strings("tcp");
    const clusterIP = args.string("clusterip") ?? "";
    const externalName = args.string("external-name") ?? "";
    if (clusterIP === "None" && type !== "ClusterIP") throw new KubectlError("ClusterIP=None can only be used with ClusterIP service type");
    if (clusterIP !== "None" && tcp.length === 0 && type !== "ExternalName") throw new KubectlError("at least one tcp port specifier must be provided");
    if (type === "ExternalName" && isDNS1123Subdomain(externalName).length > 0) throw new KubectlError(`invalid service external name ${externalName}`);
    const nodePort = args.int("node-port") ?? 0;
    // ServicePort's struct order: name, protocol, port, targetPort, nodePort (omitted when 0).
    const ports = tcp.map((spec) => {
      const { port, targetPort } = parsePorts(spec);
      return { name: spec.replace(/:/g, "-"), protocol: "TCP", port, targetPort, ...(nodePort !== 0 ? { nodePort } : {}) };
    });
    const labels = { app: name };
    return {
      kind: "Service",
      apiVersion: "v1",
      metadata: typedMeta(name, ctx, labels),
      spec: {
        ...(ports.length > 0 ? { ports } : {}),
        selector: { app: name },
        ...(clusterIP !== "" ? { clusterIP } : {}),
        type,
        ...(externalName !== "" ? { externalName } : {}),
      },
      status: { loadBalancer: {} },
    };
  };
}

const TCP_FLAG: KubectlFlag = { name: "tcp", type: "stringSlice", usage: "Port pairs can be specified as '<port>:<targetPort>'." };

const clusterIP = generatorVerb(
  {
    name: "clusterip",
    short: "Create a ClusterIP service",
    long: "Create a ClusterIP service with the specified name.",
    examples:
      '  # Create a new ClusterIP service named my-cs\n  kubectl create service clusterip my-cs --tcp=5678:8080\n  \n  # Create a new ClusterIP service named my-cs (in headless mode)\n  kubectl create service clusterip my-cs --clusterip="None"',
    usage: "kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
    flags: [
      ...GENERATOR_FLAGS,
      { name: "clusterip", type: "string", usage: "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)." },
      TCP_FLAG,
    ],
    post: { what: "ClusterIP service", path: (ns) => `/api/v1/namespaces/${ns}/services` },
    build: builder("ClusterIP"),
  },
  "kubectl create service",
);

const nodePort = generatorVerb(
  {
    name: "nodeport",
    short: "Create a NodePort service",
    long: "Create a NodePort service with the specified name.",
    examples: "  # Create a new NodePort service named my-ns\n  kubectl create service nodeport my-ns --tcp=5678:8080",
    usage: "kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    flags: [...GENERATOR_FLAGS, { name: "node-port", type: "int", usage: "Port used to expose the service on each node in a cluster." }, TCP_FLAG],
    post: { what: "NodePort service", path: (ns) => `/api/v1/namespaces/${ns}/services` },
    build: builder("NodePort"),
  },
  "kubectl create service",
);

const loadBalancer = generatorVerb(
  {
    name: "loadbalancer",
    short: "Create a LoadBalancer service",
    long: "Create a LoadBalancer service with the specified name.",
    examples: "  # Create a new LoadBalancer service named my-lbs\n  kubectl create service loadbalancer my-lbs --tcp=5678:8080",
    usage: "kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    flags: [...GENERATOR_FLAGS, TCP_FLAG],
    post: { what: "LoadBalancer service", path: (ns) => `/api/v1/namespaces/${ns}/services` },
    build: builder("LoadBalancer"),
  },
  "kubectl create service",
);

const externalName = generatorVerb(
  {
    name: "externalname",
    short: "Create an ExternalName service",
    long: "Create an ExternalName service with the specified name.\n\n ExternalName service references to an external DNS address instead of only pods, which will allow application authors to reference services that exist off platform, on other clusters, or locally.",
    examples: "  # Create a new ExternalName service named my-ns\n  kubectl create service externalname my-ns --external-name bar.com",
    usage: "kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
    flags: [...GENERATOR_FLAGS, { name: "external-name", type: "string", usage: "External name of service" }, TCP_FLAG],
    required: ["external-name"],
    post: { what: "ExternalName service", path: (ns) => `/api/v1/namespaces/${ns}/services` },
    build: builder("ExternalName"),
  },
  "kubectl create service",
);

/** `kubectl create service` and its four sub-commands. */
export const createService: KubectlVerb = {
  name: "service",
  aliases: ["svc"],
  short: "Create a service using a specified subcommand",
  long: "Create a service using a specified subcommand.",
  usage: "kubectl create service [flags] [options]",
  flags: [],
  subcommands: [clusterIP, externalName, loadBalancer, nodePort],
};
