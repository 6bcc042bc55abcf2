/**
 * Storage kinds: PersistentVolume, PersistentVolumeClaim (core/v1) and StorageClass
 * (storage.k8s.io/v1). Defaults (Retain, Filesystem, Pending, Delete, Immediate), the checks
 * learners trip on (capacity, access modes, a volume source, requested storage), and their
 * tables, including `(default)` after the default StorageClass's name.
 *
 * @example
 * // a PVC without resources:
 * // spec.resources[storage]: Required value
 */
import type { PersistentVolume, PersistentVolumeClaim } from "../types/core";
import type { StorageClass } from "../types/other";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, notSupported, required } from "../validation/field";
import { nameIsDNSSubdomain, nameIsPathSegment, validateImmutable } from "../validation/meta";
import { defineKind } from "./strategy";

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const SHORT_MODES: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

/** `helper.GetAccessModesAsString`: RWO,ROX,RWX,RWOP in that fixed order. */
function accessModes(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"].filter((m) => set.has(m)).map((m) => SHORT_MODES[m]).join(",");
}

function validateAccessModes(modes: readonly string[] | undefined): FieldError[] {
  const path = fieldPath("spec", "accessModes");
  if ((modes ?? []).length === 0) return [required(path)];
  return (modes ?? []).filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(path, m, ACCESS_MODES));
}

const PV_SOURCES = ["hostPath", "nfs", "local", "csi", "iscsi", "fc", "cephfs", "rbd"];

/** The PersistentVolume registry strategy. */
export const persistentVolumeStrategy = defineKind<PersistentVolume>({
  kind: "PersistentVolume",
  nameValidator: nameIsPathSegment,
  defaults(pv) {
    if (!pv.spec.persistentVolumeReclaimPolicy) pv.spec.persistentVolumeReclaimPolicy = "Retain";
    pv.spec.volumeMode ??= "Filesystem";
    pv.status = { ...pv.status, phase: pv.status?.phase || "Pending" };
  },
  validateSpec(pv) {
    const errs = validateAccessModes(pv.spec.accessModes);
    if (!pv.spec.capacity) errs.push(required(fieldPath("spec", "capacity")));
    else if (pv.spec.capacity.storage === undefined) errs.push(required(fieldPath("spec", "capacity").key("storage")));
    if (!PV_SOURCES.some((s) => pv.spec[s] !== undefined)) errs.push(required(fieldPath("spec"), "must specify a volume type"));
    return errs;
  },
  statusSubresource: true,
  table: {
    columns: [
      col("Name"), col("Capacity"), col("Access Modes"), col("Reclaim Policy"), col("Status"), col("Claim"), col("StorageClass"),
      col("VolumeAttributesClass"), col("Reason"), col("Age"), col("VolumeMode", "string", 1),
    ],
    cells(pv, now) {
      const claim = pv.spec.claimRef ? `${pv.spec.claimRef.namespace ?? ""}/${pv.spec.claimRef.name ?? ""}` : "";
      return [
        pv.metadata.name ?? "",
        String(pv.spec.capacity?.storage ?? "0"),
        accessModes(pv.spec.accessModes),
        pv.spec.persistentVolumeReclaimPolicy ?? "",
        pv.metadata.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? ""),
        claim,
        pv.spec.storageClassName ?? "",
        pv.spec.volumeAttributesClassName ?? "<unset>",
        pv.status?.reason ?? "",
        age(pv.metadata.creationTimestamp, now),
        pv.spec.volumeMode ?? "<unset>",
      ];
    },
  },
});

/** The PersistentVolumeClaim registry strategy. */
export const persistentVolumeClaimStrategy = defineKind<PersistentVolumeClaim>({
  kind: "PersistentVolumeClaim",
  nameValidator: nameIsDNSSubdomain,
  defaults(pvc) {
    pvc.spec.volumeMode ??= "Filesystem";
  },
  prepareForCreate(pvc) {
    pvc.status = { phase: "Pending" };
  },
  validateSpec(pvc) {
    const errs = validateAccessModes(pvc.spec.accessModes);
    if (pvc.spec.resources?.requests?.storage === undefined) errs.push(required(fieldPath("spec", "resources").key("storage")));
    return errs;
  },
  statusSubresource: true,
  table: {
    columns: [
      col("Name"), col("Status"), col("Volume"), col("Capacity"), col("Access Modes"), col("StorageClass"),
      col("VolumeAttributesClass"), col("Age"), col("VolumeMode", "string", 1),
    ],
    cells(pvc, now) {
      const bound = Boolean(pvc.spec.volumeName);
      return [
        pvc.metadata.name ?? "",
        pvc.metadata.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? ""),
        pvc.spec.volumeName ?? "",
        bound ? String(pvc.status?.capacity?.storage ?? "0") : "",
        bound ? accessModes(pvc.status?.accessModes) : "",
        pvc.spec.storageClassName ?? "",
        pvc.spec.volumeAttributesClassName ?? "<unset>",
        age(pvc.metadata.creationTimestamp, now),
        pvc.spec.volumeMode ?? "<unset>",
      ];
    },
  },
});

/** Whether a StorageClass is the cluster's default (either annotation). */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata.annotations ?? {};
  return a["storageclass.kubernetes.io/is-default-class"] === "true" || a["storageclass.beta.kubernetes.io/is-default-class"] === "true";
}

/** The StorageClass registry strategy. */
export const storageClassStrategy = defineKind<StorageClass>({
  kind: "StorageClass",
  nameValidator: nameIsDNSSubdomain,
  defaults(sc) {
    if (!sc.reclaimPolicy) sc.reclaimPolicy = "Delete";
    if (!sc.volumeBindingMode) sc.volumeBindingMode = "Immediate";
  },
  validateSpec(sc) {
    const errs: FieldError[] = [];
    if (!sc.provisioner) errs.push(required(fieldPath("provisioner")));
    if (!["Delete", "Retain"].includes(sc.reclaimPolicy ?? "")) errs.push(notSupported(fieldPath("reclaimPolicy"), sc.reclaimPolicy ?? "", ["Delete", "Retain"]));
    if (!["Immediate", "WaitForFirstConsumer"].includes(sc.volumeBindingMode ?? "")) {
      errs.push(notSupported(fieldPath("volumeBindingMode"), sc.volumeBindingMode ?? "", ["Immediate", "WaitForFirstConsumer"]));
    }
    return errs;
  },
  validateUpdate: (sc, old) => [
    ...validateImmutable(sc.provisioner, old.provisioner, fieldPath("provisioner"), sc.provisioner ?? ""),
    ...validateImmutable(sc.parameters, old.parameters, fieldPath("parameters"), { go: "map[string]string{...}" }),
  ],
  table: {
    columns: [col("Name"), col("Provisioner"), col("ReclaimPolicy"), col("VolumeBindingMode"), col("AllowVolumeExpansion", "string"), col("Age")],
    cells: (sc, now) => [
      isDefaultClass(sc) ? `${sc.metadata.name} (default)` : (sc.metadata.name ?? ""),
      sc.provisioner ?? "",
      sc.reclaimPolicy ?? "Delete",
      sc.volumeBindingMode ?? "Immediate",
      sc.allowVolumeExpansion ?? false,
      age(sc.metadata.creationTimestamp, now),
    ],
  },
});
