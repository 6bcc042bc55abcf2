/**
 * Leases (`coordination.k8s.io/v1`), which kubelets renew in `kube-node-lease`: a positive
 * lease duration and the NAME HOLDER AGE table.
 *
 * @example
 * leaseStrategy.table.cells(lease, now); // ["node-1", "node-1", "5m"]
 */
import type { Lease } from "../types/other";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { fieldPath, invalid } from "../validation/field";
import { nameIsDNSSubdomain } from "../validation/meta";
import { defineKind } from "./strategy";

/** The Lease registry strategy. */
export const leaseStrategy = defineKind<Lease>({
  kind: "Lease",
  nameValidator: nameIsDNSSubdomain,
  validateSpec(lease) {
    const d = lease.spec?.leaseDurationSeconds;
    return d !== undefined && d <= 0 ? [invalid(fieldPath("spec", "leaseDurationSeconds"), d, "must be greater than 0")] : [];
  },
  table: {
    columns: [col("Name"), col("Holder"), col("Age")],
    cells: (l, now) => [l.metadata.name ?? "", l.spec?.holderIdentity ?? "", age(l.metadata.creationTimestamp, now)],
  },
});
