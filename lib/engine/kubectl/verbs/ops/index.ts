/**
 * kubectl's operations verbs: `rollout`, `cordon`/`uncordon`/`drain`, `exec`, `logs`,
 * `config`, `auth can-i`, `version`, `cluster-info` and `help`, one module each (sub-commands
 * too). They talk to the cluster only through the store, the runtime service and virtual time,
 * and to the kubeconfig only through the shell's file system. Also exported: the root help text
 * and the RBAC evaluator the API layer will authorize requests with.
 *
 * @example
 * kubectlCommand({ cluster, runtime, verbs: [...coreVerbs, ...operationsVerbs] });
 */
import type { KubectlVerb } from "../../types";
import { authVerb } from "./auth";
import { clusterInfoVerb } from "./cluster-info";
import { configVerb } from "./config";
import { cpVerb } from "./cp";
import { debugVerb } from "./debug";
import { eventsVerb } from "./events";
import { execVerb } from "./exec";
import { helpVerb } from "./help";
import { logsVerb } from "./logs";
import { cordonVerb } from "./node/cordon";
import { drainVerb } from "./node/drain";
import { uncordonVerb } from "./node/uncordon";
import { rolloutVerb } from "./rollout";
import { versionVerb } from "./version";
import { waitVerb } from "./wait";

export { kubectlHelpText } from "./help";

/** Every operations verb. */
export const operationsVerbs: readonly KubectlVerb[] = [
  rolloutVerb,
  clusterInfoVerb,
  cordonVerb,
  uncordonVerb,
  drainVerb,
  logsVerb,
  execVerb,
  authVerb,
  configVerb,
  versionVerb,
  helpVerb,
  waitVerb,
  eventsVerb,
  cpVerb,
  debugVerb,
];
