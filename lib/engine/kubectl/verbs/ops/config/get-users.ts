/**
 * `kubectl config get-users`: the user names under a `NAME` header, sorted.
 *
 * @example
 * kubectl config get-users   // NAME\nkubernetes-admin
 */
import type { KubectlVerb } from "../../../types";
import { configRun } from "./shared";

/** `kubectl config get-users`. */
export const configGetUsersVerb: KubectlVerb = {
  name: "get-users",
  short: "Display users defined in the kubeconfig",
  long: "Display users defined in the kubeconfig.",
  examples: "  # List the users that kubectl knows about\n  kubectl config get-users",
  usage: "kubectl config get-users [flags] [options]",
  flags: [],
  run: configRun(["config", "get-users"], () => configGetUsersVerb, (out, _args, files) => {
    out.out(`NAME\n${[...files.merged.users.keys()].sort().map((n) => `${n}\n`).join("")}`);
    return 0;
  }),
};
