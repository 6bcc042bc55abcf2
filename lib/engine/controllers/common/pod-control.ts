/**
 * `controller.RealPodControl`: creating and deleting a controller's pods through the API, with
 * the events upstream records on the owner (`SuccessfulCreate` `Created pod: web-x7k2q`,
 * `FailedCreate` `Error creating: …`, `SuccessfulDelete`, `FailedDelete`).
 *
 * @example
 * const pod = createPod(ctx, rs, podFromTemplate(rs.spec.template!, rs, newControllerRef(rs)), "replicaset-controller");
 * deletePod(ctx, rs, pod, "replicaset-controller");
 */
import { ApiError, NotFoundError, type Pod, type Stored } from "../../api";
import type { ControllerContext } from "../../cluster/controller";

/** Creates `pod` on behalf of `owner`; returns the stored pod, or the ApiError it failed with. */
export function createPod(ctx: ControllerContext, owner: Stored, pod: Pod, component: string): Stored<Pod> | ApiError {
  try {
    const created = ctx.store.create<Pod>(pod);
    ctx.events.record(owner, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`, { component });
    return created;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    ctx.events.record(owner, "Warning", "FailedCreate", `Error creating: ${e.message}`, { component });
    return e;
  }
}

/** Deletes `pod` (graceful, default options) on behalf of `owner`; a pod already gone is fine. */
export function deletePod(ctx: ControllerContext, owner: Stored, pod: Stored<Pod>, component: string): void {
  try {
    ctx.store.delete("Pod", pod.metadata.namespace, pod.metadata.name);
    ctx.events.record(owner, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`, { component });
  } catch (e) {
    if (e instanceof NotFoundError) return;
    if (!(e instanceof ApiError)) throw e;
    ctx.events.record(owner, "Warning", "FailedDelete", `Error deleting: ${e.message}`, { component });
  }
}
