/**
 * `kubectl set`: `set image` is built; the other sub-commands are listed as kubectl lists them
 * and refuse to run.
 *
 * @example
 * await sh.run("kubectl set image deployment/web web=nginx:1.27"); // deployment.apps/web image updated
 */
import type { KubectlVerb } from "../../types";
import { unsupportedVerb } from "../unsupported";
import { setImage } from "./image";

/** `kubectl set`. */
export const setVerb: KubectlVerb = {
  name: "set",
  short: "Set specific features on objects",
  long: "Configure application resources.\n\n These commands help you make changes to existing application resources.",
  usage: "kubectl set SUBCOMMAND [options]",
  flags: [],
  subcommands: [
    unsupportedVerb("kubectl set", "env", "Update environment variables on a pod template"),
    setImage,
    unsupportedVerb("kubectl set", "resources", "Update resource requests/limits on objects with pod templates"),
    unsupportedVerb("kubectl set", "selector", "Set the selector on a resource"),
    unsupportedVerb("kubectl set", "serviceaccount", "Update the service account of a resource", ["sa"]),
    unsupportedVerb("kubectl set", "subject", "Update the user, group, or service account in a role binding or cluster role binding"),
  ],
};
