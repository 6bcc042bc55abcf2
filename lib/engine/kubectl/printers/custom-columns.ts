/**
 * `-o custom-columns=NAME:.metadata.name,IP:.status.podIP` and `custom-columns-file`, as
 * kubectl's `customcolumn.go`: relaxed JSONPath specs (`metadata.name`, `{.metadata.name}`),
 * `<none>` for a column with no value, several values joined with commas, Go's `fmt.Sprint`
 * for maps and lists, laid out by kubectl's tabwriter (minimum width 6, padding 3).
 *
 * @example
 * const cols = parseCustomColumns("NAME:.metadata.name,IP:.status.podIP");
 * if (!("error" in cols)) printCustomColumns(cols, [pod], { numbers: "int64", noHeaders: false });
 * // "NAME   IP\nweb    10.244.1.5\n"
 */
import { type NumberMode, goSprint } from "./gofmt";
import { findJSONPathResults } from "./jsonpath/eval";
import { type ListNode, parseJSONPath } from "./jsonpath/parser";
import { goTabwrite } from "./tabwriter";

/** One column: its header and its (relaxed) JSONPath template. */
export interface CustomColumn {
  header: string;
  /** The template as kubectl rewrote it (`{.metadata.name}`). */
  spec: string;
  template: ListNode;
}

/** kubectl's `RelaxedJSONPathExpression` (`wait --for=jsonpath=` relaxes its expression too). */
export function relaxedJSONPath(path: string): string | { error: string } {
  if (path === "") return path;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path);
  if (!m) {
    return { error: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'" };
  }
  return `{.${m[1] ?? m[2]}}`;
}

function build(pairs: readonly [string, string][]): CustomColumn[] | { error: string } {
  const columns: CustomColumn[] = [];
  for (const [header, path] of pairs) {
    const spec = relaxedJSONPath(path);
    if (typeof spec !== "string") return spec;
    try {
      columns.push({ header, spec, template: parseJSONPath(spec) });
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
  return columns;
}

/** Parses the value of `-o custom-columns=…`; errors carry kubectl's message (without `error: `). */
export function parseCustomColumns(spec: string): CustomColumn[] | { error: string } {
  if (spec === "") return { error: "custom-columns format specified but no custom columns given" };
  const pairs: [string, string][] = [];
  for (const part of spec.split(",")) {
    const i = part.indexOf(":");
    if (i < 0) return { error: `unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>` };
    pairs.push([part.slice(0, i), part.slice(i + 1)]);
  }
  return build(pairs);
}

/** Parses a custom-columns template file: a line of headers, then a line of specs. */
export function parseCustomColumnsFile(text: string): CustomColumn[] | { error: string } {
  // bufio.Scanner's lines: a final newline does not start another line.
  const lines = text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const usage = "Expected format is one line of space separated headers, one line of space separated column specs.";
  if (lines.length < 1) return { error: `invalid template, missing header line. ${usage}` };
  if (lines.length < 2) return { error: `invalid template, missing spec line. ${usage}` };
  const headers = lines[0].split(/\s+/).filter(Boolean);
  const specs = lines[1].split(/\s+/).filter(Boolean);
  if (headers.length !== specs.length) {
    return { error: `number of headers (${headers.length}) and field specifications (${specs.length}) don't match` };
  }
  return build(headers.map((h, i) => [h, specs[i]]));
}

/** kubectl's `EscapeTerminal`. */
const escapeTerminal = (s: string) => s.replace(/\x1b/g, "^[").replace(/\r/g, "\\r");

/** Prints rows for `objects` (header first unless `noHeaders`). Throws JSONPath execution errors. */
export function printCustomColumns(
  columns: readonly CustomColumn[],
  objects: readonly unknown[],
  options: { numbers: NumberMode; noHeaders: boolean },
): string {
  const lines: string[] = options.noHeaders ? [] : [columns.map((c) => c.header).join("\t")];
  for (const obj of objects) {
    const cells = columns.map((c) => {
      const groups = findJSONPathResults(c.template, obj, { numbers: options.numbers, allowMissingKeys: true });
      if (groups.length === 0 || groups[0].length === 0) return "<none>";
      return groups.flat().map((v) => escapeTerminal(goSprint(v, options.numbers))).join(",");
    });
    lines.push(cells.join("\t"));
  }
  return goTabwrite(lines.map((l) => `${l}\n`).join(""), { minWidth: 6, padding: 3 });
}
