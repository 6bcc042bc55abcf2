/**
 * Loading the kubeconfig as client-go's `clientcmd` does: `--kubeconfig`, else every file in
 * `$KUBECONFIG` (colon-separated, first one wins per key, missing files skipped), else
 * `~/.kube/config`; then the context (`--context` or `current-context`), its cluster and user
 * (overridable with `--cluster`, `--user`), the server (`--server` wins) and the namespace
 * (`-n`, else the context's, else `default`). With no file at all, kubectl talks to
 * `http://localhost:8080`, which is what a worker node without a kubeconfig does.
 *
 * @example
 * const kc = loadKubeconfig(ctx.fs, ctx.env, globals, (p) => ctx.resolve(p));
 * kc.server;     // "https://172.30.1.2:6443"
 * kc.namespace;  // "default"
 */
import { parse } from "yaml";
import type { FileSystem, Variables } from "../shell";
import { freezeDeep } from "../util/plain";
import { KubectlError } from "./errors";
import type { Kubeconfig, KubectlArgs } from "./types";

/** A loaded kubeconfig plus the request scope it gives. */
export interface LoadedKubeconfig extends Kubeconfig {
  readonly namespace: string;
  readonly namespaceExplicit: boolean;
}

type Named = { name?: unknown; [k: string]: unknown };

// Every kubectl invocation reads the kubeconfig, and parsing its YAML (certificates and all) cost
// more than most commands. Parsing is pure: the same text (every cluster's admin.conf) parses
// once, frozen and shared.
const parsedConfigs = new Map<string, Record<string, unknown>>();

function readConfig(fs: FileSystem, path: string): Record<string, unknown> | undefined {
  if (!fs.exists(path) || fs.isDirectory(path)) return undefined;
  const text = fs.readFile(path);
  let config = parsedConfigs.get(text);
  if (!config) {
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (e) {
      throw new KubectlError(`error loading config file "${path}": ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    config = freezeDeep(doc && typeof doc === "object" ? (doc as Record<string, unknown>) : {});
    if (parsedConfigs.size >= 64) parsedConfigs.clear();
    parsedConfigs.set(text, config);
  }
  return config;
}

/** client-go's merge: the first file to set a map key or a named entry keeps it. */
function merge(configs: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const config of configs) {
    for (const [key, value] of Object.entries(config)) {
      if (Array.isArray(value) && Array.isArray(out[key])) {
        const have = new Set((out[key] as Named[]).map((e) => e?.name));
        out[key] = [...(out[key] as Named[]), ...(value as Named[]).filter((e) => !have.has(e?.name))];
      } else if (!(key in out) || out[key] === "" || out[key] === undefined) out[key] = value;
    }
  }
  return out;
}

function entry(config: Record<string, unknown>, list: string, name: string | undefined, field: string): Record<string, unknown> | undefined {
  if (!name) return undefined;
  const items = Array.isArray(config[list]) ? (config[list] as Named[]) : [];
  const found = items.find((e) => e && e.name === name);
  const inner = found?.[field];
  return inner && typeof inner === "object" ? (inner as Record<string, unknown>) : found ? {} : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Reads the kubeconfig for one invocation. Throws {@link KubectlError} as kubectl fails:
 * `stat /x: no such file or directory` for a missing `--kubeconfig`, and
 * `Error in configuration: context was not found for specified context: foo`.
 */
export function loadKubeconfig(fs: FileSystem, env: Variables, globals: KubectlArgs, resolve: (p: string) => string): LoadedKubeconfig {
  const explicit = globals.string("kubeconfig");
  let path: string | undefined;
  let config: Record<string, unknown> = {};
  if (explicit) {
    path = resolve(explicit);
    if (!fs.exists(path)) throw new KubectlError(`stat ${explicit}: no such file or directory`);
    config = readConfig(fs, path) ?? {};
  } else {
    const fromEnv = env.get("KUBECONFIG");
    const home = env.get("HOME") ?? "/root";
    const paths = fromEnv ? fromEnv.split(":").filter((p) => p !== "").map(resolve) : [`${home}/.kube/config`];
    const loaded: Record<string, unknown>[] = [];
    for (const p of paths) {
      const c = readConfig(fs, p);
      if (c) {
        path ??= p;
        loaded.push(c);
      }
    }
    config = merge(loaded);
  }
  const contextName = globals.string("context") || str(config["current-context"]);
  const context = entry(config, "contexts", contextName, "context");
  if (contextName && !context) {
    throw new KubectlError(`Error in configuration: context was not found for specified context: ${contextName}`, 1, true);
  }
  const clusterName = globals.string("cluster") || str(context?.cluster);
  const cluster = entry(config, "clusters", clusterName, "cluster");
  const userName = globals.string("user") || str(context?.user);
  const server = globals.string("server") || str(cluster?.server) || "http://localhost:8080";
  const flagNamespace = globals.string("namespace");
  return {
    path,
    config,
    contextName,
    clusterName,
    userName,
    server: /^[a-z]+:\/\//.test(server) ? server : `https://${server}`,
    namespace: flagNamespace || str(context?.namespace) || "default",
    namespaceExplicit: Boolean(flagNamespace),
  };
}

/** `host:port` of a server URL, with the scheme's default port (`localhost:8080` stays as is). */
export function serverHost(url: string): { host: string; port: number; hostPort: string } {
  const m = /^([a-z]+):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?/.exec(url);
  const scheme = m?.[1] ?? "https";
  const host = m?.[2] ?? url;
  const port = m?.[3] ? Number(m[3]) : scheme === "http" ? 80 : 443;
  return { host, port, hostPort: `${host}:${port}` };
}
