/**
 * `kubectl`, `kubectl --help` and `kubectl help [COMMAND…]`: the root help with kubectl 1.32's
 * command groups (every command of the real binary is listed, built here or not, as a learner
 * reading it expects), and cobra's `help` command, which shows a command's help or, for an
 * unknown topic, `Unknown help topic` and the root usage on stderr.
 *
 * @example
 * kubectlHelpText().split("\n")[0]; // "kubectl controls the Kubernetes cluster manager."
 */
import { renderVerbHelp } from "../../help";
import type { KubectlVerb } from "../../types";

/** `kubectl --help`'s groups and their commands, in the order the real binary prints them. */
const GROUPS: readonly [string, readonly [string, string][]][] = [
  [
    "Basic Commands (Beginner):",
    [
      ["create", "Create a resource from a file or from stdin"],
      ["expose", "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service"],
      ["run", "Run a particular image on the cluster"],
      ["set", "Set specific features on objects"],
    ],
  ],
  [
    "Basic Commands (Intermediate):",
    [
      ["explain", "Get documentation for a resource"],
      ["get", "Display one or many resources"],
      ["edit", "Edit a resource on the server"],
      ["delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector"],
    ],
  ],
  [
    "Deploy Commands:",
    [
      ["rollout", "Manage the rollout of a resource"],
      ["scale", "Set a new size for a deployment, replica set, or replication controller"],
      ["autoscale", "Auto-scale a deployment, replica set, stateful set, or replication controller"],
    ],
  ],
  [
    "Cluster Management Commands:",
    [
      ["certificate", "Modify certificate resources"],
      ["cluster-info", "Display cluster information"],
      ["top", "Display resource (CPU/memory) usage"],
      ["cordon", "Mark node as unschedulable"],
      ["uncordon", "Mark node as schedulable"],
      ["drain", "Drain node in preparation for maintenance"],
      ["taint", "Update the taints on one or more nodes"],
    ],
  ],
  [
    "Troubleshooting and Debugging Commands:",
    [
      ["describe", "Show details of a specific resource or group of resources"],
      ["logs", "Print the logs for a container in a pod"],
      ["attach", "Attach to a running container"],
      ["exec", "Execute a command in a container"],
      ["port-forward", "Forward one or more local ports to a pod"],
      ["proxy", "Run a proxy to the Kubernetes API server"],
      ["cp", "Copy files and directories to and from containers"],
      ["auth", "Inspect authorization"],
      ["debug", "Create debugging sessions for troubleshooting workloads and nodes"],
      ["events", "List events"],
    ],
  ],
  [
    "Advanced Commands:",
    [
      ["diff", "Diff the live version against a would-be applied version"],
      ["apply", "Apply a configuration to a resource by file name or stdin"],
      ["patch", "Update fields of a resource"],
      ["replace", "Replace a resource by file name or stdin"],
      ["wait", "Experimental: Wait for a specific condition on one or many resources"],
      ["kustomize", "Build a kustomization target from a directory or URL"],
    ],
  ],
  [
    "Settings Commands:",
    [
      ["label", "Update the labels on a resource"],
      ["annotate", "Update the annotations on a resource"],
      ["completion", "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)"],
    ],
  ],
  // kubectl 1.32 prints this heading even when no plugin is installed.
  ["Subcommands provided by plugins:", []],
  [
    "Other Commands:",
    [
      ["api-resources", "Print the supported API resources on the server"],
      ["api-versions", 'Print the supported API versions on the server, in the form of "group/version"'],
      ["config", "Modify kubeconfig files"],
      ["plugin", "Provides utilities for interacting with plugins"],
      ["version", "Print the client and server version information"],
    ],
  ],
];

/** Names padded to the longest command name plus three, as cobra pads them. */
const PAD = Math.max(...GROUPS.flatMap(([, commands]) => commands.map(([name]) => name.length))) + 3;

/** The root usage (`cmd.Usage()`): the groups, then how to get more help. */
function rootUsage(): string {
  const groups = GROUPS.map(([title, commands]) => `${title}\n${commands.map(([name, short]) => `  ${name.padEnd(PAD)}${short}\n`).join("")}`).join("\n");
  return `${groups}\nUsage:\n  kubectl [flags] [options]\n\nUse "kubectl <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

/**
 * `kubectl --help`, byte for byte as kubectl 1.32 prints it.
 *
 * @example
 * kubectlHelpText().includes("  rollout         Manage the rollout of a resource\n"); // true
 */
export function kubectlHelpText(): string {
  return `kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n${rootUsage()}`;
}

/** Follows `words` through the verbs and their sub-commands. */
function findVerb(verbs: readonly KubectlVerb[], words: readonly string[]): { verb: KubectlVerb; path: string[] } | undefined {
  let list = verbs;
  let found: { verb: KubectlVerb; path: string[] } | undefined;
  for (const word of words) {
    const verb = list.find((v) => v.name === word || v.aliases?.includes(word));
    if (!verb) return found ? found : undefined;
    found = { verb, path: [...(found?.path ?? []), verb.name] };
    list = verb.subcommands ?? [];
  }
  return found;
}

/** cobra's `help` command. */
export const helpVerb: KubectlVerb = {
  name: "help",
  short: "Help about any command",
  long: "Help provides help for any command in the application.\nSimply type kubectl help [path to command] for full details.",
  usage: "kubectl help [command] [flags] [options]",
  flags: [],
  run(args, ctx) {
    if (args.operands.length === 0) return { stdout: kubectlHelpText(), stderr: "", exitCode: 0 };
    const found = findVerb(ctx.verbs, args.operands);
    if (!found) return { stdout: "", stderr: `Unknown help topic [${args.operands.map((w) => `\`${w}\``).join(" ")}]\n\n\n${rootUsage()}`, exitCode: 0 };
    return { stdout: renderVerbHelp(found.path, found.verb), stderr: "", exitCode: 0 };
  },
};
