/**
 * The PersistentVolume controller (`persistentvolume-binder-controller`, v1.32
 * `pkg/controller/volume/persistentvolume/pv_controller.go`): binds claims to volumes and
 * reclaims volumes whose claim is gone.
 *
 * Claims (`claim/<ns>/<name>`): an unbound claim with no class gets the default class written
 * in (retroactive default class assignment); then a claim naming a volume binds to it if it
 * fits, one naming none takes findBestMatch's volume; otherwise it stays Pending with
 * upstream's event: FailedBinding ("no persistent volumes available for this claim and no
 * storage class is set"), ExternalProvisioning (the class's provisioner is asked through the
 * `volume.kubernetes.io/storage-provisioner` annotation), ProvisioningFailed (no such class),
 * or WaitForFirstConsumer until a pod that uses it is scheduled. Pending claims are synced
 * again every 15 s, as the controller's resync does. A bound claim whose volume disappeared
 * is Lost.
 *
 * Volumes (`volume/<name>`): no claimRef → Available; bound to a live claim → Bound; the claim
 * deleted → Released, then the reclaim policy: Retain keeps it Released (never bound again
 * until an administrator clears its claimRef), Delete hands a provisioned volume to its
 * provisioner and fails one no plugin can delete (NFS has no deleter).
 *
 * @example
 * cluster.register(persistentVolumeController());
 */
import { ApiError, isDefaultClass, type Pod, type PersistentVolume, type PersistentVolumeClaim, type StorageClass, type Stored, type WatchEvent } from "../../api";
import { defineWatches, type Controller, type ControllerContext } from "../../cluster/controller";
import { boundToClaim, claimClass, findBestMatch, unsatisfiedBy } from "./matching";

const SOURCE = { component: "persistentvolume-controller" };
/** The controller's periodic resync (`--pvclaimbinder-sync-period`). */
export const PV_SYNC_PERIOD_MS = 15_000;
export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
export const ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by";
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";

const claimKey = (namespace: string | undefined, name: string | undefined) => `claim/${namespace ?? "default"}/${name ?? ""}`;

function claimKeysOfPod(event: WatchEvent): string[] {
  const pod = event.object as Stored<Pod>;
  if (!pod.spec?.nodeName) return [];
  return (pod.spec.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => claimKey(pod.metadata.namespace, v.persistentVolumeClaim!.claimName));
}

function volumeKeys(event: WatchEvent): string[] {
  const keys = new Set<string>();
  for (const obj of [event.object, event.old] as (Stored<PersistentVolume> | undefined)[]) {
    if (!obj) continue;
    keys.add(`volume/${obj.metadata.name}`);
    const ref = obj.spec.claimRef;
    if (ref?.name) keys.add(claimKey(ref.namespace, ref.name));
  }
  return [...keys];
}

function claimKeys(event: WatchEvent): string[] {
  const claim = event.object as Stored<PersistentVolumeClaim>;
  const keys = [claimKey(claim.metadata.namespace, claim.metadata.name)];
  // A deleted claim releases its volume.
  if (event.type === "DELETED" && claim.spec.volumeName) keys.push(`volume/${claim.spec.volumeName}`);
  return keys;
}

const WATCHES = defineWatches(
  Object.freeze({ kind: "PersistentVolumeClaim", keys: claimKeys }),
  Object.freeze({ kind: "PersistentVolume", keys: volumeKeys }),
  Object.freeze({ kind: "Pod", keys: claimKeysOfPod }),
);

function setVolumePhase(ctx: ControllerContext, pv: Stored<PersistentVolume>, phase: string, message?: string): Stored<PersistentVolume> {
  if (pv.status?.phase === phase && pv.status?.message === message) return pv;
  return ctx.store.updateStatus<PersistentVolume>({ ...pv, status: { phase, ...(message ? { message } : {}) } });
}

