import { parseAllDocuments } from "yaml";
import type { KubeObject, ObjectStore } from "../api";
import { freezeDeep } from "../util/plain";

// Parsing is pure and slow (the add-ons are thousands of lines): a text parses once per process.
const parsed = new Map<string, readonly KubeObject[]>();
const PARSED_TEXTS = 16;

/** The objects of a multi-document YAML text, frozen; throws with the document's line on malformed YAML. */
function parseManifests(text: string): readonly KubeObject[] {
  let objects = parsed.get(text);
  if (objects) return objects;
  const list: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      throw new Error(`manifest line ${err.linePos?.[0]?.line ?? "?"}: ${err.message.split("\n")[0]}`);
    }
    const obj = doc.toJS() as KubeObject | null;
    if (obj !== null) list.push(obj);
  }
  objects = freezeDeep(list);
  if (parsed.size >= PARSED_TEXTS) parsed.delete(parsed.keys().next().value as string);
  parsed.set(text, objects);
  return objects;
}

/**
 * Creates every object of a multi-document YAML text in order, as the scenario loader and
 * add-on installer need (no kubectl semantics: these are the cluster's own objects).
 * Throws with the document's line on malformed YAML.
 */
export function createFromManifests(store: ObjectStore, text: string): void {
  for (const obj of parseManifests(text)) store.create(obj);
}
