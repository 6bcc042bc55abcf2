/**
 * kubectl's generic describer, for kinds without a describer of their own (Lease,
 * PeerAuthentication, Event): name, namespace, labels, annotations, then every other field
 * as `Smart Label:  value`, nested maps indented, in sorted order.
 *
 * @example
 * describeGeneric(w, lease);   // "Name: …\nAPI Version:  coordination.k8s.io/v1\nKind:  Lease\n…"
 */
import type { KubeObject } from "../../api";
import { goNumber } from "../printers/gofmt";
import { type DescribeWriter, printAnnotations, printLabels } from "./writer";

const ACRONYMS = ["API", "URL", "UID", "OSB", "GUID"];

/** fatih/camelcase's `Split`: runs of lower case, upper case, digits and others; `HTMLParser` → `HTML`, `Parser`. */
function camelSplit(s: string): string[] {
  const kind = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = kind(c);
    if (k === last) runs[runs.length - 1].push(c);
    else runs.push([c]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (kind(runs[i][0]) === 2 && kind(runs[i + 1][0]) === 1) runs[i + 1].unshift(runs[i].pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(""));
}

/** describe.go's `smartLabelFor` (v1.32): `apiVersion` → `API Version`, `holderIdentity` → `Holder Identity`. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== "_")
    .map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(" ");
}

const SKIP = new Set([".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]);

/** Go's `%v` of a decoded JSON scalar. */
const scalar = (v: unknown) => (v === null || v === undefined ? "<nil>" : typeof v === "number" ? goNumber(v, "int64") : String(v));

function printContent(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.has(path) || value === undefined) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === "object" && !Array.isArray(child)) printContent(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${scalar(child)}\n`);
      }
    } else if (value !== null && typeof value === "object") {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, path);
    } else w.write(level, `${smartLabel(field)}:\t${scalar(value)}\n`);
  }
}

/** The generic describer's body (events are appended by the caller). */
export function describeGeneric(w: DescribeWriter, obj: KubeObject): void {
  w.write(0, `Name:\t${obj.metadata.name ?? ""}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ""}\n`);
  printLabels(w, "Labels", obj.metadata.labels);
  printAnnotations(w, "Annotations", obj.metadata.annotations);
  printContent(w, 0, obj as unknown as Record<string, unknown>, "");
}
