/**
 * kube-proxy's chain names (pkg/proxy/iptables/proxier.go): a service port's chains end in the
 * first 16 characters of the base32 (RFC 4648, standard alphabet) SHA-256 of its name and
 * protocol, an endpoint's of its name, protocol and `ip:port`. The same service port has the
 * same chain names on every node and in every cluster, so a learner can compute them too.
 *
 * @example
 * servicePortChainName("ns1/svc1:p80", "tcp");                        // "KUBE-SVC-XPGD46QRK7WJZT7O"
 * servicePortEndpointChainName("ns1/svc1:p80", "tcp", "10.180.0.1:80"); // "KUBE-SEP-SXIVWICOYRO3J4NJ"
 */
import { sha256 } from "../../util/sha256";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The first `chars` characters of the standard base32 encoding of `bytes`. */
function base32Prefix(bytes: Uint8Array, chars: number): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
      if (out.length === chars) return out;
    }
  }
  return out;
}

/**
 * Hashes already computed, by input. A pure function's memo, shared by every proxier: nodes
 * name the same service ports, and each sync names them again.
 */
const memo = new Map<string, string>();
const MEMO_LIMIT = 100_000;

function hash16(text: string): string {
  let h = memo.get(text);
  if (h === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    h = base32Prefix(sha256(text), 16);
    memo.set(text, h);
  }
  return h;
}

/** `portProtoHash`: the 16 characters every per-service chain of one service port shares. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
}

/** KUBE-SVC-…: dispatches to the service's endpoints under the Cluster traffic policy. */
export const servicePortChainName = (name: string, protocol: string) => `KUBE-SVC-${portProtoHash(name, protocol)}`;
/** KUBE-SVL-…: dispatches to this node's endpoints under a Local traffic policy. */
export const servicePortLocalChainName = (name: string, protocol: string) => `KUBE-SVL-${portProtoHash(name, protocol)}`;
/** KUBE-FW-…: loadBalancerSourceRanges. */
export const serviceFirewallChainName = (name: string, protocol: string) => `KUBE-FW-${portProtoHash(name, protocol)}`;
/** KUBE-EXT-…: NodePort, LoadBalancer and external IP traffic, before the policy chain. */
export const serviceExternalChainName = (name: string, protocol: string) => `KUBE-EXT-${portProtoHash(name, protocol)}`;

/** KUBE-SEP-…: one endpoint of one service port (DNAT to `ip:port`). */
export function servicePortEndpointChainName(name: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(name + protocol + endpoint)}`;
}

/** The prefixes of the chains kube-proxy owns per service (and may delete when stale). */
const SERVICE_CHAIN_PREFIXES = ["KUBE-SVC-", "KUBE-SVL-", "KUBE-SEP-", "KUBE-FW-", "KUBE-EXT-"];

export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}

/**
 * `computeProbability`: Go's `%0.10f` of 1/n. JavaScript's toFixed rounds the same exact
 * binary value the same way except on an exact tie, which Go rounds to even: among 1/n only
 * 1/2048 (= 0.00048828125) is one.
 */
export function probability(n: number): string {
  return n === 2048 ? "0.0004882812" : (1 / n).toFixed(10);
}

