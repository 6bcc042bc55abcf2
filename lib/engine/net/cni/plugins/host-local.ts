/**
 * The host-local IPAM plugin (containernetworking/plugins v1.6): addresses from the ranges of
 * its configuration, remembered as files on the node, one per address, under
 * `/var/lib/cni/networks/<network name>/` (`10.244.1.5` holding `<container id>\r\n<ifname>`,
 * `last_reserved_ip.0` holding the last address given out, and the `lock` file). The next
 * address is the one after the last reserved, wrapping around the range and skipping the
 * gateway and addresses still held, so a freed address is not reused at once.
 *
 * @example
 * hostLocal.add({ type: "bridge", name: "cbr0", ipam: { type: "host-local", ranges: [[{ subnet: "10.244.1.0/24" }]] } }, inv, env);
 * // { cniVersion: "1.0.0", ips: [{ address: "10.244.1.2/24", gateway: "10.244.1.1" }], routes: [] }
 */
import { broadcastOf, formatIP, networkOf, parseCIDR, parseIP } from "../../../util/ipv4";
import type { CniError, CniResult, Invocation, NetConf, Plugin, PluginEnv, ResultRoute } from "../types";

const DATA_DIR = "/var/lib/cni/networks";
/** backend/disk: what separates the container id from the interface name in an address file. */
const LINE_BREAK = "\r\n";

interface Range {
  subnet: { base: number; prefix: number };
  start: number;
  end: number;
  gateway: number;
}

interface IpamConf {
  ranges: Range[][];
  routes: ResultRoute[];
  dataDir: string;
}

/** The `ipam` section, as host-local's config.go reads and defaults it. */
function ipamConf(conf: NetConf): IpamConf | CniError {
  const ipam = (conf.ipam ?? {}) as Record<string, unknown>;
  const sets: unknown[][] = Array.isArray(ipam.ranges) ? (ipam.ranges as unknown[][]) : ipam.subnet ? [[{ subnet: ipam.subnet, rangeStart: ipam.rangeStart, rangeEnd: ipam.rangeEnd, gateway: ipam.gateway }]] : [];
  if (sets.length === 0) return { error: "no IP ranges specified" };
  const ranges: Range[][] = [];
  for (const set of sets) {
    const parsed: Range[] = [];
    for (const raw of Array.isArray(set) ? set : []) {
      const r = raw as Record<string, unknown>;
      const subnet = typeof r.subnet === "string" ? parseCIDR(r.subnet) : undefined;
      if (!subnet) return { error: `invalid CIDR ${JSON.stringify(r.subnet ?? "")}` };
      const last = broadcastOf(subnet.base, subnet.prefix);
      const start = typeof r.rangeStart === "string" ? parseIP(r.rangeStart) : subnet.base + 1;
      const end = typeof r.rangeEnd === "string" ? parseIP(r.rangeEnd) : last - 1;
      const gateway = typeof r.gateway === "string" ? parseIP(r.gateway) : subnet.base + 1;
      if (start === undefined || end === undefined || gateway === undefined) return { error: `invalid range in ${formatIP(subnet.base)}/${subnet.prefix}` };
      parsed.push({ subnet, start, end, gateway });
    }
    if (parsed.length === 0) return { error: "no IP ranges specified" };
    ranges.push(parsed);
  }
  const routes = Array.isArray(ipam.routes) ? (ipam.routes as ResultRoute[]).filter((r) => typeof r?.dst === "string").map((r) => (r.gw ? { dst: r.dst, gw: r.gw } : { dst: r.dst })) : [];
  return { ranges, routes, dataDir: typeof ipam.dataDir === "string" ? ipam.dataDir : DATA_DIR };
}

/** The directory of a network's reservations. */
function reservationDir(conf: NetConf, dataDir = DATA_DIR): string {
  return `${dataDir}/${conf.name ?? ""}`;
}

function reserve(env: PluginEnv, dir: string, set: Range[], rangeId: number, owner: string): number | undefined {
  const { fs } = env;
  const lastText = fs.isFile(`${dir}/last_reserved_ip.${rangeId}`) ? fs.readFile(`${dir}/last_reserved_ip.${rangeId}`).trim() : "";
  const last = parseIP(lastText);
  // The iterator starts after the last reserved address when that is in the set, else at the first range's start.
  let ri = last === undefined ? -1 : set.findIndex((r) => last >= r.start && last <= r.end);
  let ip = ri < 0 ? set[0].start : last! + 1;
  if (ri < 0) ri = 0;
  const total = set.reduce((n, r) => n + (r.end - r.start + 1), 0);
  for (let seen = 0; seen < total; seen++) {
    if (ip > set[ri].end) {
      ri = (ri + 1) % set.length;
      ip = set[ri].start;
    }
    const candidate = ip++;
    if (candidate === set[ri].gateway) continue;
    const file = `${dir}/${formatIP(candidate)}`;
    if (fs.exists(file)) continue;
    fs.writeFile(file, owner, { mode: 0o644 });
    fs.writeFile(`${dir}/last_reserved_ip.${rangeId}`, formatIP(candidate), { mode: 0o644 });
    return candidate;
  }
  return undefined;
}

/** Removes every address file held by `owner` (ReleaseByID); the `last_reserved_ip` files stay. */
function release(env: PluginEnv, dir: string, owner: string): void {
  if (!env.fs.isDirectory(dir)) return;
  for (const name of env.fs.list(dir)) {
    if (name === "lock" || name.startsWith("last_reserved_ip.")) continue;
    const path = `${dir}/${name}`;
    if (env.fs.isFile(path) && env.fs.readFile(path).trim() === owner) env.fs.unlink(path);
  }
}

const ownerOf = (inv: Invocation) => `${inv.containerId.trim()}${LINE_BREAK}${inv.ifName}`;

export const hostLocalPlugin: Plugin = {
  type: "host-local",
  add(conf, inv, env): CniResult | CniError {
    const ipam = ipamConf(conf);
    if ("error" in ipam) return ipam;
    const dir = reservationDir(conf, ipam.dataDir);
    env.fs.mkdirp(dir);
    if (!env.fs.exists(`${dir}/lock`)) env.fs.writeFile(`${dir}/lock`, "", { mode: 0o644 });
    const owner = ownerOf(inv);
    const ips: CniResult["ips"] = [];
    for (let i = 0; i < ipam.ranges.length; i++) {
      const set = ipam.ranges[i];
      const ip = reserve(env, dir, set, i, owner);
      if (ip === undefined) {
        // A failed ADD gives back what it took in earlier range sets.
        release(env, dir, owner);
        return { error: `failed to allocate for range ${i}: no IP addresses available in range set: ${set.map((r) => `${formatIP(r.start)}-${formatIP(r.end)}`).join(",")}` };
      }
      const range = set.find((r) => networkOf(ip, r.subnet.prefix) === r.subnet.base)!;
      ips.push({ address: `${formatIP(ip)}/${range.subnet.prefix}`, gateway: formatIP(range.gateway) });
    }
    return { cniVersion: conf.cniVersion ?? "1.0.0", ips, routes: ipam.routes, dns: {} };
  },
  del(conf, inv, env) {
    const ipam = ipamConf(conf);
    if ("error" in ipam) return ipam;
    release(env, reservationDir(conf, ipam.dataDir), ownerOf(inv));
    return undefined;
  },
};
