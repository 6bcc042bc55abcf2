/**
 * `kubectl wait --for=…` as `conditionFuncFor` reads it: `delete`, `create`,
 * `condition=NAME[=VALUE]` (VALUE defaults to true; names and values compared after case
 * folding, a condition whose `observedGeneration` lags `metadata.generation` does not count)
 * and `jsonpath='{EXPR}'[=VALUE]` (no VALUE: any value will do; a value that is a map or list,
 * or an expression that matches several, is an error). Argument errors use kubectl's words.
 *
 * @example
 * const wait = parseWaitFor("condition=Ready");
 * holds(wait, pod); // true once the pod's Ready condition is True
 * parseWaitFor("jsonpath={.status.phase}=Running");
 */
import { KubectlError } from "../../../errors";
import { findJSONPathResults, goSprint, JSONPathError, type ListNode, parseJSONPath, relaxedJSONPath } from "../../../printers";

/** What `--for` asks for. */
export type WaitFor =
  | { readonly kind: "delete" | "create" }
  | { readonly kind: "condition"; readonly name: string; readonly value: string }
  | { readonly kind: "jsonpath"; readonly template: ListNode; readonly value?: string };

const JSONPATH_FORMAT = "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'";

/** `splitJSONPathInput`: `=` separates expression and value, except inside `==`. */
const splitJSONPathInput = (input: string) => input.split(/(?<!=)=(?!=)/);

function jsonPathWait(input: string): WaitFor {
  const parts = splitJSONPathInput(input);
  if (parts.length > 2) throw new KubectlError(JSONPATH_FORMAT);
  if (parts[0] === "") throw new KubectlError("jsonpath expression cannot be empty");
  const expression = relaxedJSONPath(parts[0]);
  if (typeof expression !== "string") throw new KubectlError(expression.error);
  let value: string | undefined;
  if (parts.length === 2) {
    value = parts[1].replace(/^['"]+|['"]+$/g, "");
    if (value === "") throw new KubectlError("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
  }
  try {
    return { kind: "jsonpath", template: parseJSONPath(expression), ...(value === undefined ? {} : { value }) };
  } catch (error) {
    if (error instanceof JSONPathError) throw new KubectlError(error.message);
    throw error;
  }
}

/** `conditionFuncFor`: the `--for` value, or kubectl's error for it. */
export function parseWaitFor(text: string): WaitFor {
  const lower = text.toLowerCase();
  if (lower === "delete" || lower === "create") return { kind: lower };
  if (lower.startsWith("condition=")) {
    const rest = text.slice("condition=".length);
    const equals = rest.indexOf("=");
    return equals < 0 ? { kind: "condition", name: rest, value: "true" } : { kind: "condition", name: rest.slice(0, equals), value: rest.slice(equals + 1) };
  }
  if (text.startsWith("jsonpath=")) return jsonPathWait(text.slice("jsonpath=".length));
  throw new KubectlError(`unrecognized condition: "${text}"`);
}

type Conditioned = { metadata?: { generation?: number }; status?: { conditions?: { type?: string; status?: string; observedGeneration?: number }[]; observedGeneration?: number } };

/** `ConditionalWait.checkCondition`. */
function conditionHolds(object: Conditioned, name: string, value: string): boolean {
  for (const condition of object.status?.conditions ?? []) {
    if (typeof condition.type !== "string" || condition.type.toLowerCase() !== name.toLowerCase()) continue;
    if (typeof condition.status !== "string") continue;
    const generation = object.metadata?.generation;
    const observed = condition.observedGeneration ?? object.status?.observedGeneration;
    if (generation !== undefined && observed !== undefined && observed < generation) return false;
    return condition.status.toLowerCase() === value.toLowerCase();
  }
  return false;
}

/** `JSONPathWait.isJSONPathConditionMet`. */
function jsonPathHolds(object: unknown, template: ListNode, value: string | undefined): boolean {
  const results = findJSONPathResults(template, object, { numbers: "int64", allowMissingKeys: true });
  if (results.length === 0 || results[0].length === 0) return false;
  if (results.length > 1) throw new KubectlError("given jsonpath expression matches more than one list");
  if (results[0].length > 1) throw new KubectlError("given jsonpath expression matches more than one value");
  if (value === undefined) return true;
  const found = results[0][0];
  if (found !== null && typeof found === "object") throw new KubectlError("jsonpath leads to a nested object or list which is not supported");
  return goSprint(found, "int64").trim() === value.trim();
}

/** Whether the object (as the server holds it now) satisfies a `condition=` or `jsonpath=` wait. */
export function holds(wait: WaitFor, object: unknown): boolean {
  switch (wait.kind) {
    case "condition":
      return conditionHolds(object as Conditioned, wait.name, wait.value);
    case "jsonpath":
      return jsonPathHolds(object, wait.template, wait.value);
    default:
      return true;
  }
}
