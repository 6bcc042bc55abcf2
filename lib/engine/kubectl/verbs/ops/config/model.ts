/**
 * The kubeconfig as client-go holds it (`clientcmdapi.Config`): clusters, users and contexts
 * keyed by name, the current context and preferences; decoded from and encoded to the `v1`
 * file format the way kubectl writes it (struct field order for JSON, keys sorted and lists
 * sorted by name for YAML, `null` for an empty list, `omitempty` honoured field by field).
 * `config view` redacts it the way `ShortenConfig` does.
 *
 * @example
 * const model = decodeConfig(parse(text));
 * model.contexts.get("kubernetes-admin@kubernetes"); // { cluster: "kubernetes", user: "kubernetes-admin" }
 * goYAML(encodeConfig(model)); // the file kubectl would write
 */

/** One cluster, user or context stanza, with its v1 field names. */
export type Stanza = Record<string, unknown>;

/** `clientcmdapi.Config`. */
export interface ConfigModel {
  preferences: Record<string, unknown>;
  clusters: Map<string, Stanza>;
  users: Map<string, Stanza>;
  contexts: Map<string, Stanza>;
  currentContext: string;
}

/** The three named sections, with their v1 list key and entry key. */
export const SECTIONS = {
  clusters: { entry: "cluster" },
  users: { entry: "user" },
  contexts: { entry: "context" },
} as const;
export type Section = keyof typeof SECTIONS;

/**
 * v1 field names in struct order, and which ones are serialized even when empty (no
 * `omitempty`): a cluster's `server`, a context's `cluster` and `user`.
 */
export const FIELDS: Record<Section, { names: readonly string[]; always: readonly string[] }> = {
  clusters: {
    names: ["server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority", "certificate-authority-data", "proxy-url", "disable-compression", "extensions"],
    always: ["server"],
  },
  users: {
    names: [
      "client-certificate", "client-certificate-data", "client-key", "client-key-data", "token", "tokenFile", "as", "as-uid", "as-groups",
      "as-user-extra", "username", "password", "auth-provider", "exec", "extensions",
    ],
    always: [],
  },
  contexts: { names: ["cluster", "user", "namespace", "extensions"], always: ["cluster", "user"] },
};

/** Fields holding file paths, which `config view` shows resolved against the file's directory. */
export const PATH_FIELDS: Record<Section, readonly string[]> = {
  clusters: ["certificate-authority"],
  users: ["client-certificate", "client-key", "tokenFile"],
  contexts: [],
};

/** An empty config (what kubectl starts from when no file exists). */
export function emptyConfig(): ConfigModel {
  return { preferences: {}, clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: "" };
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === "" || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);

/** A stanza with only known fields, in struct order, empty optional ones dropped. */
export function normalizeStanza(section: Section, raw: Stanza): Stanza {
  const out: Stanza = {};
  for (const name of FIELDS[section].names) {
    const value = raw[name];
    if (!isEmpty(value)) out[name] = value;
    else if (FIELDS[section].always.includes(name)) out[name] = typeof value === "string" ? value : "";
  }
  return out;
}

/** Removes fields from a stanza (a flag that clears the settings it replaces). */
export function dropFields(stanza: Stanza, ...fields: string[]): void {
  for (const field of fields) delete stanza[field];
}

/** Decodes a parsed v1 file. Later duplicates of a name win, as the Go conversion's map assignment does. */
export function decodeConfig(doc: unknown): ConfigModel {
  const model = emptyConfig();
  if (!doc || typeof doc !== "object") return model;
  const raw = doc as Record<string, unknown>;
  if (raw.preferences && typeof raw.preferences === "object") model.preferences = { ...(raw.preferences as Record<string, unknown>) };
  model.currentContext = typeof raw["current-context"] === "string" ? raw["current-context"] : "";
  for (const section of Object.keys(SECTIONS) as Section[]) {
    const list = Array.isArray(raw[section]) ? (raw[section] as Stanza[]) : [];
    for (const item of list) {
      if (!item || typeof item.name !== "string") continue;
      const inner = item[SECTIONS[section].entry];
      model[section].set(item.name, normalizeStanza(section, inner && typeof inner === "object" ? (inner as Stanza) : {}));
    }
  }
  return model;
}

/** A deep copy. */
export function cloneConfig(model: ConfigModel): ConfigModel {
  const copy = (m: Map<string, Stanza>) => new Map([...m].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as Stanza]));
  return {
    preferences: { ...model.preferences },
    clusters: copy(model.clusters),
    users: copy(model.users),
    contexts: copy(model.contexts),
    currentContext: model.currentContext,
  };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The v1 object, fields in Go struct order (JSON keeps it; YAML sorts keys anyway). */
export function encodeConfig(model: ConfigModel): Record<string, unknown> {
  const list = (section: Section) => {
    const names = [...model[section].keys()].sort(byName);
    if (names.length === 0) return null;
    return names.map((name) => ({ name, [SECTIONS[section].entry]: normalizeStanza(section, model[section].get(name)!) }));
  };
  return {
    kind: "Config",
    apiVersion: "v1",
    preferences: model.preferences,
    clusters: list("clusters"),
    users: list("users"),
    contexts: list("contexts"),
    "current-context": model.currentContext,
  };
}

/** `ShortenConfig`: certificate and key data become `DATA+OMITTED`, secrets `REDACTED`. */
export function redactConfig(model: ConfigModel): ConfigModel {
  const copy = cloneConfig(model);
  for (const cluster of copy.clusters.values()) {
    if (cluster["certificate-authority-data"]) cluster["certificate-authority-data"] = "DATA+OMITTED";
  }
  for (const user of copy.users.values()) {
    for (const field of ["client-certificate-data", "client-key-data"]) if (user[field]) user[field] = "DATA+OMITTED";
    for (const field of ["token", "password"]) if (user[field]) user[field] = "REDACTED";
  }
  return copy;
}

/** `MinifyConfig`: only the current context and the cluster and user it names. */
export function minifyConfig(model: ConfigModel): ConfigModel {
  if (model.currentContext === "") throw new Error("current-context must exist in order to minify");
  const context = model.contexts.get(model.currentContext);
  if (!context) throw new Error(`cannot locate context ${model.currentContext}`);
  const out: ConfigModel = { ...cloneConfig(model), clusters: new Map(), users: new Map(), contexts: new Map([[model.currentContext, context]]) };
  const clusterName = String(context.cluster ?? "");
  if (clusterName !== "") {
    const cluster = model.clusters.get(clusterName);
    if (!cluster) throw new Error(`cannot locate cluster ${clusterName}`);
    out.clusters.set(clusterName, cluster);
  }
  const userName = String(context.user ?? "");
  if (userName !== "") {
    const user = model.users.get(userName);
    if (!user) throw new Error(`cannot locate user ${userName}`);
    out.users.set(userName, user);
  }
  return out;
}
