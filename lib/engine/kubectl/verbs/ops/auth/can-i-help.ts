/**
 * `kubectl auth can-i --help`'s text and flags, kept apart from the command's logic.
 *
 * @example
 * const verb: KubectlVerb = { name: "can-i", short: "…", ...CAN_I_HELP, run };
 */
import type { KubectlFlag } from "../../../types";

const EXAMPLES = [
  "# Check to see if I can create pods in any namespace",
  "kubectl auth can-i create pods --all-namespaces",
  "",
  "# Check to see if I can list deployments in my current namespace",
  "kubectl auth can-i list deployments.apps",
  "",
  '# Check to see if service account "foo" of namespace "dev" can list pods in the namespace "prod"',
  '# You must be allowed to use impersonation for the global option "--as"',
  "kubectl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod",
  "",
  '# Check to see if I can do everything in my current namespace ("*" means all)',
  "kubectl auth can-i '*' '*'",
  "",
  '# Check to see if I can get the job named "bar" in namespace "foo"',
  "kubectl auth can-i list jobs.batch/bar -n foo",
  "",
  "# Check to see if I can read pod logs",
  "kubectl auth can-i get pods --subresource=log",
  "",
  "# Check to see if I can access the URL /logs/",
  "kubectl auth can-i get /logs/",
  "",
  "# Check to see if I can approve certificates.k8s.io",
  "kubectl auth can-i approve certificates.k8s.io",
  "",
  '# List all allowed actions in namespace "foo"',
  "kubectl auth can-i --list --namespace=foo",
];

const FLAGS: readonly KubectlFlag[] = [
  { name: "all-namespaces", short: "A", type: "bool", usage: "If true, check the specified action in all namespaces." },
  { name: "list", type: "bool", usage: "If true, prints all allowed actions." },
  { name: "no-headers", type: "bool", usage: "If true, prints allowed actions without headers" },
  { name: "quiet", short: "q", type: "bool", usage: "If true, suppress output and just return the exit code." },
  { name: "subresource", type: "string", usage: "SubResource such as pod/log or deployment/scale" },
];

/** `long`, `examples`, `usage` and `flags` of `kubectl auth can-i`. */
export const CAN_I_HELP = {
  long:
    "Check whether an action is allowed.\n\n VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc. TYPE is a Kubernetes resource. Shortcuts and groups will be resolved. NONRESOURCEURL is a partial URL that starts with \"/\". NAME is the name of a particular Kubernetes resource. This command pairs nicely with impersonation. See --as global flag.",
  examples: EXAMPLES.map((l) => `  ${l}`).join("\n"),
  usage: "kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]",
  flags: FLAGS,
};
