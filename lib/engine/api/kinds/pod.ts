/**
 * The Pod registry strategy (`pkg/registry/core/pod/strategy.go`): `SetDefaults_Pod`,
 * admission, status reset to Pending with a QoS class, `ValidatePodCreate`/`ValidatePodUpdate`
 * (only images, activeDeadlineSeconds and added tolerations may change), graceful deletion
 * (`CheckGracefulDelete`), selectable fields and the table.
 *
 * @example
 * store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web" },
 *   spec: { containers: [{ name: "web", image: "nginx" }] } });
 * // spec.restartPolicy "Always", status.phase "Pending", status.qosClass "BestEffort"
 */
import { equalPlain } from "../../util/plain";
import type { Stored } from "../types/meta";
import type { Container, Pod } from "../types/pod";
import { type FieldError, fieldPath, forbidden, invalid, required } from "../validation/field";
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from "../validation/meta";
import { inclusiveRangeError } from "../validation/strings";
import { admitPod } from "./pod-admission";
import { podTable } from "./pod-table";
import { defaultPodSpec } from "./podspec-defaults";
import { validatePodSpec } from "./podspec-validation";
import { defineKind } from "./strategy";

/** `SetDefaults_Pod`: requests from limits, service links, host ports under hostNetwork. */
function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    c.resources!.requests ??= {};
    for (const [k, v] of Object.entries(limits)) c.resources!.requests[k] ??= v;
  }
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
  defaultPodSpec(spec);
}

/** `qos.GetPodQOS` over cpu and memory. */
export function podQOSClass(pod: Pod): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers: Container[] = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ["cpu", "memory"]) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

function validateOnlyForPod(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const spec = pod.spec;
  for (const [list, name] of [[spec.containers ?? [], "containers"], [spec.initContainers ?? [], "initContainers"]] as const) {
    list.forEach((c, i) => {
      if (c.image !== undefined && c.image !== c.image.trim()) {
        errs.push(invalid(fieldPath("spec", name).index(i).child("image"), c.image, "must not have leading or trailing whitespace"));
      }
    });
  }
  return errs;
}

/** `validatePodMetadataAndSpec`. */
function validateMetadataAndSpec(pod: Pod): FieldError[] {
  return [
    ...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain, fieldPath("metadata")),
    ...validatePodSpec(pod.spec, fieldPath("spec")),
    ...validateOnlyForPod(pod),
  ];
}

const UPDATABLE = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/** A compact stand-in for Go's `cmp.Diff` of two specs: one `-`/`+` pair per changed field. */
function specDiff(prev: unknown, next: unknown, path = ""): string[] {
  if (equalPlain(prev, next)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === "object";
  if (isObj(prev) && isObj(next) && Array.isArray(prev) === Array.isArray(next)) {
    const a = prev as Record<string, unknown>;
    const b = next as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => specDiff(a[k], b[k], Array.isArray(prev) ? `${path}[${k}]` : path ? `${path}.${k}` : k));
  }
  return [`- \t${path}: ${JSON.stringify(prev) ?? "nil"}`, `+ \t${path}: ${JSON.stringify(next) ?? "nil"}`];
}

