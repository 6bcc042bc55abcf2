/**
 * List filtering: label and field selectors compiled once per list into a predicate, with the
 * apiserver's BadRequest texts for selectors that do not parse or name unsupported fields.
 *
 * @example
 * const keep = compileListFilter(resourceForKind("Pod")!, strategyFor("Pod")!,
 *   { labelSelector: "app=web", fieldSelector: "status.phase=Running" });
 */
import { badRequestError } from "../errors";
import type { KindStrategy } from "../kinds/strategy";
import type { ResourceInfo } from "../resources";
import { FieldSelectorError, matchesFields, parseFieldSelector, unsupportedFieldMessage } from "../selectors/fields";
import { LabelSelectorError, type Selector, parseLabelSelector } from "../selectors/labels";
import type { Stored } from "../types/meta";

/** What a list may be narrowed by. */
export interface ListOptions {
  /** Namespace to list in; omit for all namespaces (ignored for cluster-scoped kinds). */
  namespace?: string;
  /** `kubectl -l` text, or an already-parsed selector. */
  labelSelector?: string | Selector;
  /** `kubectl --field-selector` text. */
  fieldSelector?: string;
}

/** A predicate for `options`, or undefined when nothing filters. Throws BadRequest ApiErrors. */
export function compileListFilter(
  info: ResourceInfo,
  strategy: KindStrategy,
  options: ListOptions,
): ((obj: Stored) => boolean) | undefined {
  let labels: Selector | undefined;
  if (typeof options.labelSelector === "string") {
    try {
      labels = parseLabelSelector(options.labelSelector);
    } catch (e) {
      if (e instanceof LabelSelectorError) throw badRequestError(e.message);
      throw e;
    }
  } else labels = options.labelSelector;
  let fieldCheck: ((obj: Stored) => boolean) | undefined;
  if (options.fieldSelector) {
    let sel;
    try {
      sel = parseFieldSelector(options.fieldSelector);
    } catch (e) {
      if (e instanceof FieldSelectorError) throw badRequestError(e.message);
      throw e;
    }
    const supported = new Set(["metadata.name", "metadata.namespace", ...(strategy.fieldLabels ?? [])]);
    for (const t of sel.terms) {
      if (!supported.has(t.field)) throw badRequestError(unsupportedFieldMessage(t.field, strategy.customFieldConversion === true));
    }
    fieldCheck = (obj) =>
      matchesFields(sel, {
        "metadata.name": obj.metadata.name,
        "metadata.namespace": info.namespaced ? (obj.metadata.namespace ?? "") : "",
        ...strategy.selectableFields?.(obj),
      });
  }
  if (!fieldCheck && (!labels || labels.empty())) return undefined;
  return (obj) => (!labels || labels.matches(obj.metadata.labels)) && (!fieldCheck || fieldCheck(obj));
}
