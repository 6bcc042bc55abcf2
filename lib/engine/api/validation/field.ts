/**
 * apimachinery's `util/validation/field`: field paths, typed field errors and the exact way
 * the apiserver renders them (`spec.ports[0].port: Invalid value: 0: must be between 1 and
 * 65535, inclusive`). Bad values that Go prints with `%#v` (maps, slices, structs) are carried
 * pre-rendered as {@link GoValue} so the text matches byte for byte.
 *
 * @example
 * const p = fieldPath("spec", "ports").index(0).child("port");
 * errorString(invalid(p, 0, "must be between 1 and 65535, inclusive"));
 * // "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
 */

/** An immutable field path, rendered as upstream's `field.Path.String()`. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  /** The empty root; `child("a")` of it renders `a`. */
  static readonly root = new FieldPath("");

  child(...names: string[]): FieldPath {
    let t = this.text;
    for (const n of names) t = t === "" ? n : `${t}.${n}`;
    return new FieldPath(t);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

/** Shorthand for `FieldPath.root.child(...names)`. */
export function fieldPath(...names: string[]): FieldPath {
  return FieldPath.root.child(...names);
}

/** A value Go would print with `%#v`, rendered ahead of time (see the `go*` helpers). */
export interface GoValue {
  go: string;
}

/** What a field error may carry as its bad value. */
export type BadValue = string | number | boolean | null | GoValue;

/** The machine-readable cause type, as in `metav1.CauseType`. */
export type FieldErrorType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "InternalError";

/** One validation failure. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: BadValue;
  detail: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
};

/** `field.Required`. */
export function required(path: FieldPath, detail = ""): FieldError {
  return { type: "FieldValueRequired", field: path.toString(), badValue: "", detail };
}

/** `field.Invalid`. */
export function invalid(path: FieldPath, value: BadValue, detail: string): FieldError {
  return { type: "FieldValueInvalid", field: path.toString(), badValue: value, detail };
}

/** `field.NotSupported`: lists the valid values quoted, in the order given. */
export function notSupported(path: FieldPath, value: BadValue, valid: readonly string[]): FieldError {
  const detail = valid.length > 0 ? "supported values: " + valid.map((v) => goQuote(v)).join(", ") : "";
  return { type: "FieldValueNotSupported", field: path.toString(), badValue: value, detail };
}

/** `field.Duplicate`. */
export function duplicate(path: FieldPath, value: BadValue): FieldError {
  return { type: "FieldValueDuplicate", field: path.toString(), badValue: value, detail: "" };
}

/** `field.NotFound`. */
export function notFound(path: FieldPath, value: BadValue): FieldError {
  return { type: "FieldValueNotFound", field: path.toString(), badValue: value, detail: "" };
}

/** `field.Forbidden`. */
export function forbidden(path: FieldPath, detail: string): FieldError {
  return { type: "FieldValueForbidden", field: path.toString(), badValue: "", detail };
}

/** `field.TooLong` (the value itself is never printed). */
export function tooLong(path: FieldPath, maxLength: number): FieldError {
  return { type: "FieldValueTooLong", field: path.toString(), detail: `must have at most ${maxLength} bytes` };
}

/** `Error.ErrorBody()`: the message without the field name. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const omitsValue =
    e.type === "FieldValueRequired" ||
    e.type === "FieldValueForbidden" ||
    e.type === "FieldValueTooLong" ||
    e.type === "InternalError";
  if (!omitsValue) s += `: ${formatBadValue(e.badValue ?? null)}`;
  if (e.detail.length > 0) s += `: ${e.detail}`;
  return s;
}

/** `Error.Error()`: `field: body`. */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/**
 * `utilerrors.NewAggregate(list).Error()` after `ToAggregate()`'s de-duplication: one message
 * alone, several as `[a, b]`. This is the text inside the apiserver's Invalid message.
 */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errors) {
    const m = errorString(e);
    if (!seen.has(m)) {
      seen.add(m);
      msgs.push(m);
    }
  }
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(", ")}]`;
}

function formatBadValue(v: BadValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return v.go;
}

/** Go's `strconv.Quote` for the characters API values contain. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-7][0-9a-f])/g, (_m, hex: string) => `\\x${hex}`);
}

/** `%#v` of a `map[string]string`: keys sorted, `{"k":"v", "k2":"v2"}`; nil → `(nil)`. */
export function goStringMap(m: Record<string, string> | undefined): GoValue {
  if (m === undefined) return { go: "map[string]string(nil)" };
  const parts = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k])}`);
  return { go: `map[string]string{${parts.join(", ")}}` };
}

/** `%#v` of a `[]string`. */
export function goStringSlice(s: readonly string[] | undefined): GoValue {
  if (s === undefined) return { go: "[]string(nil)" };
  return { go: `[]string{${s.map((v) => goQuote(v)).join(", ")}}` };
}

/** `%#v` of a Go value whose `%v` is just its text (named string types print quoted). */
export function goRaw(text: string): GoValue {
  return { go: text };
}
