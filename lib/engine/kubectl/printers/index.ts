/**
 * kubectl's non-table printers: `-o yaml|json|name|jsonpath=…|jsonpath-as-json=…|
 * jsonpath-file=…|custom-columns=…|custom-columns-file=…`. `parseOutputFormat` resolves the
 * `-o` value once (with kubectl's errors); `printObjects` renders objects with it. Tables
 * (`-o wide` and the default) are `renderTable`/`formatTable` in the API layer: this module
 * only recognises them.
 *
 * Every error text here is exactly what kubectl writes to stderr (`error: …` plus newline).
 *
 * @example
 * const fmt = parseOutputFormat("jsonpath={.items[*].metadata.name}");
 * if (!("error" in fmt)) printObjects(pods, fmt, { list: true });   // { ok: true, text: "a b" }
 * printObjects([deploy], parseOutputFormat("name") as OutputFormat, { list: false });
 * // { ok: true, text: "deployment.apps/web\n" }
 */
import { type CustomColumn, parseCustomColumns, parseCustomColumnsFile, printCustomColumns } from "./custom-columns";
import { type NumberMode, goQuote, goSyntax } from "./gofmt";
import { JSONPathExecError, executeJSONPath } from "./jsonpath/eval";
import { JSONPathError, type ListNode, parseJSONPath } from "./jsonpath/parser";
import { goJSON } from "./json";
import { goYAML } from "./yaml";

export { goJSON, goJSONString, type GoJSONOptions } from "./json";
export { goYAML } from "./yaml";
export { goTabwrite, type TabwriterOptions } from "./tabwriter";
export { formatFloatG, goQuote, goSprint } from "./gofmt";
export { relaxedJSONPath } from "./custom-columns";
export { findJSONPathResults } from "./jsonpath/eval";
export { JSONPathError, type ListNode, parseJSONPath } from "./jsonpath/parser";

/** A resolved `-o` value. `human` (no `-o`) and `wide` are tables, printed by the caller. */
export type OutputFormat =
  | { type: "human" }
  | { type: "wide" }
  | { type: "yaml" }
  | { type: "json" }
  | { type: "name" }
  | { type: "jsonpath"; template: string; parsed: ListNode; asJSON: boolean }
  | { type: "custom-columns"; columns: readonly CustomColumn[] };

/** Where a `-o` value is parsed: `get` also knows tables and custom columns. */
export interface ParseOutputOptions {
  /** `get` (default) or `generic` (create, apply, run…: no `wide`, no custom columns). */
  command?: "get" | "generic";
  /** Reads a file for `jsonpath-file` and `custom-columns-file`; undefined when it does not exist. */
  readFile?(path: string): string | undefined;
}

const GET_FORMATS =
  "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";
const GENERIC_FORMATS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";
const TEMPLATE_FORMATS = ["go-template", "go-template-file", "template", "templatefile"];

const fail = (message: string) => ({ error: `error: ${message}${message.endsWith("\n") ? "" : "\n"}` });
const noFile = (path: string) => `open ${path}: no such file or directory`;

/**
 * Resolves an `-o` value as kubectl's print flags do, or returns kubectl's error text.
 * go-template output is a deliberate gap: it fails with a clear message.
 *
 * @example
 * parseOutputFormat("yaml");   // { type: "yaml" }
 * parseOutputFormat("foo");    // { error: 'error: unable to match a printer suitable for the output format "foo", allowed formats are: …\n' }
 */
export function parseOutputFormat(value: string, options: ParseOutputOptions = {}): OutputFormat | { error: string } {
  const get = (options.command ?? "get") === "get";
  const lower = value.toLowerCase();
  if (value === "") return { type: "human" };
  if (get && value === "wide") return { type: "wide" };
  if (lower === "yaml" || lower === "json" || lower === "name") return { type: lower as "yaml" | "json" | "name" };
  const [format, ...rest] = value.split("=");
  const arg = rest.join("=");
  if (TEMPLATE_FORMATS.includes(format)) return fail("go-template output is not supported in this terminal");
  if (format === "jsonpath" || format === "jsonpath-as-json" || format === "jsonpath-file") {
    if (arg === "") return fail("template format specified but no template given");
    let template = arg;
    if (format === "jsonpath-file") {
      const text = options.readFile?.(arg);
      if (text === undefined) return fail(`error reading --template ${arg}, ${noFile(arg)}`);
      template = text;
    }
    try {
      return { type: "jsonpath", template, parsed: parseJSONPath(template), asJSON: format === "jsonpath-as-json" };
    } catch (e) {
      if (e instanceof JSONPathError) return fail(`error parsing jsonpath ${template}, ${e.message}`);
      throw e;
    }
  }
  if (get && (format === "custom-columns" || format === "custom-columns-file")) {
    let columns: CustomColumn[] | { error: string };
    if (format === "custom-columns") columns = parseCustomColumns(arg);
    else if (arg === "") columns = { error: "custom-columns format specified but no custom columns given" };
    else {
      const text = options.readFile?.(arg);
      if (text === undefined) return fail(`error reading template ${arg}, ${noFile(arg)}\n`);
      columns = parseCustomColumnsFile(text);
    }
    return "error" in columns ? fail(columns.error) : { type: "custom-columns", columns };
  }
  const allowed = get ? GET_FORMATS : GENERIC_FORMATS;
  return fail(`unable to match a printer suitable for the output format ${goQuote(value)}, allowed formats are: ${allowed}`);
}

