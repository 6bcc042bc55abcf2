/**
 * Describers for configuration, identity and storage objects: Namespace, ConfigMap, Secret,
 * ServiceAccount, Role/ClusterRole (rules broken down per resource as kubectl's rbac helper
 * does), RoleBinding/ClusterRoleBinding, PersistentVolume(Claim) and StorageClass.
 *
 * @example
 * describeSecret(w, secret);   // sizes only, never the values
 */
import type {
  ConfigMap, Namespace, ObjectStore, PersistentVolume, PersistentVolumeClaim, Pod, PolicyRule, Role, RoleBinding, Secret,
  ServiceAccount, StorageClass, Stored,
} from "../../api";
import { decodeBase64 } from "../../util/base64";
import { type DescribeWriter, formatLabels, goSlice, printAnnotations, printLabels, printList, rfc1123z, since } from "./writer";

/** `describeNamespace` (quotas and limit ranges are not served: both say none). */
export function describeNamespace(w: DescribeWriter, ns: Stored<Namespace>): void {
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  printLabels(w, "Labels", ns.metadata.labels);
  printAnnotations(w, "Annotations", ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ""}\n`);
  if (ns.status?.conditions?.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t------------------\t------\t-------\n");
    for (const c of ns.status.conditions) {
      w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ""}\t${c.message ?? ""}\n`);
    }
  }
  w.write(0, "\n");
  w.write(0, "No resource quota.\n");
  w.write(0, "\n");
  w.write(0, "No LimitRange resource.\n");
}

/** `ConfigMapDescriber` (keys sorted). */
export function describeConfigMap(w: DescribeWriter, cm: Stored<ConfigMap>): void {
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", cm.metadata.labels);
  printAnnotations(w, "Annotations", cm.metadata.annotations);
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(cm.data ?? {}).sort()) w.write(0, `${k}:\n----\n${cm.data![k]}\n\n`);
  w.write(0, "\nBinaryData\n====\n");
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${decodedLength(cm.binaryData![k])} bytes\n`);
  w.write(0, "\n");
}

/** `describeSecret`: byte counts, except a service-account token, which is shown. */
export function describeSecret(w: DescribeWriter, s: Stored<Secret>): void {
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", s.metadata.labels);
  printAnnotations(w, "Annotations", s.metadata.annotations);
  w.write(0, `\nType:\t${s.type ?? ""}\n`);
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(s.data ?? {}).sort()) {
    if (k === "token" && s.type === "kubernetes.io/service-account-token") w.write(0, `${k}:\t${atobText(s.data![k])}\n`);
    else w.write(0, `${k}:\t${decodedLength(s.data![k])} bytes\n`);
  }
}

/** The bytes a base64 data value holds (the store keeps Secret and binary data encoded). */
function decoded(b64: string): number[] {
  const r = decodeBase64(b64);
  return r.ok ? [...r.bytes] : [];
}

const decodedLength = (b64: string) => decoded(b64).length;
const atobText = (b64: string) => String.fromCharCode(...decoded(b64));

/** `describeServiceAccount`. */
export function describeServiceAccount(w: DescribeWriter, sa: Stored<ServiceAccount>): void {
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", sa.metadata.labels);
  printAnnotations(w, "Annotations", sa.metadata.annotations);
  const pulls = (sa.imagePullSecrets ?? []).map((s) => s.name ?? "");
  if (pulls.length === 0) w.write(0, "Image pull secrets:\t<none>\n");
  pulls.forEach((name, i) => w.write(0, `${i === 0 ? "Image pull secrets:" : "                   "}\t${name}\n`));
}

/** `CombineResourceGroup`: `deployments.apps`, `pods/log`. */
function resourceGroup(resources: readonly string[] | undefined, groups: readonly string[] | undefined): string {
  if (!resources?.length) return "";
  const [res, sub] = resources[0].split("/", 2);
  let s = res;
  if (groups?.length && groups[0] !== "") s += `.${groups[0]}`;
  return sub !== undefined ? `${s}/${resources[0].slice(res.length + 1)}` : s;
}

/** rbac.BreakdownRule + CompactRules + SortableRuleSlice, for the rule shapes learners write. */
function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const r of rules) {
    for (const g of r.apiGroups?.length ? r.apiGroups : [undefined]) {
      for (const res of r.resources ?? []) {
        if (r.resourceNames?.length) for (const n of r.resourceNames) out.push({ apiGroups: g === undefined ? [] : [g], resources: [res], resourceNames: [n], verbs: r.verbs });
        else out.push({ apiGroups: g === undefined ? [] : [g], resources: [res], verbs: r.verbs });
      }
    }
    for (const url of r.nonResourceURLs ?? []) out.push({ nonResourceURLs: [url], verbs: r.verbs });
  }
  const key = (r: PolicyRule) => `${goSlice(r.resources)}${goSlice(r.apiGroups)}${goSlice(r.resourceNames)}${goSlice(r.nonResourceURLs)}${goSlice(r.verbs)}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Role and ClusterRole. */
