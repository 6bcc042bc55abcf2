/**
 * `kubectl config` and its sub-commands: they read and write the kubeconfig files in the shell's
 * file system (see `files.ts`), never the cluster.
 *
 * @example
 * configVerb.subcommands?.map((v) => v.name); // ["current-context", "delete-cluster", …, "view"]
 */
import type { KubectlVerb } from "../../../types";
import { configCurrentContextVerb } from "./current-context";
import { configDeleteClusterVerb } from "./delete-cluster";
import { configDeleteContextVerb } from "./delete-context";
import { configDeleteUserVerb } from "./delete-user";
import { configGetClustersVerb } from "./get-clusters";
import { configGetContextsVerb } from "./get-contexts";
import { configGetUsersVerb } from "./get-users";
import { configRenameContextVerb } from "./rename-context";
import { configSetVerb } from "./set";
import { configSetClusterVerb } from "./set-cluster";
import { configSetContextVerb } from "./set-context";
import { configSetCredentialsVerb } from "./set-credentials";
import { configUnsetVerb } from "./unset";
import { configUseContextVerb } from "./use-context";
import { configViewVerb } from "./view";

/** `kubectl config`. */
export const configVerb: KubectlVerb = {
  name: "config",
  short: "Modify kubeconfig files",
  long: [
    'Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".',
    "",
    " The loading order follows these rules:",
    "",
    "  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.",
    "  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.",
    "  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.",
  ].join("\n"),
  usage: "kubectl config SUBCOMMAND [options]",
  flags: [],
  subcommands: [
    configCurrentContextVerb,
    configDeleteClusterVerb,
    configDeleteContextVerb,
    configDeleteUserVerb,
    configGetClustersVerb,
    configGetContextsVerb,
    configGetUsersVerb,
    configRenameContextVerb,
    configSetVerb,
    configSetClusterVerb,
    configSetContextVerb,
    configSetCredentialsVerb,
    configUnsetVerb,
    configUseContextVerb,
    configViewVerb,
  ],
};
