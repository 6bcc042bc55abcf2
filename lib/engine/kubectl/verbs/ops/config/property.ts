/**
 * `kubectl config set|unset PROPERTY`'s path walk (`newNavigationSteps` + `modifyConfig`) over
 * the kubeconfig: top-level fields, then a map key in `clusters`/`users`/`contexts` (which may
 * itself contain dots: the key runs until a part names a field of the stanza), then a field.
 * Strings are set as given, booleans parsed as Go does, `[]byte` fields base64-decoded unless
 * `--set-raw-bytes`.
 *
 * @example
 * applyProperty(model, "contexts.dev.namespace", "qa");        // sets it
 * applyProperty(model, "contexts.dev.namespace", undefined);   // unsets it
 */
import { decodeBase64, encodeBase64 } from "../../../../util/base64";
import { KubectlError } from "../../../errors";
import { parseBool } from "../../../parse";
import { type ConfigModel, SECTIONS, type Section } from "./model";

type Kind = "string" | "bool" | "bytes" | "other";

/** Field kinds per stanza, by the internal (clientcmdapi) JSON names `set` accepts. */
const STANZA_FIELDS: Record<Section, Record<string, Kind>> = {
  clusters: {
    server: "string", "tls-server-name": "string", "insecure-skip-tls-verify": "bool", "certificate-authority": "string",
    "certificate-authority-data": "bytes", "proxy-url": "string", "disable-compression": "bool", extensions: "other",
  },
  users: {
    "client-certificate": "string", "client-certificate-data": "bytes", "client-key": "string", "client-key-data": "bytes", token: "string",
    tokenFile: "string", "act-as": "string", "act-as-uid": "string", "act-as-groups": "other", "act-as-user-extra": "other", username: "string",
    password: "string", "auth-provider": "other", exec: "other", extensions: "other",
  },
  contexts: { cluster: "string", user: "string", namespace: "string", extensions: "other" },
};

/** The v1 name a field is stored under (impersonation is `act-as` inside, `as` in the file). */
const FILE_NAME: Record<string, string> = { "act-as": "as", "act-as-uid": "as-uid", "act-as-groups": "as-groups", "act-as-user-extra": "as-user-extra" };

const TYPE_NAME: Record<Section, string> = { clusters: "api.Cluster", users: "api.AuthInfo", contexts: "api.Context" };

/** Go's `%v` of a `map[string]*T`: keys sorted, values pointers (whose addresses vary per run). */
const goMap = (names: Iterable<string>) => `map[${[...names].sort().map((n) => `${n}:0xc000010000`).join(" ")}]`;

/** `findNameStep`: the map key is every part up to the first one that names a stanza field. */
function splitKey(parts: readonly string[], section: Section): { key: string; rest: string[] } {
  const at = parts.findIndex((p, i) => i > 0 && p in STANZA_FIELDS[section]);
  const end = at < 0 ? parts.length : at;
  return { key: parts.slice(0, end).join("."), rest: parts.slice(end) };
}

function leafValue(kind: Kind, value: string, rawBytes: boolean): unknown {
  if (kind === "string") return value;
  if (kind === "bool") {
    if (value === "") return false;
    const b = parseBool(value);
    if (b === undefined) throw new KubectlError(`strconv.ParseBool: parsing "${value}": invalid syntax`);
    return b;
  }
  if (kind === "bytes") {
    if (rawBytes) return encodeBase64(value);
    const decoded = decodeBase64(value);
    if (!decoded.ok) throw new KubectlError(`error decoding input value: illegal base64 data at input byte ${decoded.offset}`);
    return encodeBase64(decoded.bytes);
  }
  throw new KubectlError(`unrecognized type: ${kind}`);
}

/** Sets (`value` given) or unsets (`undefined`) the property `path` in `model`. */
export function applyProperty(model: ConfigModel, path: string, value: string | undefined, rawBytes = false): void {
  const unset = value === undefined;
  const [head, ...tail] = path.split(".");
  if (head === "current-context" || head === "kind" || head === "apiVersion") {
    if (tail.length > 0) throw new KubectlError(`can't have more steps after a string. ${tail.join(".")}`);
    if (head === "current-context") model.currentContext = value ?? "";
    return;
  }
  if (head === "preferences") {
    if (tail.length === 0 && unset) model.preferences = {};
    else if (tail[0] === "colors" && tail.length === 1) model.preferences.colors = unset ? undefined : leafValue("bool", value, rawBytes);
    else throw new KubectlError(`unable to parse ${path} after [{preferences api.Preferences}] at api.Preferences`);
    return;
  }
  if (!(head in SECTIONS)) throw new KubectlError(`unable to parse ${path} after [] at api.Config`);
  const section = head as Section;
  if (tail.length === 0) {
    if (!unset) throw new KubectlError(`can't set a map to a value: ${goMap(model[section].keys())}`);
    model[section].clear();
    return;
  }
  const { key, rest } = splitKey(tail, section);
  if (rest.length === 0) {
    if (!unset) throw new KubectlError(`can't set a map to a value: ${goMap(model[section].keys())}`);
    model[section].delete(key);
    return;
  }
  let stanza = model[section].get(key);
  if (!stanza) {
    if (unset) throw new KubectlError(`current map key \`${key}\` is invalid`);
    stanza = {};
    model[section].set(key, stanza);
  }
  const [field, ...more] = rest;
  const kind = STANZA_FIELDS[section][field];
  if (more.length > 0 && kind !== "other") throw new KubectlError(`can't have more steps after a ${kind === "bool" ? "bool" : kind === "bytes" ? "bytes" : "string"}. ${more.join(".")}`);
  if (kind === "other") throw new KubectlError(`unable to parse one or more field values of ${path} at ${TYPE_NAME[section]}`);
  const name = FILE_NAME[field] ?? field;
  if (unset) delete stanza[name];
  else stanza[name] = leafValue(kind, value, rawBytes);
}
