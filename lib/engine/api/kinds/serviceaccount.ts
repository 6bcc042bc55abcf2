/**
 * The ServiceAccount kind: DNS-subdomain names and the NAME SECRETS AGE table (SECRETS is 0
 * since tokens are projected, not stored as Secrets, from v1.24 on).
 *
 * @example
 * serviceAccountStrategy.table.cells(sa, now); // ["default", 0, "5m"]
 */
import type { ServiceAccount } from "../types/core";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { nameIsDNSSubdomain } from "../validation/meta";
import { defineKind } from "./strategy";

/** The ServiceAccount registry strategy. */
export const serviceAccountStrategy = defineKind<ServiceAccount>({
  kind: "ServiceAccount",
  nameValidator: nameIsDNSSubdomain,
  table: {
    columns: [col("Name"), col("Secrets", "integer"), col("Age")],
    cells: (sa, now) => [sa.metadata.name ?? "", (sa.secrets ?? []).length, age(sa.metadata.creationTimestamp, now)],
  },
});