/** How {@link printObjects} treats its objects. */
export interface PrintOptions {
  /**
   * A list request or several objects: print one `kind: List` (apiVersion v1, items,
   * metadata.resourceVersion "") as `kubectl get` does. Otherwise each object on its own
   * (YAML documents separated by `---`).
   */
  list: boolean;
  /** Objects kubectl built itself (`--dry-run=client`): keys in insertion (Go struct) order, numbers float64. */
  typedOrder?: boolean;
  /** `--allow-missing-template-keys` (default true). */
  allowMissingKeys?: boolean;
  /** `--no-headers` (custom columns). */
  noHeaders?: boolean;
  /** The `resource/name` prefix for `-o name`; default `kind.group` lower-cased, as kubectl prints. */
  resourceName?(obj: PrintableObject): string;
}

/** What the printers accept: any API object (a stored one, or one kubectl built). */
export interface PrintableObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
}

/** `pod`, `deployment.apps`: kubectl's `-o name` prefix (lower-cased kind, then group). */
function kindPrefix(obj: PrintableObject): string {
  const apiVersion = obj.apiVersion ?? "";
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const kind = (obj.kind ?? "").toLowerCase();
  return group ? `${kind}.${group}` : kind;
}

function listOf(objects: readonly PrintableObject[]): PrintableObject {
  return { apiVersion: "v1", items: [...objects], kind: "List", metadata: { resourceVersion: "" } } as PrintableObject;
}

function jsonPathFailure(template: string, err: Error, obj: unknown, numbers: NumberMode): string {
  const detail =
    `Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
    `\ttemplate was:\n\t\t${template}\n` +
    `\tobject given to jsonpath engine was:\n\t\t${goSyntax(obj, numbers)}\n\n`;
  return `error: error executing jsonpath ${goQuote(template)}: ${detail}\n`;
}

/**
 * Prints `objects` in `format`. Returns kubectl's stdout text, or its stderr text when a
 * template fails at run time.
 *
 * @example
 * printObjects([pod], { type: "yaml" }, { list: false });          // { ok: true, text: "apiVersion: v1\n…" }
 * printObjects([], { type: "json" }, { list: true });               // the empty kind: List
 */
export function printObjects(
  objects: readonly PrintableObject[],
  format: OutputFormat,
  options: PrintOptions,
): { ok: true; text: string } | { ok: false; message: string } {
  const typed = options.typedOrder === true;
  const numbers: NumberMode = typed ? "float64" : "int64";
  const targets = options.list ? [listOf(objects)] : objects;
  switch (format.type) {
    case "yaml":
      return { ok: true, text: targets.map((o) => goYAML(o)).join("---\n") };
    case "json":
      return { ok: true, text: targets.map((o) => `${goJSON(o, { typedOrder: typed })}\n`).join("") };
    case "name": {
      const prefix = options.resourceName ?? kindPrefix;
      return { ok: true, text: objects.map((o) => `${prefix(o)}/${o.metadata?.name || "<unknown>"}\n`).join("") };
    }
    case "jsonpath": {
      let text = "";
      for (const target of targets) {
        try {
          text += executeJSONPath(format.parsed, target, {
            numbers,
            allowMissingKeys: options.allowMissingKeys ?? true,
            outputJSON: format.asJSON,
          });
        } catch (e) {
          if (e instanceof JSONPathExecError) return { ok: false, message: jsonPathFailure(format.template, e, target, numbers) };
          throw e;
        }
      }
      return { ok: true, text };
    }
    case "custom-columns":
      try {
        return { ok: true, text: printCustomColumns(format.columns, objects, { numbers, noHeaders: options.noHeaders === true }) };
      } catch (e) {
        if (e instanceof JSONPathExecError) return { ok: false, message: `error: ${e.message}\n` };
        throw e;
      }
    default:
      return { ok: false, message: `error: ${format.type} output is a table: render it with renderTable/formatTable\n` };
  }
}
