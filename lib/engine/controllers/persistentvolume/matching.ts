/**
 * How the PersistentVolume controller (v1.32 `pkg/controller/volume/persistentvolume`) matches
 * a claim to a volume: `findBestMatchForClaim` (index.go) picks, among volumes whose access
 * modes include every mode the claim asks for, one pre-bound to the claim if there is one,
 * else the smallest whose capacity fits, skipping volumes bound elsewhere, being deleted, of
 * another class or volume mode, or not selected by the claim's selector; and
 * `checkVolumeSatisfyClaim` says why a volume the claim names cannot serve it.
 *
 * Classes: a claim's class is `spec.storageClassName` ("" when unset: by then the default
 * class has been written in if one exists), a volume's likewise; they must be equal.
 *
 * @example
 * findBestMatch(claim, store.list("PersistentVolume"))?.metadata.name; // "pv-10gi"
 * unsatisfiedBy(claim, pv); // "requested PV is too small"
 */
import { labelSelectorAsSelector, type LabelSelector, type PersistentVolume, type PersistentVolumeClaim, type Stored } from "../../api";
import { value } from "../common/quantity";

export const claimClass = (claim: PersistentVolumeClaim): string => claim.spec.storageClassName ?? "";
export const volumeClass = (pv: PersistentVolume): string => pv.spec.storageClassName ?? "";

const requested = (claim: PersistentVolumeClaim) => value(claim.spec.resources?.requests?.storage);
const capacity = (pv: PersistentVolume) => value(pv.spec.capacity?.storage);

/** `CheckAccessModes`: the volume offers every mode the claim requests. */
export function accessModesFit(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec.accessModes ?? []);
  return (claim.spec.accessModes ?? []).every((m) => offered.has(m));
}

/** Whether the volume's claimRef names this claim (by namespace and name, and uid once set). */
export function boundToClaim(pv: PersistentVolume, claim: Stored<PersistentVolumeClaim>): boolean {
  const ref = pv.spec.claimRef;
  if (!ref || ref.name !== claim.metadata.name || (ref.namespace ?? "") !== (claim.metadata.namespace ?? "")) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

function selected(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  if (!claim.spec.selector) return true;
  return labelSelectorAsSelector(claim.spec.selector as LabelSelector).matches(pv.metadata.labels ?? {});
}

/** `checkVolumeSatisfyClaim`: why a volume the claim names (spec.volumeName) cannot serve it, or undefined. */
export function unsatisfiedBy(claim: PersistentVolumeClaim, pv: PersistentVolume): string | undefined {
  if (pv.metadata.deletionTimestamp) return "the volume is marked for deletion";
  if (capacity(pv) < requested(claim)) return "requested PV is too small";
  if (volumeClass(pv) !== claimClass(claim)) return "storageClassName does not match";
  if ((pv.spec.volumeMode ?? "Filesystem") !== (claim.spec.volumeMode ?? "Filesystem")) return "incompatible volumeMode";
  if (!accessModesFit(claim, pv)) return "incompatible accessMode";
  return undefined;
}

/** `findBestMatchForClaim`: a volume pre-bound to the claim, else the smallest available one that fits. */
export function findBestMatch(claim: Stored<PersistentVolumeClaim>, volumes: readonly Stored<PersistentVolume>[]): Stored<PersistentVolume> | undefined {
  const need = requested(claim);
  let best: Stored<PersistentVolume> | undefined;
  for (const pv of volumes) {
    if (!accessModesFit(claim, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    if ((pv.spec.volumeMode ?? "Filesystem") !== (claim.spec.volumeMode ?? "Filesystem")) continue;
    if (pv.spec.claimRef) {
      // Pre-bound to this claim wins whatever its size (the admin chose it), if it fits at all.
      if (boundToClaim(pv, claim) && capacity(pv) >= need) return pv;
      continue;
    }
    if (pv.status?.phase === "Released" || pv.status?.phase === "Failed") continue;
    if (!selected(claim, pv) || volumeClass(pv) !== claimClass(claim)) continue;
    if (capacity(pv) < need) continue;
    if (!best || capacity(pv) < capacity(best)) best = pv;
  }
  return best;
}
