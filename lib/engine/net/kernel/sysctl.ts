/**
 * A namespace's `net.*` sysctls as `sysctl` and `/proc/sys/net` show them: the global keys the
 * stack keeps (`net.ipv4.ip_forward`…), `conf.all`/`conf.default` forwarding (one switch with
 * ip_forward, as in Linux), and the per-interface `net.ipv4.conf.<if>.*` keys (an interface
 * name's dots become slashes in a key: `net.ipv4.conf.flannel/1.rp_filter`). The node's
 * `/proc/sys/net/...` files read and write the same state, so `sysctl -w` and
 * `echo 1 > /proc/sys/net/ipv4/ip_forward` agree.
 *
 * @example
 * writeSysctl(stack, "net.ipv4.ip_forward", "1"); // undefined (done), or an errno name
 * readSysctl(stack, "net.ipv4.conf.all.forwarding"); // "1"
 */
import type { FileSystem, VirtualSource } from "../../shell";
import type { Link } from "./link";
import type { NetStack } from "./stack";

const FORWARDING_ALIASES = new Set(["net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding", "net.ipv4.conf.default.forwarding"]);
/** Per-interface keys the simulation keeps (the walker reads forwarding, proxy_arp, rp_filter). */
const INTERFACE_LEAVES = ["forwarding", "proxy_arp", "route_localnet", "rp_filter"] as const;

/** Every `net.*` key of the namespace with its value, sorted as `sysctl -a` lists them. */
export function sysctlEntries(stack: NetStack): [string, string][] {
  const keys = new Set([...stack.sysctls.keys(), ...FORWARDING_ALIASES]);
  for (const link of stack.links.values()) for (const leaf of INTERFACE_LEAVES) keys.add(`net.ipv4.conf.${keyName(link.name)}.${leaf}`);
  return [...keys].sort().map((key) => [key, readSysctl(stack, key)!]);
}

/** A key's value, or undefined when the namespace has no such key. */
export function readSysctl(stack: NetStack, key: string): string | undefined {
  if (FORWARDING_ALIASES.has(key)) return stack.sysctl("net.ipv4.ip_forward") ?? "0";
  const iface = interfaceKey(stack, key);
  if (iface) return linkSysctl(stack, iface.link, iface.leaf);
  return stack.sysctl(key);
}

/** `net.ipv4.conf.<link>.<leaf>` of one of the namespace's links, without parsing a key (the walker asks per packet). */
export function linkSysctl(stack: NetStack, link: Link, leaf: string): string {
  if (leaf === "proxy_arp") return link.proxyArp ? "1" : "0";
  const key = `net.ipv4.conf.${keyName(link.name)}.${leaf}`;
  if (leaf === "forwarding") return stack.sysctl(key) ?? stack.sysctl("net.ipv4.ip_forward") ?? "0";
  return stack.sysctl(key) ?? stack.sysctl(`net.ipv4.conf.default.${leaf}`) ?? "0";
}

/** Sets a key as writing its /proc file does: undefined when done, else the errno (`ENOENT`, `EINVAL`). */
export function writeSysctl(stack: NetStack, key: string, value: string): "ENOENT" | "EINVAL" | undefined {
  const current = readSysctl(stack, key);
  if (current === undefined) return "ENOENT";
  const text = value.trim();
  // Numeric keys take integers; the kernel normalises `01` to `1`. Vectors (port ranges) keep their fields.
  const fields = text.split(/\s+/);
  if (fields.length !== current.split("\t").length || fields.some((f) => !/^-?\d+$/.test(f))) return "EINVAL";
  const normalised = fields.map((f) => String(Number(f))).join("\t");
  if (FORWARDING_ALIASES.has(key)) {
    // Writing the global switch sets every interface's forwarding too (devinet's inet_forward_change).
    stack.sysctls.set("net.ipv4.ip_forward", normalised);
    for (const k of [...stack.sysctls.keys()]) if (/^net\.ipv4\.conf\..+\.forwarding$/.test(k)) stack.sysctls.delete(k);
    return undefined;
  }
  const iface = interfaceKey(stack, key);
  if (iface?.leaf === "proxy_arp") iface.link.proxyArp = normalised !== "0";
  else stack.sysctls.set(key, normalised);
  return undefined;
}

/** The sysctl name of an interface (`flannel.1` → `flannel/1`). */
export function keyName(ifname: string): string {
  return ifname.replace(/\./g, "/");
}

function interfaceKey(stack: NetStack, key: string): { link: Link; leaf: string } | undefined {
  const m = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(key);
  if (!m || !(INTERFACE_LEAVES as readonly string[]).includes(m[2])) return undefined;
  for (const link of stack.links.values()) if (keyName(link.name) === m[1]) return { link, leaf: m[2] };
  return undefined;
}

/** A `/proc/sys/net/...` file of one namespace: reads and writes go to its sysctls. */
class ProcSysFile implements VirtualSource {
  constructor(
    private readonly stack: NetStack,
    private readonly key: string,
  ) {}

  read(): string {
    return `${readSysctl(this.stack, this.key) ?? ""}\n`;
  }

  write(text: string): void {
    writeSysctl(this.stack, this.key, text);
  }
}

/** Puts the namespace's global `net.*` keys under `/proc/sys/net` of a machine's file system. */
export function mountProcSysNet(fs: FileSystem, stack: NetStack): void {
  const keys = new Set([...stack.sysctls.keys(), ...FORWARDING_ALIASES]);
  for (const key of keys) fs.defineVirtualFile(`/proc/sys/${key.replace(/\./g, "/")}`, new ProcSysFile(stack, key), { parents: true });
}
