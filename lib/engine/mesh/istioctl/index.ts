/**
 * `istioctl` 1.24.2, the mesh's command-line tool, on the cluster it is pointed at (the mesh's
 * control plane on the cluster network): `install`, `version`, `proxy-status`,
 * `proxy-config secret`, `analyze`. Other subcommands say they are not simulated here.
 *
 * @example
 * istioctl install --set profile=demo -y
 * istioctl proxy-config secret sleep-7f6d8c9b5-x2x4k -n default
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { currentNet } from "../../net/commands/context";
import { analyze, proxyConfigSecret, proxyStatus, version } from "./inspect";
import { install } from "./install";

const USAGE = `Istio configuration command line utility for service operators to
debug and diagnose their Istio mesh.

Usage:
  istioctl [command]

Available Commands:
  admin                Manage control plane (istiod) configuration
  analyze              Analyze Istio configuration and print validation messages
  authz                (authz is experimental. Use \`istioctl experimental authz\`)
  bug-report           Cluster information and log capture support tool.
  completion           Generate the autocompletion script for the specified shell
  create-remote-secret Create a secret with credentials to allow Istio to access remote Kubernetes apiservers
  dashboard            Access to Istio web UIs
  experimental         Experimental commands that may be modified or deprecated
  help                 Help about any command
  install              Applies an Istio manifest, installing or reconfiguring Istio on a cluster.
  kube-inject          Inject Istio sidecar into Kubernetes pod resources
  manifest             Commands related to Istio manifests
  proxy-config         Retrieve information about proxy configuration from Envoy [kube only]
  proxy-status         Retrieves the synchronization status of each Envoy in the mesh
  remote-clusters      Lists the remote clusters each istiod instance is connected to.
  tag                  Command group used to interact with revision tags
  uninstall            Uninstall Istio from a cluster
  upgrade              Upgrade Istio control plane in-place
  validate             Validate Istio policy and rules files
  version              Prints out build version information
  waypoint             Manage waypoint configuration
  ztunnel-config       Update or retrieve current Ztunnel configuration.

Flags:
      --context string          Kubernetes configuration context
  -h, --help                    help for istioctl
  -i, --istioNamespace string   Istio system namespace (default "istio-system")
  -c, --kubeconfig string       Kubernetes configuration file
  -n, --namespace string        Kubernetes namespace
      --vklog Level             number for the log level verbosity. Like -v flag. ex: --vklog=9

Use "istioctl [command] --help" for more information about a command.
`;

const fail = (text: string): CommandResult => ({ stdout: "", stderr: `${text}\n`, exitCode: 1 });

/** Pulls `-n/--namespace`, `-o/--output` and `-A/--all-namespaces` out of the words. */
function common(words: readonly string[]): { namespace?: string; output?: string; all: boolean; rest: string[]; bad?: string } {
  const rest: string[] = [];
  let namespace: string | undefined;
  let output: string | undefined;
  let all = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const [flag, attached] = w.startsWith("--") && w.includes("=") ? [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)] : [w, undefined];
    if (flag === "-n" || flag === "--namespace") namespace = attached ?? words[++i];
    else if (flag === "-o" || flag === "--output") output = attached ?? words[++i];
    else if (flag === "-A" || flag === "--all-namespaces") all = true;
    else if (flag.startsWith("-") && flag !== "-y") return { rest, all, bad: flag };
    else rest.push(w);
  }
  return { namespace, output, all, rest };
}

function runIstioctl(words: readonly string[], ctx: CommandContext): CommandResult {
  const mesh = currentNet(ctx)?.network.mesh;
  const [sub, ...rest] = words;
  if (!sub || sub === "help" || sub === "-h" || sub === "--help") return { stdout: USAGE, stderr: "", exitCode: 0 };
  if (sub === "install") return install(mesh, rest, ctx);
  const opts = common(rest);
  if (opts.bad) return fail(`Error: unknown flag: ${opts.bad}`);
  switch (sub) {
    case "version":
      return version(mesh);
    case "proxy-status":
    case "ps":
      return proxyStatus(mesh);
    case "proxy-config":
    case "pc": {
      const [what, pod] = opts.rest;
      if (what !== "secret" && what !== "secrets" && what !== "s") {
        return what === undefined ? fail('Error: requires a resource type: istioctl proxy-config secret <pod-name[.namespace]>') : fail(`Error: istioctl proxy-config ${what}: not simulated here (proxy-config secret is)`);
      }
      if (!pod) return fail("Error: pod name or --file is required");
      return proxyConfigSecret(mesh, pod, opts.namespace, opts.output ?? "short");
    }
    case "analyze":
      return analyze(mesh, opts.namespace, opts.all);
  }
  if (USAGE.includes(`\n  ${sub} `)) return fail(`Error: istioctl ${sub}: not simulated here (install, version, proxy-status, proxy-config secret and analyze are)`);
  return fail(`Error: unknown command "${sub}" for "istioctl"\nRun 'istioctl --help' for usage.`);
}

export const istioctlCommand: Command = {
  name: "istioctl",
  summary: "Istio configuration command line utility",
  usage: "istioctl [command]",
  path: "/usr/local/bin/istioctl",
  spec: { flags: [], raw: true },
  run: (args, ctx) => runIstioctl(args.operands, ctx),
  complete: (words) => (words.length === 0 ? ["analyze", "install", "proxy-config", "proxy-status", "version"] : words[0] === "proxy-config" && words.length === 1 ? ["secret"] : undefined),
};
