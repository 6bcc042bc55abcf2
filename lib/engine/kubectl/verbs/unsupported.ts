/**
 * Sub-commands kubectl has and this environment does not build yet. They are listed in their
 * parent's help as in the real binary, and fail loudly (rather than pretend) when run.
 *
 * @example
 * unsupportedVerb("kubectl create", "cronjob", "Create a cron job with the specified name");
 */
import { KubectlError } from "../errors";
import type { KubectlVerb } from "../types";

/** A sub-command that says it is not available here. */
export function unsupportedVerb(parentPath: string, name: string, short: string, aliases?: readonly string[]): KubectlVerb {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    short,
    usage: `${parentPath} ${name} [options]`,
    flags: [],
    rawArgs: true,
    run: () => {
      throw new KubectlError(`${parentPath} ${name} is not supported in this environment`);
    },
  };
}
