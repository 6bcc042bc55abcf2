/**
 * The flannel CNI plugin (flannel-io/cni-plugin v1.6): it does no networking itself. It reads
 * the lease flanneld wrote to `/run/flannel/subnet.env`, fills in a delegate configuration
 * (bridge by default, `isGateway`, the lease's MTU, `ipMasq` only when flanneld does not
 * masquerade, host-local IPAM over the node's subnet with a route to the whole flannel
 * network), saves it as `/var/lib/cni/flannel/<container id>` for DEL, and runs the delegate.
 *
 * @example
 * flannelPlugin.add({ type: "flannel", name: "cbr0", cniVersion: "0.3.1", delegate: { hairpinMode: true, isDefaultGateway: true } }, inv, env);
 */
import { formatCIDR, parseCIDR } from "../../../util/ipv4";
import type { CniError, CniResult, NetConf, Plugin, PluginEnv } from "../types";

const SUBNET_FILE = "/run/flannel/subnet.env";
const DATA_DIR = "/var/lib/cni/flannel";

interface SubnetEnv {
  network?: string;
  subnet?: string;
  mtu?: number;
  ipMasq?: boolean;
}

/** `loadFlannelSubnetEnv`: the four FLANNEL_* lines flanneld writes (the subnet as a network). */
function loadSubnetEnv(env: PluginEnv, file: string): SubnetEnv | CniError {
  if (!env.fs.isFile(file)) return { error: `failed to load flannel 'subnet.env' file: open ${file}: no such file or directory. Check the flannel pod log for this node.` };
  const out: SubnetEnv = {};
  for (const line of env.fs.readFile(file).split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const [key, value] = [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
    if (key === "FLANNEL_NETWORK") out.network = parseCIDR(value) ? formatCIDR(parseCIDR(value)!) : undefined;
    if (key === "FLANNEL_SUBNET") out.subnet = parseCIDR(value) ? formatCIDR(parseCIDR(value)!) : undefined;
    if (key === "FLANNEL_MTU") out.mtu = Number(value);
    if (key === "FLANNEL_IPMASQ") out.ipMasq = value === "true";
  }
  const missing = [!out.network && "FLANNEL_NETWORK", !out.subnet && "FLANNEL_SUBNET", out.mtu === undefined && "FLANNEL_MTU", out.ipMasq === undefined && "FLANNEL_IPMASQ"].filter(Boolean);
  if (missing.length > 0) return { error: `failed to load flannel 'subnet.env' file: ${file} is missing ${missing.join(", ")}. Check the flannel pod log for this node.` };
  return out;
}

/** Go's json.Marshal of a map: keys sorted at every level. */
function goJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJSON).join(",")}]`;
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${goJSON(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export const flannelPlugin: Plugin = {
  type: "flannel",
  add(conf, inv, env): CniResult | CniError {
    const fenv = loadSubnetEnv(env, typeof conf.subnetFile === "string" ? conf.subnetFile : SUBNET_FILE);
    if ("error" in fenv) return fenv;
    const given = conf.delegate;
    if (given !== undefined && (typeof given !== "object" || given === null)) return { error: "'delegate' dictionary, if present, must be a dictionary" };
    const delegate: Record<string, unknown> = { ...((given ?? {}) as Record<string, unknown>) };
    if (has(delegate, "type") && typeof delegate.type !== "string") return { error: "'delegate' dictionary, if present, must have (string) 'type' field" };
    if (conf.runtimeConfig !== undefined) delegate.runtimeConfig = conf.runtimeConfig;
    delegate.name = conf.name;
    if (!has(delegate, "type")) delegate.type = "bridge";
    // flanneld masquerades itself with --ip-masq; the bridge only does when it does not.
    if (!has(delegate, "ipMasq")) delegate.ipMasq = !fenv.ipMasq;
    if (!has(delegate, "mtu")) delegate.mtu = fenv.mtu;
    if (delegate.type === "bridge" && !has(delegate, "isGateway")) delegate.isGateway = true;
    if (conf.cniVersion) delegate.cniVersion = conf.cniVersion;
    const ipam: Record<string, unknown> = { ...((conf.ipam ?? {}) as Record<string, unknown>) };
    if (!has(ipam, "type")) ipam.type = "host-local";
    ipam.ranges = [[{ subnet: fenv.subnet }]];
    ipam.routes = [...(Array.isArray(ipam.routes) ? ipam.routes : []), { dst: fenv.network }];
    delegate.ipam = ipam;
    const dataDir = typeof conf.dataDir === "string" ? conf.dataDir : DATA_DIR;
    env.fs.mkdirp(dataDir, { mode: 0o700 });
    env.fs.writeFile(`${dataDir}/${inv.containerId}`, goJSON(delegate), { mode: 0o600 });
    const out = env.cni.delegate(delegate.type as string, delegate as NetConf, inv, env);
    if (!out) return { error: "failed to delegate add: plugin returned no result" };
    if ("error" in out) return { error: `failed to delegate add: ${out.error}` };
    return out;
  },
  del(conf, inv, env) {
    const dataDir = typeof conf.dataDir === "string" ? conf.dataDir : DATA_DIR;
    const file = `${dataDir}/${inv.containerId}`;
    // Per spec, DEL of what is already gone succeeds.
    if (!env.fs.isFile(file)) return undefined;
    const delegate = JSON.parse(env.fs.readFile(file)) as NetConf;
    const out = env.cni.delegate(delegate.type, delegate, inv, env);
    if (out && "error" in out) return { error: `failed to delegate del: ${out.error}` };
    env.fs.unlink(file);
    return undefined;
  },
};
