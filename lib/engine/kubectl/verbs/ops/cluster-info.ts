/**
 * `kubectl cluster-info`: where the control plane answers (the kubeconfig's server) and the
 * proxy URL of every Service labelled `kubernetes.io/cluster-service=true` in kube-system (or
 * `-n`) — CoreDNS once its `kube-dns` Service exists. The source asks go-colortext for green
 * names and yellow addresses, but the library kubectl 1.32 ships writes no colour codes, on a
 * terminal or not, so neither does this.
 *
 * @example
 * kubectl cluster-info
 * // Kubernetes control plane is running at https://172.30.1.2:6443
 * // CoreDNS is running at https://172.30.1.2:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy
 * //
 * // To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.
 */
import type { Service, Stored } from "../../../api";
import { offlineResult, ServerUnreachableError } from "../../connection";
import { kubectlPid } from "../../klog";
import type { KubectlVerb } from "../../types";

const DUMP_HINT = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

/** `printService`. */
const line = (name: string, link: string) => `${name} is running at ${link}\n`;

/** The link kubectl prints for a cluster service: its LoadBalancer addresses, or the apiserver proxy path. */
function serviceLink(host: string, service: Stored<Service>): string {
  const ingress = service.status?.loadBalancer?.ingress?.[0];
  if (ingress) {
    const ip = ingress.ip || ingress.hostname || "";
    return (service.spec?.ports ?? []).map((p) => `http://${ip}:${p.port} `).join("");
  }
  let name = service.metadata.name;
  const port = service.spec?.ports?.[0];
  if (port) {
    // utilnet.JoinSchemeNamePort, guessing https from the port.
    const scheme = port.name === "https" || port.port === 443 ? "https" : "";
    if (scheme) name = `${scheme}:${name}:${port.name ?? ""}`;
    else if (port.name) name = `${name}:${port.name}`;
  }
  return `${host}/api/v1/namespaces/${service.metadata.namespace}/services/${name}/proxy`;
}

/** `kubectl cluster-info`. */
export const clusterInfoVerb: KubectlVerb = {
  name: "cluster-info",
  short: "Display cluster information",
  long:
    "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
  examples: "  # Print the address of the control plane and cluster services\n  kubectl cluster-info",
  usage: "kubectl cluster-info [flags] [options]",
  flags: [],
  run(_args, ctx) {
    const namespace = ctx.namespaceExplicit ? ctx.namespace : "kube-system";
    const host = ctx.kubeconfig.server.replace(/\/+$/, "");
    let services: Stored<Service>[];
    try {
      services = ctx.store.list<Service>("Service", { namespace, labelSelector: "kubernetes.io/cluster-service=true" });
    } catch (error) {
      if (!(error instanceof ServerUnreachableError)) throw error;
      // kubectl prints the closing hint even when the listing failed, then the connection error.
      const now = ctx.shell.clock.now();
      const failed = offlineResult(error.failure, { discovery: 5 }, { now, pid: kubectlPid(now), namespace });
      return { stdout: DUMP_HINT, stderr: failed.stderr, exitCode: 1 };
    }
    let stdout = line("Kubernetes control plane", host);
    for (const service of services) stdout += line(service.metadata.labels?.["kubernetes.io/name"] || service.metadata.name, serviceLink(host, service));
    return { stdout: stdout + DUMP_HINT, stderr: "", exitCode: 0 };
  },
};
