/**
 * libcni's side of the contract: running a network's plugin chain for one container. ADD goes
 * through the plugins in order, each finding its binary on CNI_PATH, getting the list's `name`
 * and `cniVersion`, the previous plugin's result and the runtime's capability arguments; DEL
 * goes in reverse with the cached result. Errors read as libcni wraps them
 * (`plugin type="bridge" failed (add): …`). A successful ADD is cached where libcni caches it,
 * `/var/lib/cni/results/<network>-<container id>-<ifname>`, and DEL removes the entry.
 *
 * @example
 * const out = addNetworkList(list, inv, env); // { result }, or { error: 'plugin type="flannel" failed (add): …' }
 * delNetworkList(list, inv, env);
 */
import { encodeBase64 } from "../../util/base64";
import { PureCache } from "../../util/pure-cache";
import type { FileSystem } from "../../shell";
import { PLUGINS } from "./plugins";
import { isError, type CniError, type CniResult, type Invocation, type NetConf, type NetConfList, type PluginEnv } from "./types";

const RESULTS_DIR = "/var/lib/cni/results";

/** `invoke.FindInPath`: the first regular file named `type` on the path. */
export function findInPath(fs: FileSystem, type: string, path: readonly string[]): string | CniError {
  if (path.length === 0) return { error: "no paths provided" };
  for (const dir of path) {
    const full = `${dir}/${type}`;
    if (fs.isFile(full)) return full;
  }
  return { error: `failed to find plugin "${type}" in path [${path.join(" ")}]` };
}

/** Executes one plugin binary found on CNI_PATH with `conf` on its standard input. */
export function execPlugin(type: string, conf: NetConf, inv: Invocation, env: PluginEnv, prevResult?: CniResult): CniResult | CniError | undefined {
  const found = findInPath(env.fs, type, inv.path);
  if (typeof found !== "string") return found;
  const plugin = PLUGINS.get(type);
  if (!plugin) return { error: `netlab does not simulate the "${type}" plugin (${found})` };
  if (inv.command === "ADD") return plugin.add(conf, inv, env, prevResult);
  return plugin.del(conf, inv, env, prevResult);
}

/** libcni's buildOneConfig: the plugin's own keys plus the list's name and version, the previous result and runtimeConfig. */
function oneConfig(list: NetConfList, plugin: NetConf, prevResult: CniResult | undefined, capabilityArgs: Readonly<Record<string, unknown>>): NetConf {
  const conf: NetConf = { ...plugin, name: list.name, cniVersion: list.cniVersion };
  if (prevResult) conf.prevResult = prevResult;
  const caps = (plugin.capabilities ?? {}) as Record<string, unknown>;
  const runtimeConfig: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(capabilityArgs)) if (caps[key] === true) runtimeConfig[key] = value;
  if (Object.keys(runtimeConfig).length > 0) conf.runtimeConfig = runtimeConfig;
  return conf;
}

const describe = (plugin: NetConf) => `type=${JSON.stringify(plugin.type)}${typeof plugin.name === "string" && plugin.name ? ` name=${JSON.stringify(plugin.name)}` : ""}`;

const cacheFile = (list: NetConfList, inv: Invocation) => `${RESULTS_DIR}/${list.name}-${inv.containerId}-${inv.ifName}`;

/** Configuration files in base64 (for the cache entry of every ADD): the same few files each time. */
const configBase64 = new PureCache<string>(64);

/** ADD for every plugin of the list, in order. */
export function addNetworkList(list: NetConfList, inv: Invocation, env: PluginEnv, capabilityArgs: Readonly<Record<string, unknown>> = {}): { result: CniResult } | CniError {
  let prev: CniResult | undefined;
  for (const plugin of list.plugins) {
    const out = execPlugin(plugin.type, oneConfig(list, plugin, prev, capabilityArgs), inv, env, prev);
    if (isError(out)) return { error: `plugin ${describe(plugin)} failed (add): ${out.error}` };
    prev = out ?? prev;
  }
  const result = prev ?? { cniVersion: list.cniVersion };
  // libcni's cachedInfo, as json.Marshal writes it (`config` is the file's bytes, base64).
  const cached = {
    kind: "cniCacheV1", containerId: inv.containerId, config: configBase64.get(list.bytes, encodeBase64), ifName: inv.ifName, networkName: list.name, netns: inv.netns,
    cniArgs: inv.args, ...(Object.keys(capabilityArgs).length > 0 ? { capabilityArgs } : {}), result,
  };
  env.fs.writeFile(cacheFile(list, inv), JSON.stringify(cached), { parents: true, mode: 0o600 });
  return { result };
}

/** DEL for every plugin of the list, in reverse, with the cached result; the cache entry goes once all succeed. */
export function delNetworkList(list: NetConfList, inv: Invocation, env: PluginEnv, capabilityArgs: Readonly<Record<string, unknown>> = {}): CniError | undefined {
  const file = cacheFile(list, inv);
  let cachedResult: CniResult | undefined;
  if (env.fs.isFile(file)) cachedResult = (JSON.parse(env.fs.readFile(file)) as { result?: CniResult }).result;
  for (let i = list.plugins.length - 1; i >= 0; i--) {
    const plugin = list.plugins[i];
    const out = execPlugin(plugin.type, oneConfig(list, plugin, cachedResult, capabilityArgs), inv, env, cachedResult);
    if (isError(out)) return { error: `plugin ${describe(plugin)} failed (delete): ${out.error}` };
  }
  if (env.fs.isFile(file)) env.fs.unlink(file);
  return undefined;
}
