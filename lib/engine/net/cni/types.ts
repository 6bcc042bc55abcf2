/**
 * The CNI contract as data (spec 1.0.0): a network configuration, one invocation of a plugin
 * (the `CNI_*` variables), the result a plugin returns and the environment it acts in. Plugins
 * are module-level objects (`Plugin`), so every fork shares them and state holds no closures.
 *
 * @example
 * const inv: Invocation = { command: "ADD", containerId, netns: "/var/run/netns/cni-…", ifName: "eth0", args: [["K8S_POD_NAME", "web"]], path: ["/opt/cni/bin"] };
 * const out = bridgePlugin.add(conf, inv, env); // CniResult, or { error: "…" }
 */
import type { FileSystem } from "../../shell";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import type { CalicoDatastore } from "./calico/datastore";

/** One plugin's configuration: the JSON object of a `.conf` file or an entry of `plugins` in a `.conflist`. */
export type NetConf = { type: string; name?: string; cniVersion?: string } & Record<string, unknown>;

/** A `.conflist` as libcni reads it (a lone `.conf` becomes a list of one). */
export interface NetConfList {
  name: string;
  cniVersion: string;
  plugins: NetConf[];
  /** The file it came from (`/etc/cni/net.d/10-flannel.conflist`). */
  file: string;
  /** The file's text, as libcni caches it under `config`. */
  bytes: string;
}

export interface ResultInterface {
  name: string;
  mac?: string;
  /** The netns path for interfaces inside the container. */
  sandbox?: string;
}

export interface ResultIP {
  /** Index into `interfaces`. */
  interface?: number;
  /** `10.244.1.5/24` */
  address: string;
  gateway?: string;
}

export interface ResultRoute {
  dst: string;
  gw?: string;
}

/** What a plugin prints on success (spec 1.0.0 `Result`). */
export interface CniResult {
  cniVersion: string;
  interfaces?: ResultInterface[];
  ips?: ResultIP[];
  routes?: ResultRoute[];
  dns?: Record<string, unknown>;
}

/** A plugin's failure: libcni turns the plugin's `{code, msg, details}` into this text. */
export interface CniError {
  error: string;
}

export type Command = "ADD" | "DEL" | "CHECK";

/** One execution of a plugin binary: the `CNI_*` environment. */
export interface Invocation {
  command: Command;
  /** CNI_CONTAINERID: the sandbox's id (64 hex). */
  containerId: string;
  /** CNI_NETNS: `/var/run/netns/cni-<uuid>`. */
  netns: string;
  /** CNI_IFNAME */
  ifName: string;
  /** CNI_ARGS as pairs (`IgnoreUnknown=1;K8S_POD_NAMESPACE=…;K8S_POD_NAME=…`). */
  args: readonly (readonly [string, string])[];
  /** CNI_PATH split on `:`. */
  path: readonly string[];
}

/** Where a plugin runs: the node's host namespace, the container's, the node's files and the cluster-wide CNI state. */
export interface PluginEnv {
  node: string;
  nodeIP: string;
  host: NetStack;
  /** The container's namespace; undefined once it is gone (a DEL after the sandbox died). */
  netns: NetStack | undefined;
  network: ClusterNetwork;
  fs: FileSystem;
  /** The CNI state every node shares (IPAM datastores, the runtime's clock and names). */
  cni: CniHost;
}

/** What plugins reach beyond one node: time, seeded names, other plugins, Calico's datastore. */
export interface CniHost {
  now(): number;
  /** A seeded `veth` + 8 hex name (the bridge plugin's `ip.RandomVethName`). */
  randomVethName(): string;
  /** The PID a plugin process started on `node` now would get (for log lines). */
  pid(node: string): number;
  /** Runs a delegated plugin (`ipam.ExecAdd`, flannel's delegate) found on CNI_PATH; DEL returns no result. */
  delegate(type: string, conf: NetConf, inv: Invocation, env: PluginEnv): CniResult | CniError | undefined;
  readonly calico: CalicoDatastore;
  /** Writes a pod's annotations (Calico's `cni.projectcalico.org/*`). */
  annotatePod(namespace: string, name: string, annotations: Record<string, string>): void;
  /** Removes those annotations again if they still name `containerId` (KDD's WorkloadEndpoint delete). */
  clearPodAnnotations(namespace: string, name: string, containerId: string): void;
}

/** A plugin binary's behaviour. */
export interface Plugin {
  readonly type: string;
  add(conf: NetConf, inv: Invocation, env: PluginEnv, prevResult?: CniResult): CniResult | CniError;
  /** DEL must succeed on what is already gone (spec: idempotent). */
  del(conf: NetConf, inv: Invocation, env: PluginEnv, prevResult?: CniResult): CniError | undefined;
}

export const isError = (r: CniResult | CniError | undefined): r is CniError => r !== undefined && "error" in r;

/** The CNI_ARGS value of `key` (`K8S_POD_NAME`). */
export function cniArg(inv: Invocation, key: string): string | undefined {
  return inv.args.find(([k]) => k === key)?.[1];
}
