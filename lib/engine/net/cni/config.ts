/**
 * How containerd (go-cni 1.1, libcni 1.2) finds the pod network: the files of
 * `/etc/cni/net.d` ending in `.conf`, `.conflist` or `.json`, sorted by name, the first one
 * that loads; a `.conf` (one plugin) becomes a list of one. No file, or one libcni refuses,
 * leaves the runtime's network not ready (`cni plugin not initialized`), which the kubelet
 * reports on the Node and on every pod that waits for a sandbox.
 *
 * @example
 * loadNetwork(node.fs); // { list: { name: "cbr0", plugins: [{ type: "flannel", … }, { type: "portmap", … }] } }
 * loadNetwork(emptyFs); // { error: "no network config found in /etc/cni/net.d: cni plugin not initialized" }
 */
import type { FileSystem } from "../../shell";
import type { NetConf, NetConfList } from "./types";
import { freezeDeep } from "../../util/plain";
import { PureCache } from "../../util/pure-cache";

export const CONF_DIR = "/etc/cni/net.d";
export const BIN_DIR = "/opt/cni/bin";
const EXTENSIONS = [".conf", ".conflist", ".json"];

/** go-cni's ErrCNINotInitialized, as the runtime's status and the kubelet print it. */
export const NOT_INITIALIZED = "cni plugin not initialized";

/** The config files containerd would consider, in the order it considers them. */
export function confFiles(fs: FileSystem, dir = CONF_DIR): string[] {
  if (!fs.isDirectory(dir)) return [];
  return fs.list(dir).filter((f) => EXTENSIONS.some((e) => f.endsWith(e)) && fs.isFile(`${dir}/${f}`)).sort().map((f) => `${dir}/${f}`);
}

/** JSON.parse with encoding/json's error wording (what libcni passes on). */
function parseJSON(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const at = Number(/position (\d+)/.exec((e as Error).message)?.[1] ?? -1);
    // Past the last non-space character: the text just stops.
    if (at < 0 ? /end of JSON input/.test((e as Error).message) : text.slice(at).trim() === "") return { error: "unexpected end of JSON input" };
    const offending = at >= 0 ? text[at] : /Unexpected token '(.)'/.exec((e as Error).message)?.[1] ?? text.trim()[0];
    return { error: `invalid character '${offending}' looking for beginning of ${at > 0 ? "object key string" : "value"}` };
  }
}

/** Parsed configuration files by path and text: containerd reads the same file for every sandbox. */
const parsedFiles = new PureCache<{ list: NetConfList } | { error: string }>(256);

/** libcni's ConfListFromBytes / ConfFromBytes + ConfListFromConf for one file (frozen: shared by every reader). */
export function parseConfFile(path: string, text: string): { list: NetConfList } | { error: string } {
  return parsedFiles.get(`${path}\u0000${text}`, () => freezeDeep(parseConfText(path, text)));
}

function parseConfText(path: string, text: string): { list: NetConfList } | { error: string } {
  const parsed = parseJSON(text);
  const isList = path.endsWith(".conflist");
  const prefix = isList ? "error parsing configuration list" : "error parsing configuration";
  if ("error" in parsed) return { error: `${prefix}: ${parsed.error}` };
  const raw = parsed.value;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { error: `${prefix}: json: cannot unmarshal ${Array.isArray(raw) ? "array" : typeof raw} into Go value of type map[string]interface {}` };
  const obj = raw as Record<string, unknown>;
  const cniVersion = typeof obj.cniVersion === "string" ? obj.cniVersion : "0.1.0";
  if (isList) {
    if (typeof obj.name !== "string" || obj.name === "") return { error: `${prefix}: no name` };
    if (!Array.isArray(obj.plugins)) return { error: `${prefix}: no 'plugins' key` };
    if (obj.plugins.length === 0) return { error: `${prefix}: no plugins in list` };
    const plugins: NetConf[] = [];
    for (const p of obj.plugins as unknown[]) {
      if (typeof p !== "object" || p === null || typeof (p as NetConf).type !== "string") return { error: `${prefix}: failed to parse plugin config: missing 'type'` };
      plugins.push(p as NetConf);
    }
    return { list: { name: obj.name, cniVersion, plugins, file: path, bytes: text } };
  }
  if (typeof obj.type !== "string" || obj.type === "") return { error: `${prefix}: missing 'type'` };
  if (typeof obj.name !== "string" || obj.name === "") return { error: `${prefix}: missing 'name'` };
  return { list: { name: obj.name, cniVersion, plugins: [obj as NetConf], file: path, bytes: text } };
}

/** The network containerd loads from the node's config directory, or why it has none. */
export function loadNetwork(fs: FileSystem, dir = CONF_DIR): { list: NetConfList } | { error: string } {
  const files = confFiles(fs, dir);
  if (files.length === 0) return { error: `no network config found in ${dir}: ${NOT_INITIALIZED}` };
  const first = parseConfFile(files[0], fs.readFile(files[0]));
  if ("error" in first) return { error: `failed to load CNI config list file ${files[0]}: ${first.error}: invalid cni config: failed to load cni config` };
  return first;
}

/** What containerd runs before the configured network for every sandbox (go-cni's WithLoNetwork). */
export const LOOPBACK_NETWORK: NetConfList = Object.freeze({
  name: "cni-loopback",
  cniVersion: "0.3.1",
  plugins: Object.freeze([Object.freeze({ cniVersion: "0.3.1", name: "cni-loopback", type: "loopback" })]) as unknown as NetConf[],
  file: "",
  bytes: '{"cniVersion":"0.3.1","name":"cni-loopback","plugins":[{"type":"loopback"}]}',
});
