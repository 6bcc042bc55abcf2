/**
 * YAML and JSON documents decoded as kubectl decodes manifests (sigs.k8s.io/yaml over go-yaml
 * v2, YAML 1.1 scalars such as `yes`/`on`), with go-yaml's error texts. go-yaml reports the
 * line 1-based for scanner errors but one less for parser errors (its `problem_mark` is
 * 0-based and only scanner errors add one), so `did not find expected key` names the line
 * before the offending one; this module reproduces that for the mistakes learners make:
 * tabs, bad indentation, `a: b: c`, a missing `:`, an unclosed quote or bracket.
 *
 * @example
 * decodeYAML("a: 1\n  b: 2\n"); // { ok: false, error: "yaml: line 1: mapping values are not allowed in this context" }
 * decodeYAML("replicas: 3\n");  // { ok: true, value: { replicas: 3 } }
 */
import { parseDocument, type YAMLError } from "yaml";

/** A decoded document or go-yaml's / encoding/json's error text. */
export type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text[i] === "\n") line++;
  return line;
}

/** The last non-blank line before `line` (1-based), for the tab heuristic. */
function previousContent(lines: readonly string[], line: number): string {
  for (let i = line - 2; i >= 0; i--) if (lines[i].trim() !== "") return lines[i];
  return "";
}

/** go-yaml's message for the first error the `yaml` library found. */
function goYamlError(text: string, error: YAMLError): string {
  const lines = text.split("\n");
  const at = lineAt(text, error.pos[0]);
  const eof = lineAt(text, text.length);
  const scanner = (line: number, message: string) => `yaml: line ${line}: ${message}`;
  // Parser errors: go-yaml prints the 0-based line, i.e. one less than the 1-based line.
  const parser = (line: number, message: string) => `yaml: line ${line - 1}: ${message}`;
  switch (error.code) {
    case "TAB_AS_INDENT": {
      const tabLine = lines.findIndex((l, i) => i + 1 >= at && /^\s*\t/.test(l)) + 1 || at;
      // After `key: value` the scanner is inside a plain scalar that could continue: a different check fires.
      const continuesScalar = /:\s+[^\s#|>[{&*!'"]/.test(previousContent(lines, tabLine));
      return scanner(tabLine, continuesScalar ? "found a tab character that violates indentation" : "found character that cannot start any token");
    }
    case "BLOCK_AS_IMPLICIT_KEY": {
      // go-yaml notices at the next `:` after the would-be key, which may be on a later line.
      const colon = /:(\s|$)/.exec(text.slice(error.pos[1]));
      return scanner(colon ? lineAt(text, error.pos[1] + colon.index) : at, "mapping values are not allowed in this context");
    }
    case "MULTILINE_IMPLICIT_KEY":
      return scanner(Math.min(at + 1, eof), "could not find expected ':'");
    case "BAD_INDENT": {
      const flow = /Flow (sequence|map)/.exec(error.message);
      if (!flow) return parser(at, "did not find expected key");
      const opener = text.lastIndexOf(flow[1] === "map" ? "{" : "[", error.pos[0]);
      const empty = text.slice(opener + 1, error.pos[0]).trim() === "";
      return parser(at, empty ? "did not find expected node content" : `did not find expected ',' or '${flow[1] === "map" ? "}" : "]"}'`);
    }
    case "MISSING_CHAR":
      if (/quote/i.test(error.message)) return scanner(eof, "found unexpected end of stream");
      return parser(at, "did not find expected key");
    default:
      return parser(Math.max(at, 2), "did not find expected node content");
  }
}

/** One YAML document as go-yaml + sigs.k8s.io/yaml would turn it into JSON data. */
export function decodeYAML(text: string): Decoded {
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: false, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) return { ok: false, error: goYamlError(text, doc.errors[0]) };
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) ?? null };
}

/** encoding/json's message for what JSON.parse rejected, with Go's 1-based byte offset. */
function goJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return "unexpected end of JSON input";
  const offset = Number(pos[1]);
  const ch = text[offset];
  const what = /property name/.test(message)
    ? "looking for beginning of object key string"
    : /after property value|after array element/.test(message)
      ? /array/.test(message)
        ? "after array element"
        : "after object key:value pair"
      : /after property name/.test(message)
        ? "after object key"
        : "looking for beginning of value";
  return `json: offset ${offset + 1}: invalid character '${ch}' ${what}`;
}

/** A JSON document, failing as `json.Unmarshal` words it. */
export function decodeJSON(text: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: goJsonError(text, e) };
  }
}

/**
 * Splits a manifest stream into documents as apimachinery's `YAMLReader` does: a line starting
 * with `---` followed by nothing but blanks or a comment ends a document.
 */
export function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  let current: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith("---")) {
      const rest = line.slice(3).trim();
      if (rest === "" || rest.startsWith("#")) {
        docs.push(current.join(""));
        current = [];
        continue;
      }
    }
    current.push(line);
  }
  docs.push(current.join(""));
  return docs;
}