function setClaimPhase(ctx: ControllerContext, claim: Stored<PersistentVolumeClaim>, status: PersistentVolumeClaim["status"]): void {
  if (JSON.stringify(claim.status ?? {}) === JSON.stringify(status)) return;
  ctx.store.updateStatus<PersistentVolumeClaim>({ ...claim, status });
}

/** `bind()`: the volume's claimRef, then the claim's volumeName and annotations, then both statuses. */
function bind(ctx: ControllerContext, claim: Stored<PersistentVolumeClaim>, pv: Stored<PersistentVolume>): void {
  let volume = pv;
  if (!pv.spec.claimRef?.uid) {
    const claimRef = { kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: "v1", resourceVersion: claim.metadata.resourceVersion };
    const annotations = pv.spec.claimRef ? pv.metadata.annotations : { ...pv.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: "yes" };
    volume = ctx.store.update<PersistentVolume>({ ...pv, metadata: { ...pv.metadata, annotations }, spec: { ...pv.spec, claimRef } });
  }
  volume = setVolumePhase(ctx, volume, "Bound");
  let current = claim;
  if (claim.spec.volumeName !== pv.metadata.name || claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== "yes") {
    const annotations: Record<string, string> = { ...claim.metadata.annotations, [ANN_BIND_COMPLETED]: "yes" };
    if (!claim.spec.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = "yes";
    current = ctx.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, annotations }, spec: { ...claim.spec, volumeName: pv.metadata.name } });
  }
  setClaimPhase(ctx, current, { phase: "Bound", accessModes: [...(volume.spec.accessModes ?? [])], capacity: { ...(volume.spec.capacity ?? {}) } });
}

/** A fresh PersistentVolume controller. */
export function persistentVolumeController(): Controller {
  return new PersistentVolumeController();
}

class PersistentVolumeController implements Controller {
  readonly name = "persistentvolume-binder-controller";
  readonly watches = WATCHES;

