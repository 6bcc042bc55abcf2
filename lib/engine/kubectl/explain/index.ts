/**
 * `kubectl explain` in kubectl 1.32's default (OpenAPI v3, plaintext template) format:
 * `GROUP`/`KIND`/`VERSION`, then for a field path `FIELD: name <type>`, the `DESCRIPTION`
 * (the field's own text followed by its type's, wrapped at 76 columns like go-wordwrap) and
 * `FIELDS` with `name\t<type> -required-` entries, or the whole tree with `--recursive`.
 * Errors are kubectl's.
 *
 * @example
 * explain("pod.spec.containers.ports");     // { ok: true, text: "KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <[]ContainerPort>\n…" }
 * explain("pod.spec.nope");                 // { ok: false, message: 'error: field "nope" does not exist\n' }
 */
import { resolveResource } from "../../api";
import { TYPES, type TypeRow } from "./types-data";

/** What {@link explain} renders. */
export interface ExplainOptions {
  /** `--recursive`: every nested field name and type, without descriptions. */
  recursive?: boolean;
}

/** The type a field's explain type refers to (`[]Container` → `Container`), if documented. */
function typeOf(explainType: string): TypeRow | undefined {
  return TYPES[explainType.replace(/^(\[\]|map\[string\])+/, "")];
}

/** mitchellh/go-wordwrap `WrapString`: break at whitespace once a line would pass `limit`. */
export function wordWrap(s: string, limit: number): string {
  let out = "", word = "", space = "";
  let current = 0;
  for (const ch of s) {
    if (ch === "\n") {
      if (word === "") {
        if (current + space.length <= limit) out += space;
      } else out += space + word;
      out += ch;
      current = 0;
      space = word = "";
    } else if (/\s/u.test(ch) && ch !== "\u00a0") {
      if (space === "" || word !== "") {
        current += space.length + word.length;
        out += space + word;
        space = word = "";
      }
      space += ch;
    } else {
      word += ch;
      if (current + space.length + word.length > limit && word.length < limit) {
        out += "\n";
        current = 0;
        space = "";
      }
    }
  }
  if (word === "") {
    if (current + space.length <= limit) out += space;
  } else out += space + word;
  return out;
}

/** The template's `indent`: prefix every line, including the one after a final newline. */
const indent = (n: number, s: string) => " ".repeat(n) + s.replace(/\n/g, `\n${" ".repeat(n)}`);

function fieldList(type: TypeRow, level: number, recursive: boolean, seen: ReadonlySet<TypeRow>): string {
  let out = "";
  for (const [name, t, description, required] of [...type[1]].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const pad = level * 2;
    out += `${indent(pad, name)}\t<${t}>${required ? " -required-" : ""}\n`;
    if (!recursive) out += `${indent(pad + 2, wordWrap(description || "<no description>", 78 - pad))}\n\n`;
    const sub = typeOf(t);
    if (recursive && sub && !seen.has(sub)) out += fieldList(sub, level + 1, true, new Set([...seen, sub]));
  }
  return out;
}

function body(description: string, type: TypeRow | undefined, recursive: boolean): string {
  let out = `DESCRIPTION:\n${indent(4, wordWrap(description || "<empty>", 76))}\n`;
  const fields = type ? fieldList(type, 1, recursive, new Set([type])) : "";
  if (fields) out += `FIELDS:\n${fields}`;
  return out;
}

/**
 * Renders `kubectl explain <path>` (`pod`, `svc.spec.ports`, `deploy.spec.template.spec`).
 * Returns kubectl's stdout, or its stderr text (with `error: ` and a newline) on failure.
 */
export function explain(path: string, options: ExplainOptions = {}): { ok: true; text: string } | { ok: false; message: string } {
  const [resource, ...fields] = path.split(".");
  const info = resolveResource(resource);
  const root = info && TYPES[info.kind];
  if (!info || !root) return { ok: false, message: `error: the server doesn't have a resource type "${resource}"\n` };
  let text = `${info.group ? `GROUP:      ${info.group}\n` : ""}KIND:       ${info.kind}\nVERSION:    ${info.version}\n\n`;
  let type: TypeRow | undefined = root;
  // The template's "description": the schema's own text, then its referenced type's, one line each.
  let descriptions = [root[0]];
  for (const [i, field] of fields.entries()) {
    const row = type?.[1].find((f) => f[0] === field);
    if (!row) return { ok: false, message: `error: field "${fields[fields.length - 1]}" does not exist\n` };
    type = typeOf(row[1]);
    descriptions = [row[2], type?.[0] ?? ""];
    if (i === fields.length - 1) text += `FIELD: ${field} <${row[1]}>\n\n\n`;
  }
  const description = descriptions.filter(Boolean).map((d) => `${d}\n`).join("");
  return { ok: true, text: `${text}${body(description, type, options.recursive === true)}\n` };
}
