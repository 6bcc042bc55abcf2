/**
 * Field selectors (apimachinery `fields/selector.go`): `a=b`, `a==b`, `a!=b` joined by `,`,
 * with `\` escapes in values. Which fields a kind supports is the kind's business (its
 * strategy lists them); an unsupported one fails with the kind's upstream error text.
 *
 * @example
 * const sel = parseFieldSelector("spec.nodeName=node-1,status.phase!=Failed");
 * sel.terms;                          // [{ field: "spec.nodeName", op: "=", value: "node-1" }, …]
 * matchesFields(sel, { "spec.nodeName": "node-1", "status.phase": "Running" }); // true
 */

/** One `field op value` term. `==` is normalised to `=`. */
export interface FieldTerm {
  readonly field: string;
  readonly op: "=" | "!=";
  readonly value: string;
}

/** A parsed field selector: an AND of terms. */
export interface FieldSelector {
  readonly terms: readonly FieldTerm[];
}

/** A parse failure with upstream's message. */
export class FieldSelectorError extends Error {}

function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): { lhs: string; op: "=" | "!="; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="] as const) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op: op === "!=" ? "!=" : "=", rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescape(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = "";
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === "\\") inSlash = true;
    else if (c === "," || c === "=") {
      // Go prints the rune with %v, which is its code point number.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  if (inSlash) throw new FieldSelectorError("invalid field selector: invalid escape sequence: \\");
  return out;
}

/** `fields.ParseSelector`; terms come out sorted, as upstream sorts the raw parts. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: t.lhs, op: t.op, value: unescape(t.rhs) });
  }
  return { terms };
}

/** True when every term holds for the object's selectable fields (a missing field reads ""). */
export function matchesFields(sel: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  return sel.terms.every((t) => ((fields[t.field] ?? "") === t.value) === (t.op === "="));
}

/**
 * The error a kind's field-label conversion returns for a field it does not support. Kinds
 * with their own conversion say `field label not supported: x`; the rest use apimachinery's
 * default, which names the two universal fields.
 */
export function unsupportedFieldMessage(field: string, customConversion: boolean): string {
  return customConversion
    ? `field label not supported: ${field}`
    : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
}
