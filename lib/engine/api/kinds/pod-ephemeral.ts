/**
 * The `pods/ephemeralcontainers` subresource (what `kubectl debug` patches): only
 * `spec.ephemeralContainers` may change, containers may be added but never changed or removed,
 * and each new one needs a name unique in the pod, an image and, if it targets a container,
 * one that exists (`ValidatePodEphemeralContainersUpdate`).
 *
 * @example
 * validateEphemeralContainersUpdate(next, current); // [] or the field errors
 */
import { equalPlain } from "../../util/plain";
import type { Container, Pod } from "../types/pod";
import { type FieldError, duplicate, fieldPath, forbidden, notFound, required } from "../validation/field";

/** An ephemeral container: a container with the name of the one whose namespaces it joins. */
export type EphemeralContainer = Container & { targetContainerName?: string };

/** `spec.ephemeralContainers` of a pod (the PodSpec type leaves it out: only this subresource writes it). */
export function ephemeralContainersOf(pod: Pod): EphemeralContainer[] {
  return (pod.spec as { ephemeralContainers?: EphemeralContainer[] }).ephemeralContainers ?? [];
}

export function validateEphemeralContainersUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const path = fieldPath("spec", "ephemeralContainers");
  const next = ephemeralContainersOf(pod);
  for (const before of ephemeralContainersOf(old)) {
    const now = next.find((c) => c.name === before.name);
    if (!now) errs.push(forbidden(path, `existing ephemeral containers "${before.name}" may not be removed`));
    else if (!equalPlain(now, before)) errs.push(forbidden(path, `existing ephemeral containers "${before.name}" may not be changed`));
  }
  const regular = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
  const seen = new Set(regular);
  next.forEach((c, i) => {
    const at = path.index(i);
    if (!c.name) errs.push(required(at.child("name")));
    else if (seen.has(c.name)) errs.push(duplicate(at.child("name"), c.name));
    else seen.add(c.name);
    if (!c.image) errs.push(required(at.child("image")));
    if (c.targetContainerName && !regular.includes(c.targetContainerName)) errs.push(notFound(at.child("targetContainerName"), c.targetContainerName));
  });
  return errs;
}
