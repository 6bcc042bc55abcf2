/**
 * Core `v1` Events: the namespace rule of legacy event validation, the `kubectl get events`
 * table (LAST SEEN TYPE REASON OBJECT MESSAGE; wide adds SUBOBJECT SOURCE FIRST SEEN COUNT NAME)
 * and the involvedObject/reason/type field selectors.
 *
 * @example
 * eventStrategy.table.cells(ev, now); // ["12s", "Normal", "Scheduled", "pod/web", "", "default-scheduler", "Successfully assigned default/web to node-1", "12s", 1, "web.17e2…"]
 */
import type { Event } from "../types/core";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, invalid } from "../validation/field";
import { nameIsPathSegment } from "../validation/meta";
import { defineKind } from "./strategy";

/** `legacyValidateEvent`: the event lives in its object's namespace. */
function validateEvent(ev: Event): FieldError[] {
  const involvedNs = ev.involvedObject?.namespace ?? "";
  const ns = ev.metadata.namespace ?? "";
  const ok = ev.eventTime ? true : involvedNs === "" ? ns === "" || ns === "default" : ns === involvedNs;
  return ok ? [] : [invalid(fieldPath("involvedObject", "namespace"), involvedNs, "does not match event.namespace")];
}

function source(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || "";
  const host = ev.source?.host || ev.reportingInstance || "";
  return host ? `${component}, ${host}` : component;
}

/** The core/v1 Event registry strategy. */
export const eventStrategy = defineKind<Event>({
  kind: "Event",
  nameValidator: nameIsPathSegment,
  validateSpec: validateEvent,
  customFieldConversion: true,
  fieldLabels: [
    "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
    "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
  ],
  selectableFields: (ev) => ({
    "involvedObject.kind": ev.involvedObject?.kind ?? "",
    "involvedObject.namespace": ev.involvedObject?.namespace ?? "",
    "involvedObject.name": ev.involvedObject?.name ?? "",
    "involvedObject.uid": ev.involvedObject?.uid ?? "",
    "involvedObject.apiVersion": ev.involvedObject?.apiVersion ?? "",
    "involvedObject.resourceVersion": ev.involvedObject?.resourceVersion ?? "",
    "involvedObject.fieldPath": ev.involvedObject?.fieldPath ?? "",
    reason: ev.reason ?? "",
    reportingComponent: ev.reportingComponent ?? "",
    source: ev.source?.component ?? "",
    type: ev.type ?? "",
  }),
  table: {
    columns: [
      col("Last Seen"), col("Type"), col("Reason"), col("Object"), col("Subobject", "string", 1), col("Source", "string", 1),
      col("Message"), col("First Seen", "string", 1), col("Count", "string", 1), { name: "Name", type: "string", format: "name", priority: 1 },
    ],
    cells(ev, now) {
      const first = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now);
      let last = ev.lastTimestamp ? age(ev.lastTimestamp, now) : first;
      let count = ev.count ?? 0;
      if (ev.series) {
        last = age(ev.series.lastObservedTime, now);
        count = ev.series.count;
      } else if (count === 0) count = 1;
      const kind = (ev.involvedObject?.kind ?? "").toLowerCase();
      const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
      return [
        last, ev.type ?? "", ev.reason ?? "", target, ev.involvedObject?.fieldPath ?? "", source(ev),
        (ev.message ?? "").trim(), first, count, ev.metadata.name ?? "",
      ];
    },
  },
});