/** `ValidatePodUpdate`. */
function validatePodUpdate(pod: Pod, old: Stored<Pod>): FieldError[] {
  const metaErrs = validateObjectMetaUpdate(pod.metadata, old.metadata, fieldPath("metadata"));
  // The spec as stored (a label or annotation write, a controller's patch): it passed
  // validatePodSpec, a function of the spec alone, when it was stored, and it changes nothing
  // the rules below look at. Only the metadata is new.
  if (equalPlain(pod.spec, old.spec)) return [...metaErrs, ...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain, fieldPath("metadata")), ...validateOnlyForPod(pod)];
  const errs = [...metaErrs, ...validateMetadataAndSpec(pod)];
  const specPath = fieldPath("spec");
  for (const name of ["containers", "initContainers"] as const) {
    const next = pod.spec[name] ?? [];
    const prev = old.spec[name] ?? [];
    if (next.length !== prev.length) return [...errs, forbidden(specPath.child(name), "pod updates may not add or remove containers")];
    next.forEach((c, i) => {
      if (!c.image) errs.push(required(specPath.child(name).index(i).child("image")));
    });
  }
  const ads = pod.spec.activeDeadlineSeconds;
  if (ads !== undefined) {
    if (ads < 0 || ads > 2147483647) return [...errs, invalid(specPath.child("activeDeadlineSeconds"), ads, inclusiveRangeError(0, 2147483647))];
    const prev = old.spec.activeDeadlineSeconds;
    if (prev !== undefined && prev < ads) {
      return [...errs, invalid(specPath.child("activeDeadlineSeconds"), ads, "must be less than or equal to previous value")];
    }
  } else if (old.spec.activeDeadlineSeconds !== undefined) {
    errs.push(invalid(specPath.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
  }
  const prevTolerations = old.spec.tolerations ?? [];
  const nextTolerations = pod.spec.tolerations ?? [];
  const kept = prevTolerations.every((t) => nextTolerations.some((n) => equalPlain({ ...n, tolerationSeconds: 0 }, { ...t, tolerationSeconds: 0 })));
  if (!kept) errs.push(forbidden(specPath.child("tolerations"), "existing toleration can not be modified except its tolerationSeconds"));
  // Munge the updatable fields back to their old values; anything left is a forbidden change.
  const munged = {
    ...pod.spec,
    containers: pod.spec.containers.map((c, i) => ({ ...c, image: old.spec.containers[i]?.image })),
    initContainers: pod.spec.initContainers?.map((c, i) => ({ ...c, image: old.spec.initContainers?.[i]?.image })),
    activeDeadlineSeconds: old.spec.activeDeadlineSeconds,
    tolerations: old.spec.tolerations,
  };
  if (!equalPlain(munged, old.spec)) {
    const diff = ["  core.PodSpec{", ...specDiff(old.spec, munged), "  }"].join("\n");
    errs.push(forbidden(specPath, `pod updates may not change fields other than ${UPDATABLE.join(",")}\n${diff}\n`));
  }
  return errs;
}

/** The Pod registry strategy, with the admission chain new pods pass through. */
export const podStrategy = defineKind<Pod>({
  kind: "Pod",
  nameValidator: nameIsDNSSubdomain,
  defaults: defaultPod,
  prepareForCreate(pod, ctx) {
    admitPod(pod, ctx);
    pod.status = { phase: "Pending", qosClass: podQOSClass(pod) };
  },
  validateFull(pod, old) {
    if (old) return validatePodUpdate(pod, old);
    const errs = [...validateMetadataAndSpec(pod)];
    if ((pod.spec as { ephemeralContainers?: unknown[] }).ephemeralContainers?.length) {
      errs.push(forbidden(fieldPath("spec", "ephemeralContainers"), "cannot be set on create"));
    }
    return errs;
  },
  statusSubresource: true,
  gracePeriod(pod, requested) {
    // CheckGracefulDelete: unscheduled or finished pods go at once; negative means 1.
    let period = requested ?? pod.spec.terminationGracePeriodSeconds ?? 0;
    if (!pod.spec.nodeName) period = 0;
    const phase = pod.status?.phase;
    if (phase === "Failed" || phase === "Succeeded") period = 0;
    return period < 0 ? 1 : period;
  },
  customFieldConversion: true,
  fieldLabels: [
    "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
    "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
  ],
  selectableFields: (pod) => ({
    "spec.nodeName": pod.spec.nodeName ?? "",
    "spec.restartPolicy": pod.spec.restartPolicy ?? "",
    "spec.schedulerName": pod.spec.schedulerName ?? "",
    "spec.serviceAccountName": pod.spec.serviceAccountName ?? "",
    "spec.hostNetwork": String(pod.spec.hostNetwork === true),
    "status.phase": pod.status?.phase ?? "",
    "status.podIP": pod.status?.podIPs?.[0]?.ip ?? "",
    "status.nominatedNodeName": pod.status?.nominatedNodeName ?? "",
  }),
  table: podTable,
});
