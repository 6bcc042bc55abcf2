/**
 * Names the CNI plugins derive rather than choose: the bridge plugin's iptables chain per
 * container (`CNI-` + 24 hex of sha512(network name + container id), utils.FormatChainName),
 * Calico's host-side veth (`cali` + 11 hex of sha1("<namespace>.<pod>")) and its
 * WorkloadEndpoint names (`<node>-k8s-<pod>-<iface>` with dashes doubled).
 *
 * @example
 * caliVethName("default", "web");          // "cali68caf03a5f4"
 * cniChainName("cbr0", containerId);        // "CNI-3f6b0c8e…" (28 characters)
 * workloadEndpointName("node01", "k8s", "web-7c5dd-x2k4q", "eth0"); // "node01-k8s-web--7c5dd--x2k4q-eth0"
 */
import { sha1 } from "@noble/hashes/legacy.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { PureCache } from "../../util/pure-cache";

/** libcni's maxChainLength: iptables chain names stay under 29 characters. */
const MAX_CHAIN = 28;

/**
 * A plugin's chain for one container (utils.MustFormatChainNameWithPrefix): `CNI-` and the
 * prefix (`DN-` for portmap), then the sha512 of network name + container id, 28 characters in all.
 */
export function cniChainName(network: string, containerId: string, prefix = ""): string {
  return `CNI-${prefix}${bytesToHex(sha512(utf8ToBytes(network + containerId)))}`.slice(0, MAX_CHAIN);
}

/** The comment those rules carry: `name: "cbr0" id: "<container id>"` (Go's strconv.Quote). */
export function cniChainComment(network: string, containerId: string): string {
  return `name: ${JSON.stringify(network)} id: ${JSON.stringify(containerId)}`;
}

/** Calico's host-side interface for a pod (conversion.VethNameForWorkload). */
export function caliVethName(namespace: string, pod: string): string {
  return vethNames.get(`${namespace}.${pod}`, (key) => "cali" + bytesToHex(sha1(utf8ToBytes(key))).slice(0, 11));
}
// Felix and calicoctl ask for every pod's name on every pass.
const vethNames = new PureCache<string>(20_000);

/** A WorkloadEndpoint's name: each part with `-` doubled, joined by `-`. */
export function workloadEndpointName(node: string, orchestrator: string, workload: string, endpoint: string): string {
  const escape = (s: string) => s.replace(/-/g, "--");
  return [escape(node), escape(orchestrator), escape(workload), escape(endpoint)].join("-");
}
