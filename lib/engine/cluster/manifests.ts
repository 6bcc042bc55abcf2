import { parseAllDocuments } from "yaml";
import type { KubeObject, ObjectStore } from "../api";

/**
 * Creates every object of a multi-document YAML text in order, as the scenario loader and
 * add-on installer need (no kubectl semantics: these are the cluster's own objects).
 * Throws with the document's line on malformed YAML.
 */
export function createFromManifests(store: ObjectStore, text: string): void {
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      throw new Error(`manifest line ${err.linePos?.[0]?.line ?? "?"}: ${err.message.split("\n")[0]}`);
    }
    const obj = doc.toJS() as KubeObject | null;
    if (obj === null) continue;
    store.create(obj);
  }
}