  reconcile(key: string, ctx: ControllerContext): void {
    try {
      if (key.startsWith("volume/")) this.syncVolume(key.slice("volume/".length), ctx);
      else if (key.startsWith("claim/")) this.syncClaim(key.slice("claim/".length), ctx);
    } catch (e) {
      // Someone else changed the object meanwhile: the watch brings it back.
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private syncClaim(nsName: string, ctx: ControllerContext): void {
    const slash = nsName.indexOf("/");
    let claim = ctx.store.find<PersistentVolumeClaim>("PersistentVolumeClaim", nsName.slice(0, slash), nsName.slice(slash + 1));
    if (!claim || claim.metadata.deletionTimestamp) return;
    if (claim.status?.phase === "Bound" && claim.spec.volumeName) {
      const pv = ctx.store.find<PersistentVolume>("PersistentVolume", undefined, claim.spec.volumeName);
      if (!pv || (pv.spec.claimRef?.uid && pv.spec.claimRef.uid !== claim.metadata.uid)) {
        setClaimPhase(ctx, claim, { ...claim.status, phase: "Lost" });
        ctx.events.record(claim, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!", SOURCE);
        return;
      }
      bind(ctx, claim, pv);
      return;
    }
    if (claim.status?.phase === "Lost") return;
    const classes = ctx.store.list<StorageClass>("StorageClass");
    if (claim.spec.storageClassName === undefined && !claim.spec.volumeName) {
      const defaults = classes.filter(isDefaultClass).sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""));
      if (defaults[0]) claim = ctx.store.update<PersistentVolumeClaim>({ ...claim, spec: { ...claim.spec, storageClassName: defaults[0].metadata.name } });
    }
    if (claim.spec.volumeName) this.syncPreBound(claim, ctx);
    else this.syncUnbound(claim, classes, ctx);
  }

  /** A claim naming its volume: bind to it if it can serve the claim. */
  private syncPreBound(claim: Stored<PersistentVolumeClaim>, ctx: ControllerContext): void {
    const name = claim.spec.volumeName!;
    const pv = ctx.store.find<PersistentVolume>("PersistentVolume", undefined, name);
    if (pv && (!pv.spec.claimRef || boundToClaim(pv, claim))) {
      const why = unsatisfiedBy(claim, pv);
      if (!why) return bind(ctx, claim, pv);
      ctx.events.record(claim, "Warning", "VolumeMismatch", `Cannot bind to requested volume "${name}": ${why}`, SOURCE);
    } else if (pv) {
      ctx.events.record(claim, "Warning", "FailedBinding", `volume "${name}" already bound to a different claim.`, SOURCE);
    }
    setClaimPhase(ctx, claim, { phase: "Pending" });
    ctx.requeueAfter(claimKey(claim.metadata.namespace, claim.metadata.name), PV_SYNC_PERIOD_MS);
  }

  private syncUnbound(claim: Stored<PersistentVolumeClaim>, classes: readonly Stored<StorageClass>[], ctx: ControllerContext): void {
    const className = claimClass(claim);
    const sc = classes.find((c) => c.metadata.name === className);
    const key = claimKey(claim.metadata.namespace, claim.metadata.name);
    if (sc?.volumeBindingMode === "WaitForFirstConsumer" && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
      const consumer = ctx.store.list<Pod>("Pod", { namespace: claim.metadata.namespace }).find((p) => p.spec.nodeName && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
      if (!consumer) {
        ctx.events.record(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding", SOURCE);
        setClaimPhase(ctx, claim, { phase: "Pending" });
        return;
      }
      // The scheduler's volume binding plugin records the node it chose for the provisioner.
      claim = ctx.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [ANN_SELECTED_NODE]: consumer.spec.nodeName! } } });
    }
    const match = findBestMatch(claim, ctx.store.list<PersistentVolume>("PersistentVolume"));
    if (match) return bind(ctx, claim, match);
    setClaimPhase(ctx, claim, { phase: "Pending" });
    ctx.requeueAfter(key, PV_SYNC_PERIOD_MS);
    if (className === "") {
      ctx.events.record(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set", SOURCE);
      return;
    }
    if (!sc) {
      ctx.events.record(claim, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io "${className}" not found`, SOURCE);
      return;
    }
    if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== sc.provisioner) {
      const annotations = { ...claim.metadata.annotations, [ANN_STORAGE_PROVISIONER]: sc.provisioner!, [ANN_BETA_STORAGE_PROVISIONER]: sc.provisioner! };
      ctx.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, annotations } });
    }
    ctx.events.record(claim, "Normal", "ExternalProvisioning",
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`, SOURCE);
  }

  private syncVolume(name: string, ctx: ControllerContext): void {
    const pv = ctx.store.find<PersistentVolume>("PersistentVolume", undefined, name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec.claimRef;
    if (!ref) {
      setVolumePhase(ctx, pv, "Available");
      return;
    }
    const claim = ctx.store.find<PersistentVolumeClaim>("PersistentVolumeClaim", ref.namespace ?? "default", ref.name ?? "");
    if (!ref.uid) {
      // Pre-bound by an administrator: available to that one claim, which binds it.
      if (pv.status?.phase !== "Bound") setVolumePhase(ctx, pv, "Available");
      return;
    }
    if (claim && claim.metadata.uid === ref.uid) {
      if (claim.spec.volumeName === name) setVolumePhase(ctx, pv, "Bound");
      return;
    }
    // The claim is gone: the volume is released, then reclaimed by its policy.
    if (pv.status?.phase === "Failed") return;
    const released = setVolumePhase(ctx, pv, "Released");
    const policy = pv.spec.persistentVolumeReclaimPolicy ?? "Retain";
    if (policy !== "Delete") return;
    // A provisioned volume is its provisioner's to delete; nothing in-tree can delete an NFS or hostPath one.
    if (pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]) return;
    const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
    setVolumePhase(ctx, released, "Failed", message);
    ctx.events.record(pv, "Warning", "VolumeFailedDelete", message, SOURCE);
  }
}
