// Hand-built namespaces for the walker's tests, the way a lesson builds them with `ip`: a host
// with a bridge, and namespaces joined to it by veth pairs.
import { ClusterNetwork } from "@/lib/engine/net/network";
import type { NetStack } from "@/lib/engine/net/kernel/stack";
import type { NetMachine, SocketOwner } from "@/lib/engine/net/walker";
import { formatIP, parseIP } from "@/lib/engine/util/ipv4";
import { Rng } from "@/lib/engine/util/rng";

export const ip = (text: string) => parseIP(text)!;

/** A machine whose sockets are a list (stack inode, protocol, port, bound address). */
export class TestMachine implements NetMachine {
  on = true;
  readonly sockets: { inode: number; protocol: "TCP" | "UDP"; port: number; address: string; pid: number }[] = [];

  running(): boolean {
    return this.on;
  }

  listen(stack: NetStack, protocol: "TCP" | "UDP", port: number, address = "0.0.0.0", pid = 100): void {
    this.sockets.push({ inode: stack.inode, protocol, port, address, pid });
  }

  listener(inode: number, protocol: "TCP" | "UDP", dst: number, port: number): SocketOwner | undefined {
    const s = this.sockets.find((x) => x.inode === inode && x.protocol === protocol && x.port === port && (x.address === "0.0.0.0" || x.address === formatIP(dst)));
    return s && { pid: s.pid };
  }

  podOf(): undefined {
    return undefined;
  }
}

let inode = 4026532300;

/** A namespace on `host` named `name` with eth0 = one end of a veth whose other end is `peer` in the host. */
export function attach(net: ClusterNetwork, host: NetStack, name: string, peer: string, address: string, gateway?: string): NetStack {
  const ns = net.createNamespace({ host: host.host, inode: inode++, name });
  const [outside, inside] = net.createVethPair(host, peer, ns, "eth0");
  const [a, prefix] = address.split("/");
  ns.addAddress(inside, { ip: ip(a), prefix: Number(prefix) });
  ns.setUp(inside, true);
  ns.setUp(ns.link("lo")!, true);
  host.setUp(outside, true);
  if (gateway) ns.addRoute({ table: 254, type: "unicast", dst: { base: 0, prefix: 0 }, dev: inside.index, via: ip(gateway), proto: "boot", scope: "global", onlink: false });
  return ns;
}

/** A host with bridge br0 (10.0.0.1/24) and namespaces red (10.0.0.2) and blue (10.0.0.3) on it. */
export function bridgedPair() {
  const net = new ClusterNetwork(new Rng(1));
  const machine = new TestMachine();
  const host = net.addHost("host");
  net.registerMachine("host", machine);
  const br0 = host.addLink({ name: "br0", kind: "bridge", mac: net.mac(), mtu: 1500 });
  host.addAddress(br0, { ip: ip("10.0.0.1"), prefix: 24 });
  host.setUp(br0, true);
  const red = attach(net, host, "red", "veth-red", "10.0.0.2/24", "10.0.0.1");
  const blue = attach(net, host, "blue", "veth-blue", "10.0.0.3/24", "10.0.0.1");
  host.setMaster(host.link("veth-red")!, br0);
  host.setMaster(host.link("veth-blue")!, br0);
  return { net, machine, host, br0, red, blue };
}

/** red (10.0.1.2/24) — router (10.0.1.1 on eth0, 10.0.2.1 on eth1, forwarding) — blue (10.0.2.2/24), each joined by a veth. */
export function routedPair() {
  const net = new ClusterNetwork(new Rng(2));
  const machine = new TestMachine();
  const host = net.addHost("host");
  net.registerMachine("host", machine);
  const router = net.createNamespace({ host: "host", inode: inode++, name: "router" });
  router.setUp(router.link("lo")!, true);
  router.sysctls.set("net.ipv4.ip_forward", "1");
  const side = (name: string, ifname: string, net24: string) => {
    const ns = net.createNamespace({ host: "host", inode: inode++, name });
    const [outer, inner] = net.createVethPair(router, ifname, ns, "eth0");
    router.addAddress(outer, { ip: ip(`${net24}.1`), prefix: 24 });
    router.setUp(outer, true);
    ns.addAddress(inner, { ip: ip(`${net24}.2`), prefix: 24 });
    ns.setUp(inner, true);
    ns.setUp(ns.link("lo")!, true);
    ns.addRoute({ table: 254, type: "unicast", dst: { base: 0, prefix: 0 }, dev: inner.index, via: ip(`${net24}.1`), proto: "boot", scope: "global", onlink: false });
    return ns;
  };
  const red = side("red", "eth0", "10.0.1");
  const blue = side("blue", "eth1", "10.0.2");
  return { net, machine, host, router, red, blue };
}
