import { describe, expect, it } from "vitest";
import { checkNexthop, dumpOrder, resolveRoute, selectSource } from "@/lib/engine/net/kernel/fib";
import { eui64LinkLocal, formatIPv6, hasCarrier, linkFlags, operState } from "@/lib/engine/net/kernel/link-state";
import { TABLE_MAIN, type Route } from "@/lib/engine/net/kernel/route";
import { mountProcSysNet, readSysctl, sysctlEntries, writeSysctl } from "@/lib/engine/net/kernel/sysctl";
import { ClusterNetwork } from "@/lib/engine/net/network";
import { FileSystem } from "@/lib/engine/shell";
import { VirtualClock } from "@/lib/engine/util/clock";
import { parseIP } from "@/lib/engine/util/ipv4";
import { Rng } from "@/lib/engine/util/rng";

const ip = (t: string) => parseIP(t)!;

function world() {
  const net = new ClusterNetwork(new Rng(1));
  const host = net.addHost("node01");
  const eth0 = net.attachHost(host, { segment: "lan", ip: "172.30.1.2", prefix: 24, gateway: "172.30.1.1" });
  return { net, host, eth0 };
}

describe("IPv6 addresses the kernel makes", () => {
  it.each([
    ["9a:3c:51:7e:0b:d2", "fe80::983c:51ff:fe7e:bd2"],
    ["02:00:00:00:00:01", "fe80::ff:fe00:1"],
    ["00:00:5e:00:53:01", "fe80::200:5eff:fe00:5301"],
  ])("EUI-64 link-local of %s is %s", (mac, expected) => {
    expect(eui64LinkLocal(mac)).toBe(expected);
  });

  it("prints RFC 5952 text: the longest zero run becomes ::, the first of equals", () => {
    expect(formatIPv6([0, 0, 0, 0, 0, 0, 0, 1])).toBe("::1");
    expect(formatIPv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe("2001:db8::1:0:0:1");
    expect(formatIPv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe("2001:db8:0:1:1:1:1:1");
  });
});

describe("namespace ids and inodes", () => {
  it("gives the lowest free id, forgets a dead namespace's, and lets it be reused", () => {
    const { net, host } = world();
    const a = net.createNamespace({ host: "node01", inode: 1, name: "a" });
    const b = net.createNamespace({ host: "node01", inode: 2, name: "b" });
    const c = net.createNamespace({ host: "node01", inode: 3, name: "c" });
    net.createVethPair(host, "va", a, "eth0");
    net.createVethPair(host, "vb", b, "eth0");
    expect([host.nsids.get(a.id), host.nsids.get(b.id), a.nsids.get(host.id)]).toEqual([0, 1, 0]);
    net.deleteNamespace(a);
    expect(host.nsids.has(a.id)).toBe(false);
    expect(host.link("va")).toBeUndefined();
    const [vc] = net.createVethPair(c, "vc", c, "peer");
    net.moveLink(c, vc, host);
    expect(host.nsids.get(c.id)).toBe(0);
  });

  it("hands out nsfs inodes from one counter per machine, and takes back an unused last one", () => {
    const net = new ClusterNetwork(new Rng(1));
    const first = net.allocateInode("n1", 3);
    expect(first).toBe(4026532183);
    expect(net.allocateInode("n1")).toBe(first + 1);
    expect(net.allocateInode("n2")).toBe(4026532180);
    const last = net.allocateInode("n1");
    net.releaseInode("n1", last);
    expect(net.allocateInode("n1")).toBe(last);
  });
});

describe("links", () => {
  it("gives loopback 127.0.0.1 only when it first comes up", () => {
    const net = new ClusterNetwork(new Rng(1));
    const ns = net.createNamespace({ host: "h", inode: 9, name: "x" });
    const lo = ns.link("lo")!;
    expect(lo.addrs).toEqual([]);
    ns.setUp(lo, true);
    ns.setUp(lo, false);
    ns.setUp(lo, true);
    expect(lo.addrs.map((a) => a.ip)).toEqual([ip("127.0.0.1")]);
  });

  it("derives carrier and state: a veth needs its peer up, a bridge a port with carrier", () => {
    const { net, host } = world();
    const [v0, v1] = net.createVethPair(host, "v0", host, "v1");
    const br = host.addLink({ name: "br0", kind: "bridge", mac: "02:00:00:00:00:99", mtu: 1500 });
    host.setUp(br, true);
    expect([hasCarrier(net, host, br), operState(net, host, br), linkFlags(net, host, br).join(",")]).toEqual([false, "DOWN", "NO-CARRIER,BROADCAST,MULTICAST,UP"]);
    host.setUp(v0, true);
    expect(operState(net, host, v0)).toBe("LOWERLAYERDOWN");
    host.setMaster(v0, br);
    expect(hasCarrier(net, host, br)).toBe(false);
    host.setUp(v1, true);
    expect([operState(net, host, v0), operState(net, host, br)]).toEqual(["UP", "UP"]);
  });

  it("makes a bridge follow its ports' smallest MTU and lowest MAC unless set by hand, numbering ports", () => {
    const { net, host } = world();
    const br = host.addLink({ name: "br0", kind: "bridge", mac: "fe:00:00:00:00:99", mtu: 1500 });
    const [a] = net.createVethPair(host, "a", host, "a1", { mtu: 1450, macA: "02:00:00:00:00:0b" });
    const [b] = net.createVethPair(host, "b", host, "b1", { mtu: 1500, macA: "02:00:00:00:00:0a" });
    host.setMaster(a, br);
    host.setMaster(b, br);
    expect([br.mtu, br.mac, a.portNo, b.portNo]).toEqual([1450, "02:00:00:00:00:0a", 1, 2]);
    host.setMaster(a, undefined);
    const [c] = net.createVethPair(host, "c", host, "c1", { macA: "02:00:00:00:00:0c" });
    host.setMaster(c, br);
    expect(c.portNo).toBe(1);
    host.setMac(br, "02:00:00:00:00:01");
    host.setMtu(br, 1400);
    host.setMaster(a, br);
    expect([br.mtu, br.mac]).toEqual([1400, "02:00:00:00:00:01"]);
  });
});

describe("the FIB", () => {
  const route = (over: Partial<Route>): Route => ({ table: TABLE_MAIN, type: "unicast", dst: { base: ip("10.50.0.0"), prefix: 16 }, proto: "boot", scope: "global", onlink: false, ...over });

  it("checks next hops as fib_check_nh does and fills the device of a gateway route", () => {
    const { net, host, eth0 } = world();
    const viaLan = route({ via: ip("172.30.1.20") });
    expect(checkNexthop(net, host, viaLan)).toBeUndefined();
    expect(viaLan.dev).toBe(eth0.index);
    expect(checkNexthop(net, host, route({ via: ip("10.1.1.1") }))).toBe("Error: Nexthop has invalid gateway.");
    expect(checkNexthop(net, host, route({ scope: "link" }))).toBe("RTNETLINK answers: No such device");
    expect(checkNexthop(net, host, route({ type: "blackhole" }))).toBeUndefined();
  });

  it("lists routes by table, address, longer prefix first, lower metric first", () => {
    const r = (dst: string, prefix: number, table = TABLE_MAIN, metric?: number) => route({ dst: { base: ip(dst), prefix }, table, metric });
    const order = dumpOrder([r("10.0.0.0", 8), r("10.0.0.0", 24), r("0.0.0.0", 0), r("127.0.0.1", 32, 255), r("10.0.0.0", 24, TABLE_MAIN, 5), r("1.0.0.0", 8, 100)]);
    expect(order.map((x) => `${x.table}:${x.dst.base >>> 24}/${x.dst.prefix}:${x.metric ?? 0}`)).toEqual(["100:1/8:0", "254:0/0:0", "254:10/24:0", "254:10/24:5", "254:10/8:0", "255:127/32:0"]);
  });

  it("resolves a lookup with its source address and refuses blackholed destinations", () => {
    const { host, eth0 } = world();
    const answer = resolveRoute(host, ip("8.8.8.8"));
    expect(answer).toMatchObject({ route: { via: ip("172.30.1.1"), dev: eth0.index }, src: ip("172.30.1.2") });
    expect(selectSource(host, eth0.index, ip("172.30.1.9"), "link")).toBe(ip("172.30.1.2"));
    host.addRoute(route({ type: "blackhole", dst: { base: ip("10.9.0.0"), prefix: 16 } }));
    expect(resolveRoute(host, ip("10.9.1.1"))).toEqual({ error: "RTNETLINK answers: Invalid argument" });
  });
});

describe("sysctls", () => {
  it("keeps ip_forward and conf.all.forwarding one switch, per-interface keys with / for dots, and the /proc file in step", () => {
    const { host } = world();
    host.addLink({ name: "flannel.1", kind: "vxlan", mac: "02:00:00:00:00:07", mtu: 1450 });
    expect(readSysctl(host, "net.ipv4.conf.all.forwarding")).toBe("0");
    expect(writeSysctl(host, "net.ipv4.conf.all.forwarding", "1")).toBeUndefined();
    expect(readSysctl(host, "net.ipv4.ip_forward")).toBe("1");
    expect(readSysctl(host, "net.ipv4.conf.flannel/1.forwarding")).toBe("1");
    expect(writeSysctl(host, "net.ipv4.conf.flannel/1.proxy_arp", "1")).toBeUndefined();
    expect(host.link("flannel.1")!.proxyArp).toBe(true);
    expect(writeSysctl(host, "net.ipv4.ip_forward", "x")).toBe("EINVAL");
    expect(writeSysctl(host, "net.ipv4.nope", "1")).toBe("ENOENT");
    expect(sysctlEntries(host).map(([k]) => k)).toContain("net.ipv4.conf.flannel/1.rp_filter");
    const fs = new FileSystem(new VirtualClock(0));
    mountProcSysNet(fs, host);
    fs.writeFile("/proc/sys/net/ipv4/ip_forward", "0\n");
    expect(readSysctl(host, "net.ipv4.ip_forward")).toBe("0");
    writeSysctl(host, "net.ipv4.ip_forward", "1");
    expect(fs.readFile("/proc/sys/net/ipv4/ip_forward")).toBe("1\n");
  });
});
