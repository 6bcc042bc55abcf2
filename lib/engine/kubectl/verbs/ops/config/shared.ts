/**
 * What the `kubectl config` sub-commands share: `helpErrorf` (the sub-command's help on stdout,
 * then `error: Unexpected args: [a b]`), Go's `%v` for a word list, and the body wrapper that
 * loads the kubeconfig files first.
 *
 * @example
 * run: configRun(["config", "use-context"], () => useContextVerb, (out, args, files) => { … })
 */
import type { Output } from "../../../../shell";
import { KubectlError } from "../../../errors";
import { renderVerbHelp } from "../../../help";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { withOutput } from "../common/output";
import { KubeconfigFiles } from "./files";

/** Go's `%v` of a `[]string`: `[a b]`. */
export const goList = (words: readonly string[]) => `[${words.join(" ")}]`;

/** A config sub-command body: it gets the loaded files and returns the exit code. */
export type ConfigBody = (out: Output, args: KubectlArgs, files: KubeconfigFiles, ctx: KubectlContext) => number;

/**
 * Builds a sub-command's `run`. `verb` is read lazily (the verb object refers to its own run).
 * `argCount` makes any other number of operands the `helpErrorf` failure.
 */
export function configRun(path: readonly string[], verb: () => KubectlVerb, body: ConfigBody, argCount?: number) {
  return (args: KubectlArgs, ctx: KubectlContext) =>
    withOutput((out) => {
      if (argCount !== undefined && args.operands.length !== argCount) return helpError(out, path, verb(), `Unexpected args: ${goList(args.operands)}`);
      return body(out, args, KubeconfigFiles.load(ctx), ctx);
    });
}

/** `helpErrorf`: the command's help on stdout, the message as an error. */
export function helpError(out: Output, path: readonly string[], verb: KubectlVerb, message: string): number {
  out.out(renderVerbHelp(path, verb));
  throw new KubectlError(message);
}
