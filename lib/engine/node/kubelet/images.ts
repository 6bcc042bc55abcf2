/**
 * The kubelet's image manager (`EnsureImageExists`): the pull policy decides whether to pull;
 * pulls run through the node's serialized puller and take virtual time; each step records
 * the events upstream records (Pulling, Pulled with duration and size, `already present on
 * machine`, Failed / `Error: ErrImagePull`, BackOff / `Error: ImagePullBackOff`) and the
 * container's waiting reason, with pull back-off of 10 s doubling to 5 min.
 *
 * @example
 * const r = ensureImage(w, view, rec, container);
 * if ("ready" in r) start(container, r.ready); else if ("wakeAt" in r) requeueAt(r.wakeAt);
 */
import type { Container } from "../../api";
import { goDuration } from "../format";
import type { CatalogImage } from "../images/catalog";
import { parseReference, type ImageRef } from "../images/reference";
import type { PodRecord } from "./pod-record";
import type { PodView, WorkerContext } from "./worker-context";

export type ImageOutcome = { ready: CatalogImage; ref: ImageRef } | { wakeAt?: number; pulling: boolean };

/** Makes sure the container's image is on the node, or says when to look again. */
export function ensureImage(w: WorkerContext, view: PodView, rec: PodRecord, c: Container): ImageOutcome {
  const spec = c.image ?? "";
  const now = w.clock.now();
  const parsed = parseReference(spec);
  if (!parsed.ok) {
    const message = `Failed to apply default image tag "${spec}": ${parsed.message}`;
    w.event(view, "Warning", "InspectFailed", message);
    w.event(view, "Warning", "Failed", "Error: InvalidImageName");
    rec.waiting.set(c.name, { reason: "InvalidImageName", message });
    return { pulling: false };
  }
  const ref = parsed.ref;
  const present = w.images.find(ref);
  const policy = c.imagePullPolicy ?? "IfNotPresent";
  const inflight = rec.pulls.get(c.name);
  if (!inflight) {
    if (present && policy !== "Always") {
      w.event(view, "Normal", "Pulled", `Container image "${spec}" already present on machine`);
      return { ready: present, ref };
    }
    if (policy === "Never") {
      const message = `Container image "${spec}" is not present with pull policy of Never`;
      w.event(view, "Warning", "ErrImageNeverPull", message);
      w.event(view, "Warning", "Failed", "Error: ErrImageNeverPull");
      rec.waiting.set(c.name, { reason: "ErrImageNeverPull", message });
      return { pulling: false };
    }
    const key = `${rec.uid}_${spec}`;
    if (w.pullBackoff.inBackOffSinceUpdate(key, now)) {
      const last = rec.waiting.get(c.name);
      const cause = last?.reason === "ErrImagePull" || last?.reason === "ImagePullBackOff" ? (last.message ?? "").replace(/^Back-off pulling image "[^"]*": ErrImagePull: /, "") : "";
      w.event(view, "Normal", "BackOff", `Back-off pulling image "${spec}"`);
      w.event(view, "Warning", "Failed", "Error: ImagePullBackOff");
      rec.waiting.set(c.name, { reason: "ImagePullBackOff", message: `Back-off pulling image "${spec}": ErrImagePull: ${cause}` });
      return { pulling: false, wakeAt: w.pullBackoff.expiryFromUpdate(key) };
    }
    w.event(view, "Normal", "Pulling", `Pulling image "${spec}"`);
    rec.firstPull ??= now;
    rec.pulls.set(c.name, { ref, spec, result: w.images.pull(ref, now, w.rng), requestedAt: now });
    return { pulling: true, wakeAt: rec.pulls.get(c.name)!.result.doneAt };
  }
  const { result } = inflight;
  if (result.doneAt > now) return { pulling: true, wakeAt: result.doneAt };
  rec.pulls.delete(c.name);
  rec.lastPull = now;
  if ("image" in result) {
    w.images.add(result.image, ref, now);
    const total = result.waitedMs + result.pullMs;
    w.event(view, "Normal", "Pulled", `Successfully pulled image "${spec}" in ${goDuration(result.pullMs)} (${goDuration(total)} including waiting). Image size: ${result.image.size} bytes.`);
    return { ready: result.image, ref };
  }
  const key = `${rec.uid}_${spec}`;
  w.pullBackoff.next(key, now);
  w.event(view, "Warning", "Failed", `Failed to pull image "${spec}": ${result.error}`);
  w.event(view, "Warning", "Failed", "Error: ErrImagePull");
  w.journal.klog(w.kubeletPid(), "E", "log.go:32", `"PullImage from image service failed" err="${result.error.replace(/"/g, '\\"')}" image="${spec}"`);
  rec.waiting.set(c.name, { reason: "ErrImagePull", message: result.error });
  // The pod worker syncs again soon and finds the pull in back-off.
  return { pulling: false, wakeAt: now + 1_000 };
}