export function describeRole(w: DescribeWriter, role: Stored<Role>): void {
  w.write(0, `Name:\t${role.metadata.name}\n`);
  printLabels(w, "Labels", role.metadata.labels);
  printAnnotations(w, "Annotations", role.metadata.annotations);
  w.write(0, "PolicyRule:\n");
  w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  w.write(1, "---------\t-----------------\t--------------\t-----\n");
  for (const r of compactRules(role.rules ?? [])) {
    w.write(1, `${resourceGroup(r.resources, r.apiGroups)}\t${goSlice(r.nonResourceURLs)}\t${goSlice(r.resourceNames)}\t${goSlice(r.verbs)}\n`);
  }
}

/** RoleBinding and ClusterRoleBinding. */
export function describeRoleBinding(w: DescribeWriter, b: Stored<RoleBinding>): void {
  w.write(0, `Name:\t${b.metadata.name}\n`);
  printLabels(w, "Labels", b.metadata.labels);
  printAnnotations(w, "Annotations", b.metadata.annotations);
  w.write(0, "Role:\n");
  w.write(1, `Kind:\t${b.roleRef.kind}\n`);
  w.write(1, `Name:\t${b.roleRef.name}\n`);
  w.write(0, "Subjects:\n");
  w.write(1, "Kind\tName\tNamespace\n");
  w.write(1, "----\t----\t---------\n");
  for (const s of b.subjects ?? []) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ""}\n`);
}

const accessModes = (modes: readonly string[] | undefined) => {
  const short: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };
  return [...new Set(modes ?? [])].map((m) => short[m] ?? m).join(",");
};

/** `describePersistentVolume`. */
export function describePersistentVolume(w: DescribeWriter, pv: Stored<PersistentVolume>, now: number): void {
  const spec = pv.spec;
  w.write(0, `Name:\t${pv.metadata.name}\n`);
  printLabels(w, "Labels", pv.metadata.labels);
  printAnnotations(w, "Annotations", pv.metadata.annotations);
  w.write(0, `Finalizers:\t${goSlice(pv.metadata.finalizers)}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? ""}\n`);
  w.write(0, pv.metadata.deletionTimestamp ? `Status:\tTerminating (lasts ${since(pv.metadata.deletionTimestamp, now)})\n` : `Status:\t${pv.status?.phase ?? ""}\n`);
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ""}/${spec.claimRef.name ?? ""}` : ""}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ""}\n`);
  w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${spec.capacity?.storage ?? "0"}\n`);
  w.write(0, "Node Affinity:\t");
  w.line("<none>");
  w.write(0, `Message:\t${pv.status?.message ?? ""}\n`);
  w.write(0, "Source:\n");
  if (spec.hostPath) {
    w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type || "<none>"}\n`);
  } else if (spec.nfs) {
    w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server}\n    Path:\t${spec.nfs.path}\n    ReadOnly:\t${spec.nfs.readOnly === true}\n`);
  } else w.write(1, "<unknown>\n");
}

/** `describePersistentVolumeClaim`, with the pods that mount it. */
export function describePersistentVolumeClaim(w: DescribeWriter, store: ObjectStore, pvc: Stored<PersistentVolumeClaim>, now: number): void {
  const spec = pvc.spec;
  w.write(0, `Name:\t${pvc.metadata.name}\n`);
  w.write(0, `Namespace:\t${pvc.metadata.namespace ?? ""}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? ""}\n`);
  w.write(0, pvc.metadata.deletionTimestamp ? `Status:\tTerminating (lasts ${since(pvc.metadata.deletionTimestamp, now)})\n` : `Status:\t${pvc.status?.phase ?? ""}\n`);
  w.write(0, `Volume:\t${spec.volumeName ?? ""}\n`);
  printLabels(w, "Labels", pvc.metadata.labels);
  printAnnotations(w, "Annotations", pvc.metadata.annotations);
  w.write(0, `Finalizers:\t${goSlice(pvc.metadata.finalizers)}\n`);
  const bound = Boolean(spec.volumeName);
  w.write(0, `Capacity:\t${bound ? (pvc.status?.capacity?.storage ?? "0") : ""}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModes(pvc.status?.accessModes) : ""}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  const pods = store.list<Pod>("Pod", { namespace: pvc.metadata.namespace })
    .filter((p) => p.spec.volumes?.some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name))
    .map((p) => p.metadata.name)
    .sort();
  printList(w, "Used By", pods);
}

/** `describeStorageClass`. */
export function describeStorageClass(w: DescribeWriter, sc: Stored<StorageClass>): void {
  const isDefault = sc.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true" ||
    sc.metadata.annotations?.["storageclass.beta.kubernetes.io/is-default-class"] === "true";
  w.write(0, `Name:\t${sc.metadata.name}\n`);
  w.write(0, `IsDefaultClass:\t${isDefault ? "Yes" : "No"}\n`);
  w.write(0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${sc.allowVolumeExpansion === undefined ? "<unset>" : sc.allowVolumeExpansion ? "True" : "False"}\n`);
  if (!sc.mountOptions?.length) w.write(0, "MountOptions:\t<none>\n");
  else {
    w.write(0, "MountOptions:\n");
    for (const o of sc.mountOptions) w.write(1, `${o}\n`);
  }
  if (sc.reclaimPolicy) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
  if (sc.volumeBindingMode) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
}
