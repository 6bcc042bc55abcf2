/**
 * RBAC (`rbac.authorization.k8s.io/v1`): Role, ClusterRole, RoleBinding, ClusterRoleBinding.
 * Path-segment names, rule and subject validation, the immutable `roleRef`, the bindings'
 * NAME ROLE AGE table (wide: USERS GROUPS SERVICEACCOUNTS) and the default NAME CREATED AT
 * table for roles, which have no printer upstream.
 *
 * @example
 * // a RoleBinding pointing at kind "Foo":
 * // roleRef.kind: Unsupported value: "Foo": supported values: "Role", "ClusterRole"
 */
import type { PolicyRule, Role, RoleBinding, Subject } from "../types/other";
import { age, createdAtCells, createdAtColumns } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, FieldPath, fieldPath, goQuote, goStringSlice, invalid, notSupported, required } from "../validation/field";
import { nameIsDNSSubdomain, nameIsPathSegment } from "../validation/meta";
import { type KindStrategy, defineKind } from "./strategy";

function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((r, i) => {
    const p = fieldPath("rules").index(i);
    if ((r.verbs ?? []).length === 0) errs.push(required(p.child("verbs"), "verbs must contain at least one value"));
    const nonResource = (r.nonResourceURLs ?? []).length > 0;
    if (nonResource) {
      const urls = goStringSlice(r.nonResourceURLs);
      if (namespaced) errs.push(invalid(p.child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"));
      if ((r.apiGroups ?? []).length > 0 || (r.resources ?? []).length > 0 || (r.resourceNames ?? []).length > 0) {
        errs.push(invalid(p.child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs"));
      }
      return;
    }
    if ((r.apiGroups ?? []).length === 0) errs.push(required(p.child("apiGroups"), "resource rules must supply at least one api group"));
    if ((r.resources ?? []).length === 0) errs.push(required(p.child("resources"), "resource rules must supply at least one resource"));
  });
  return errs;
}

function roleStrategy(kind: "Role" | "ClusterRole"): KindStrategy {
  return defineKind<Role>({
    kind,
    nameValidator: nameIsPathSegment,
    validateSpec: (role) => validateRules(role.rules, kind === "Role"),
    table: { columns: createdAtColumns, cells: (role) => createdAtCells(role) },
  });
}

function validateSubject(s: Subject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(path.child("name")));
  switch (s.kind) {
    case "ServiceAccount":
      if (s.name) for (const m of nameIsDNSSubdomain(s.name, false)) errs.push(invalid(path.child("name"), s.name, m));
      if (s.apiGroup) errs.push(notSupported(path.child("apiGroup"), s.apiGroup, [""]));
      if (!namespaced && !s.namespace) errs.push(required(path.child("namespace")));
      break;
    case "User":
    case "Group":
      if (s.apiGroup !== "rbac.authorization.k8s.io") errs.push(notSupported(path.child("apiGroup"), s.apiGroup ?? "", ["rbac.authorization.k8s.io"]));
      break;
    default:
      errs.push(notSupported(path.child("kind"), s.kind ?? "", ["ServiceAccount", "User", "Group"]));
  }
  return errs;
}

function validateBinding(rb: RoleBinding, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = rb.roleRef ?? { apiGroup: "", kind: "", name: "" };
  if (ref.apiGroup !== "rbac.authorization.k8s.io") errs.push(notSupported(fieldPath("roleRef", "apiGroup"), ref.apiGroup ?? "", ["rbac.authorization.k8s.io"]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(ref.kind)) errs.push(notSupported(fieldPath("roleRef", "kind"), ref.kind ?? "", kinds));
  if (!ref.name) errs.push(required(fieldPath("roleRef", "name")));
  else for (const m of nameIsPathSegment(ref.name, false)) errs.push(invalid(fieldPath("roleRef", "name"), ref.name, m));
  (rb.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, fieldPath("subjects").index(i))));
  return errs;
}

function goRoleRef(ref: RoleBinding["roleRef"]): { go: string } {
  return { go: `rbac.RoleRef{APIGroup:${goQuote(ref.apiGroup ?? "")}, Kind:${goQuote(ref.kind ?? "")}, Name:${goQuote(ref.name ?? "")}}` };
}

/** `rbac.SubjectsStrings`: users, groups and `namespace/name` service accounts. */
function subjectStrings(rb: RoleBinding): [string, string, string] {
  const subjects = rb.subjects ?? [];
  const pick = (kind: string) => subjects.filter((s) => s.kind === kind);
  return [
    pick("User").map((s) => s.name).join(", "),
    pick("Group").map((s) => s.name).join(", "),
    pick("ServiceAccount").map((s) => `${s.namespace ?? ""}/${s.name}`).join(", "),
  ];
}

/** `SetDefaults_RoleRef` / `SetDefaults_Subject`: the RBAC group where a kind implies it. */
function defaultBinding(rb: RoleBinding): void {
  if (rb.roleRef && !rb.roleRef.apiGroup) rb.roleRef.apiGroup = "rbac.authorization.k8s.io";
  for (const s of rb.subjects ?? []) {
    if (!s.apiGroup && (s.kind === "User" || s.kind === "Group")) s.apiGroup = "rbac.authorization.k8s.io";
  }
}

function bindingStrategy(kind: "RoleBinding" | "ClusterRoleBinding"): KindStrategy {
  return defineKind<RoleBinding>({
    kind,
    nameValidator: nameIsPathSegment,
    defaults: defaultBinding,
    validateSpec: (rb) => validateBinding(rb, kind === "RoleBinding"),
    validateUpdate: (rb, old) =>
      JSON.stringify(rb.roleRef) === JSON.stringify(old.roleRef) ? [] : [invalid(fieldPath("roleRef"), goRoleRef(rb.roleRef), "cannot change roleRef")],
    table: {
      columns: [col("Name"), col("Role"), col("Age"), col("Users", "string", 1), col("Groups", "string", 1), col("ServiceAccounts", "string", 1)],
      cells: (rb, now) => [
        rb.metadata.name ?? "",
        `${rb.roleRef?.kind ?? ""}/${rb.roleRef?.name ?? ""}`,
        age(rb.metadata.creationTimestamp, now),
        ...subjectStrings(rb),
      ],
    },
  });
}

/** Role, ClusterRole, RoleBinding and ClusterRoleBinding strategies. */
export const roleStrategies: readonly KindStrategy[] = [
  roleStrategy("Role"),
  roleStrategy("ClusterRole"),
  bindingStrategy("RoleBinding"),
  bindingStrategy("ClusterRoleBinding"),
];
