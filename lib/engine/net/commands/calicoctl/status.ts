/**
 * `calicoctl node status` and `calicoctl ipam show`: the local BGP speaker's peers as BIRD's
 * `show protocols` reports them (the node-to-node mesh: every other Calico node, `up` and
 * `Established`, or `start` while the peer is away), and IP utilisation per pool and block
 * from Calico IPAM.
 *
 * @example
 * nodeStatus(calico, "node01", now); // "Calico process is running.\n\nIPv4 BGP status\n+----…"
 * ipamShow(calico, { showBlocks: true });
 */
import { formatCIDR, formatIP, inCIDR, parseIP } from "../../../util/ipv4";
import { NODE_ANNOTATIONS, type CalicoDatastore } from "../../cni";
import { boxTable } from "./tables";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** BIRD's `timeformat protocol iso short`: the time of day within 20 hours, else the date. */
function birdSince(at: number, now: number): string {
  const d = new Date(at);
  if (now - at < 20 * 3_600_000) return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function nodeStatus(calico: CalicoDatastore | undefined, host: string, now: number): { stdout: string; exitCode: number } {
  const self = calico?.bird.get(host);
  if (!calico || !self?.running) return { stdout: "Calico process is not running.\n", exitCode: 1 };
  let out = "Calico process is running.\n";
  if (!calico.bgp) return { stdout: `${out}\nNone of the BGP backend processes (BIRD or GoBGP) are running.\n\n`, exitCode: 0 };
  const rows: string[][] = [];
  for (const peer of calico.calicoNodes()) {
    const name = peer.metadata.name;
    if (name === host) continue;
    const ip = (peer.metadata.annotations?.[NODE_ANNOTATIONS.ipv4] ?? "").split("/")[0];
    const bird = calico.bird.get(name);
    const since = birdSince(Math.max(self.since, bird?.since ?? self.since), now);
    if (bird?.running) rows.push([ip, "node-to-node mesh", "up", since, "Established"]);
    else rows.push([ip, "node-to-node mesh", "start", since, bird?.machineOff ? "Connect" : "Active Socket: Connection refused"]);
  }
  out += "\nIPv4 BGP status\n";
  out += rows.length > 0 ? boxTable(["Peer address", "Peer type", "State", "Since", "Info"], rows) : "No IPv4 peers found.\n";
  out += "\nIPv6 BGP status\nNo IPv6 peers found.\n\n";
  return { stdout: out, exitCode: 0 };
}

/** Go's `%.5g` for the counts calicoctl prints. */
function g5(n: number): string {
  if (Math.abs(n) < 1e5) return String(n);
  const [mantissa, exp] = n.toExponential(4).split("e");
  const e = Number(exp);
  return `${mantissa.replace(/\.?0+$/, "")}e${e < 0 ? "-" : "+"}${pad(Math.abs(e))}`;
}

/** Go's `%.f`: the nearest integer, ties to even. */
function percent(x: number): string {
  const r = Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
  return String(r);
}

const usageRow = (kind: string, cidr: string, inUse: number, capacity: number) => [
  kind, cidr, g5(capacity), `${g5(inUse)} (${percent((100 * inUse) / capacity)}%)`, `${g5(capacity - inUse)} (${percent((100 * (capacity - inUse)) / capacity)}%)`,
];

/** The block's name as the ipamblocks resource names it (`192-168-145-64-26`): the order they list in. */
const blockName = (cidr: string) => cidr.replace(/[./]/g, "-");

export function ipamShow(calico: CalicoDatastore, options: { showBlocks: boolean; ip?: string }): { stdout: string; exitCode: number } {
  if (options.ip !== undefined) {
    const ip = parseIP(options.ip);
    if (ip === undefined) return { stdout: `invalid IP address specified: ${options.ip}\n`, exitCode: 1 };
    const held = calico.ipam.attributesOf(ip);
    if (!held) return { stdout: `${formatIP(ip)} is not assigned\n`, exitCode: 0 };
    const attrs = Object.entries(held.attrs).sort(([a], [b]) => a.localeCompare(b));
    return { stdout: `IP ${formatIP(ip)} is in use\n${attrs.length > 0 ? `Attributes:\n${attrs.map(([k, v]) => `  ${k}: ${v}\n`).join("")}` : "No attributes defined\n"}`, exitCode: 0 };
  }
  const rows: string[][] = [];
  for (const pool of calico.pools) {
    const blocks = [...calico.ipam.blocks.values()].filter((b) => inCIDR(b.cidr.base, pool.cidr)).sort((a, b) => (blockName(formatCIDR(a.cidr)) < blockName(formatCIDR(b.cidr)) ? -1 : 1));
    const inUse = blocks.reduce((n, b) => n + calico.ipam.inUse(b), 0);
    rows.push(usageRow("IP Pool", formatCIDR(pool.cidr), inUse, 2 ** (32 - pool.cidr.prefix)));
    if (options.showBlocks) for (const b of blocks) rows.push(usageRow("Block", formatCIDR(b.cidr), calico.ipam.inUse(b), b.allocations.length));
  }
  return { stdout: boxTable(["GROUPING", "CIDR", "IPS TOTAL", "IPS IN USE", "IPS FREE"], rows), exitCode: 0 };
}
