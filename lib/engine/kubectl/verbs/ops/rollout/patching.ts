/**
 * The flow `rollout pause`, `resume` and `restart` share (`set.CalculatePatches` then a patch per
 * object): each object's change is computed on the client; a refusal becomes
 * `error: deployments.apps "web" is already paused`, an unchanged object prints the verb's
 * "already" message (or, for restart, an empty-patch error), and the rest are written and
 * printed with the operation. Errors are reported after all objects were tried.
 *
 * @example
 * return patchEach(args, ctx, { operation: "paused", change: pauseChange, unchanged: { print: "already paused" } });
 */
import type { ApiError, KubeObject, ResourceInfo, Stored } from "../../../../api";
import { clonePlain, equalPlain } from "../../../../util/plain";
import type { KubectlArgs, KubectlContext } from "../../../types";
import { nameLine, printErrors, withOutput } from "../common/output";
import { outputFormat, printObject } from "../common/print";
import { groupResource, rolloutTargets } from "./shared";

/** What a change function returns: the object to write, or why it refuses. */
export type Change = { object: KubeObject } | { refusal: string };

/** One rollout patch verb. */
export interface PatchVerb {
  /** Printed after the name when the object changed (`paused`). */
  operation: string;
  /** Computes the new object from a copy of the stored one. */
  change(info: ResourceInfo, copy: KubeObject, ctx: KubectlContext): Change;
  /** When the change leaves the object as it was: print a message, or report an error and write anyway. */
  unchanged: { print: string } | { error: (name: string) => string };
}

/** Runs `verb` over the objects the arguments name. */
export function patchEach(args: KubectlArgs, ctx: KubectlContext, verb: PatchVerb) {
  return withOutput((out) => {
    const format = outputFormat(args);
    const { targets, missing } = rolloutTargets(args, ctx);
    const errors: (ApiError | string)[] = [...missing];
    const print = (info: ResourceInfo, object: Stored, operation: string) => {
      if (format) out.out(printObject(object, format));
      else out.out(nameLine(info, object.metadata.name, operation));
    };
    for (const { info, object } of targets) {
      const result = verb.change(info, clonePlain(object) as KubeObject, ctx);
      if ("refusal" in result) {
        errors.push(`error: ${groupResource(info)} "${object.metadata.name}" ${result.refusal}`);
        continue;
      }
      if (equalPlain(result.object, object)) {
        if ("print" in verb.unchanged) {
          print(info, object, verb.unchanged.print);
          continue;
        }
        errors.push(verb.unchanged.error(object.metadata.name));
      }
      print(info, ctx.store.update(result.object), verb.operation);
    }
    return printErrors(out, errors);
  });
}
