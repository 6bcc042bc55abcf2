/**
 * The Node kind: the NAME STATUS ROLES AGE VERSION table (wide: addresses, OS image, kernel,
 * runtime), roles from `node-role.kubernetes.io/*` labels, `SchedulingDisabled` for cordoned
 * nodes, and the `spec.unschedulable` field selector.
 *
 * @example
 * nodeStrategy.table.cells(node, now); // ["node-1", "Ready", "control-plane", "5m", "v1.32.4", "172.18.0.2", …]
 */
import type { Node } from "../types/core";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, notSupported } from "../validation/field";
import { nameIsDNSSubdomain } from "../validation/meta";
import { defineKind } from "./strategy";

function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  const status = ready ? [ready.status === "True" ? "Ready" : "NotReady"] : ["Unknown"];
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

/** `findNodeRoles`: `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role`. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return [...roles].sort();
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

function validateNodeSpec(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  (node.spec?.taints ?? []).forEach((t, i) => {
    if (!["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect)) {
      errs.push(notSupported(fieldPath("spec", "taints").index(i).child("effect"), t.effect ?? "", ["NoSchedule", "PreferNoSchedule", "NoExecute"]));
    }
  });
  return errs;
}

/** The Node registry strategy. */
export const nodeStrategy = defineKind<Node>({
  kind: "Node",
  nameValidator: nameIsDNSSubdomain,
  defaults(node) {
    // SetDefaults_NodeStatus: allocatable defaults to capacity.
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
  },
  validateSpec: validateNodeSpec,
  statusSubresource: true,
  customFieldConversion: true,
  fieldLabels: ["spec.unschedulable"],
  selectableFields: (node) => ({ "spec.unschedulable": String(node.spec?.unschedulable === true) }),
  table: {
    columns: [
      col("Name"), col("Status"), col("Roles"), col("Age"), col("Version"),
      col("Internal-IP", "string", 1), col("External-IP", "string", 1), col("OS-Image", "string", 1),
      col("Kernel-Version", "string", 1), col("Container-Runtime", "string", 1),
    ],
    cells(node, now) {
      const info = node.status?.nodeInfo ?? {};
      return [
        node.metadata.name ?? "",
        nodeStatus(node),
        nodeRoles(node).join(",") || "<none>",
        age(node.metadata.creationTimestamp, now),
        info.kubeletVersion ?? "",
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        info.osImage || "<unknown>",
        info.kernelVersion || "<unknown>",
        info.containerRuntimeVersion || "<unknown>",
      ];
    },
  },
});
