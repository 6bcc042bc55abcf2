/**
 * Attaching to a container's main process: the `kubectl attach` verb, and what `kubectl run -i`
 * / `--attach` uses of it: the attached session (`attachSession`: the learner's terminal moved
 * into the container's shell, piped input, or the streamed output) and `waitForPod` with the
 * conditions kubectl waits for.
 *
 * @example
 * const pod = waitForPod(ctx, "default", "box", 60_000, podRunningAndReady);
 * await attachSession(ctx, out, { pod, containerName: "", stdin: true, tty: true, quiet: false }, followUp);
 */
export { attachVerb } from "./verb";
export { attachSession, type AttachFollowUp, type AttachRequest, NOTHING_AFTER, StillRunningError } from "./session";
export { advanceTowards, podCompleted, PodCompletedError, type PodCondition, podRunningAndReady, podSucceeded, waitForPod } from "./wait";
