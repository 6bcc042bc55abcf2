// The walk through hand-built namespaces, as a lesson builds them with `ip`: two namespaces on a
// bridge, and two subnets joined by a router namespace. Each case edits the kernel state by hand
// and checks that traffic changes the way Linux changes it.
import { describe, expect, it } from "vitest";
import { formatEntry } from "@/lib/engine/net/conntrack/format";
import { restoreTables } from "@/lib/engine/net/netfilter";
import type { NetStack } from "@/lib/engine/net/kernel/stack";
import { connectTcp, echo, sendUdp } from "@/lib/engine/net/walker";
import { attach, bridgedPair, ip, routedPair } from "./helpers";

const NOW = Date.UTC(2026, 0, 12, 9, 0, 0);

function rules(stack: NetStack, text: string): void {
  const r = restoreTables(stack, text, { noflush: true });
  if (r.error) throw new Error(r.error.message);
}

describe("two namespaces on a bridge", () => {
  it("pings across the bridge: each hop, and both ends and the bridge learn the MACs", () => {
    const { net, red, blue, host, br0 } = bridgedPair();
    const r = echo(net, { from: red, dst: ip("10.0.0.3"), now: NOW, id: 7, seq: 1, size: 56 });
    expect(r.outcome).toEqual({ kind: "delivered" });
    expect(r.hops.map((h) => [h.stack, h.in, h.out])).toEqual([
      ["host/red", undefined, "eth0"],
      ["host", "veth-red", "veth-blue"],
      ["host/blue", "eth0", undefined],
    ]);
    expect(r.hops[1].steps).toEqual([{ kind: "bridge", detail: "br0: veth-red → veth-blue" }]);
    expect(r.replyHops.map((h) => h.stack)).toEqual(["host/blue", "host", "host/red"]);
    expect(red.neighbours.map((n) => [n.ip, n.state])).toEqual([[ip("10.0.0.3"), "REACHABLE"]]);
    expect(blue.neighbours.map((n) => [n.ip, n.state])).toEqual([[ip("10.0.0.2"), "STALE"]]);
    expect(br0.fdb!.map((e) => host.links.get(e.port!)!.name).sort()).toEqual(["veth-blue", "veth-red"]);
    expect(r.replyTtl).toBe(64);
    expect(r.rttMs).toBeGreaterThan(0);
    expect(r.rttMs).toBeLessThan(1);
  });

  it("refuses a TCP connection nobody listens for, and connects once something does", () => {
    const { net, red, blue, machine } = bridgedPair();
    const refused = connectTcp(net, { from: red, dst: ip("10.0.0.3"), dport: 80, now: NOW });
    expect(refused.outcome).toEqual({ kind: "refused", from: ip("10.0.0.3") });
    expect(refused.hops.at(-1)!.steps.at(-1)).toEqual({ kind: "deliver", detail: "nothing listens on TCP 80: RST" });
    machine.listen(blue, "TCP", 80);
    const ok = connectTcp(net, { from: red, dst: ip("10.0.0.3"), dport: 80, now: NOW, request: 78, response: 853 });
    expect(ok.outcome).toEqual({ kind: "connected" });
    expect(ok.server).toMatchObject({ stack: "host/blue", ip: ip("10.0.0.3"), port: 80, peer: { ip: ip("10.0.0.2"), port: ok.client.port } });
  });

  it("answers UDP from a socket, and with ICMP port unreachable without one", () => {
    const { net, red, blue, machine } = bridgedPair();
    expect(sendUdp(net, { from: red, dst: ip("10.0.0.3"), dport: 53, payload: 30, now: NOW }).outcome).toEqual({ kind: "refused", from: ip("10.0.0.3") });
    machine.listen(blue, "UDP", 53);
    const r = sendUdp(net, { from: red, dst: ip("10.0.0.3"), dport: 53, payload: 30, response: 60, now: NOW });
    expect(r.outcome).toEqual({ kind: "delivered" });
    expect(r.replyHops.at(-1)!.stack).toBe("host/red");
  });

  it("a deleted default route makes the namespace's own kernel refuse to send", () => {
    const { net, red } = bridgedPair();
    red.routing.routes = red.routing.routes.filter((r) => r.dst.prefix !== 0);
    expect(echo(net, { from: red, dst: ip("8.8.8.8"), now: NOW, id: 1, seq: 1, size: 56 }).outcome).toEqual({ kind: "error", errno: "ENETUNREACH" });
  });

  it("a bridge port taken down passes nothing: ARP goes unanswered for three seconds", () => {
    const { net, red, host } = bridgedPair();
    host.setUp(host.link("veth-blue")!, false);
    const r = echo(net, { from: red, dst: ip("10.0.0.3"), now: NOW, id: 1, seq: 1, size: 56 });
    expect(r.outcome).toEqual({ kind: "error", errno: "EHOSTUNREACH" });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(3000);
    expect(red.neighbours.find((n) => n.ip === ip("10.0.0.3"))?.state).toBe("FAILED");
  });

  it("a bridge that is down passes nothing either", () => {
    const { net, red, host, br0 } = bridgedPair();
    host.setUp(br0, false);
    expect(echo(net, { from: red, dst: ip("10.0.0.3"), now: NOW, id: 1, seq: 1, size: 56 }).outcome).toEqual({ kind: "error", errno: "EHOSTUNREACH" });
  });

  it("reaches the bridge's own address, up into the host", () => {
    const { net, red } = bridgedPair();
    const r = echo(net, { from: red, dst: ip("10.0.0.1"), now: NOW, id: 1, seq: 1, size: 56 });
    expect(r.outcome).toEqual({ kind: "delivered" });
    expect(r.hops[1].steps[0]).toEqual({ kind: "bridge", detail: "veth-red → br0 (to the host)" });
  });

  it("connects over loopback inside a namespace", () => {
    const { net, red, machine } = bridgedPair();
    machine.listen(red, "TCP", 8080, "127.0.0.1");
    const r = connectTcp(net, { from: red, dst: ip("127.0.0.1"), dport: 8080, now: NOW });
    expect(r.outcome).toEqual({ kind: "connected" });
    expect(r.hops.map((h) => h.stack)).toEqual(["host/red"]);
  });
});

describe("DNAT on the host of a bridge: the reply must meet conntrack", () => {
  const VIP = "10.96.0.100";
  function withDnat(bridgeNf: "0" | "1") {
    const pair = bridgedPair();
    pair.host.sysctls.set("net.ipv4.ip_forward", "1");
    pair.host.sysctls.set("net.bridge.bridge-nf-call-iptables", bridgeNf);
    rules(pair.host, `*nat\n-A PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.3:80\nCOMMIT\n`);
    pair.machine.listen(pair.blue, "TCP", 80);
    return pair;
  }

  it("with br_netfilter the bridged reply is translated back: the client sees the virtual IP answer", () => {
    const { net, red, host } = withDnat("1");
    const r = connectTcp(net, { from: red, dst: ip(VIP), dport: 80, now: NOW, request: 78, response: 615 });
    expect(r.outcome).toEqual({ kind: "connected" });
    expect(r.server?.ip).toBe(ip("10.0.0.3"));
    expect(r.hops[1].steps.map((s) => s.kind)).toEqual(["bridge", "nat", "forward", "route", "arp", "bridge"]);
    expect(r.replyHops[1].steps.map((s) => s.detail)).toEqual(["reply connection: source 10.0.0.3:80 → 10.96.0.100:80", "br0: veth-blue → veth-red"]);
    // The client closed: TIME_WAIT, with the endpoint in the reply tuple (listed a second later).
    expect(host.conntrack.entries.map((e) => formatEntry(e, NOW + 1000))).toEqual([
      `tcp      6 119 TIME_WAIT src=10.0.0.2 dst=${VIP} sport=${r.client.port} dport=80 src=10.0.0.3 dst=10.0.0.2 sport=80 dport=${r.client.port} [ASSURED] mark=0 use=1`,
    ]);
  });

  it("without br_netfilter the reply is bridged untranslated and matches no socket: the connection times out", () => {
    const { net, red } = withDnat("0");
    const r = connectTcp(net, { from: red, dst: ip(VIP), dport: 80, now: NOW });
    expect(r.outcome).toEqual({ kind: "timeout" });
    expect(r.replyHops.at(-1)!.steps.at(-1)!.detail).toBe(`the answer from 10.0.0.3 matches no socket of host/red: RST`);
  });

  it("a deleted DNAT rule sends the next connection out the default route instead", () => {
    const { net, red, host } = withDnat("1");
    rules(host, `*nat\n-D PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.3:80\nCOMMIT\n`);
    const r = connectTcp(net, { from: red, dst: ip(VIP), dport: 80, now: NOW });
    expect(r.outcome.kind).not.toBe("connected");
  });

  it("REJECT with a reset answers for the server, as the connection's reply (the virtual IP)", () => {
    const { net, red, host } = withDnat("1");
    rules(host, `*filter\n-A FORWARD -d 10.0.0.3/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset\nCOMMIT\n`);
    expect(connectTcp(net, { from: red, dst: ip(VIP), dport: 80, now: NOW }).outcome).toEqual({ kind: "refused", from: ip(VIP) });
  });

  it("a DROP policy on FORWARD loses the packet silently", () => {
    const { net, red, host } = withDnat("1");
    rules(host, `*filter\n:FORWARD DROP [0:0]\nCOMMIT\n`);
    const r = connectTcp(net, { from: red, dst: ip(VIP), dport: 80, now: NOW });
    expect(r.outcome).toEqual({ kind: "timeout" });
    expect(r.hops[1].steps).toContainEqual({ kind: "netfilter", detail: "filter/FORWARD: DROP (filter/FORWARD policy DROP)" });
  });
});

describe("two subnets joined by a router namespace", () => {
  it("routes across, one TTL per hop", () => {
    const { net, red } = routedPair();
    const r = echo(net, { from: red, dst: ip("10.0.2.2"), now: NOW, id: 1, seq: 1, size: 56 });
    expect(r.outcome).toEqual({ kind: "delivered" });
    expect(r.replyTtl).toBe(63);
    expect(r.hops.map((h) => h.stack)).toEqual(["host/red", "host/router", "host/blue"]);
  });

  it("a router with ip_forward=0 drops what is not for it, silently", () => {
    const { net, red, router } = routedPair();
    router.sysctls.set("net.ipv4.ip_forward", "0");
    const r = echo(net, { from: red, dst: ip("10.0.2.2"), now: NOW, id: 1, seq: 1, size: 56 });
    expect(r.outcome).toEqual({ kind: "timeout" });
    expect(r.hops[1].steps.at(-1)).toEqual({ kind: "drop", detail: "not for this host and forwarding is off on eth0 (net.ipv4.ip_forward=0)" });
  });

  it("reverse-path filtering: strict drops a source whose way back is another interface, loose only needs a way", () => {
    const { net, red, blue, router, machine } = routedPair();
    machine.listen(blue, "UDP", 514);
    // The router's way back to red now leaves by eth1.
    router.addRoute({ table: 254, type: "unicast", dst: { base: ip("10.0.1.2"), prefix: 32 }, dev: router.link("eth1")!.index, proto: "static", scope: "link", onlink: false });
    const send = () => sendUdp(net, { from: red, dst: ip("10.0.2.2"), dport: 514, payload: 40, now: NOW });
    expect(send().outcome).toEqual({ kind: "delivered" });
    router.sysctls.set("net.ipv4.conf.all.rp_filter", "1");
    const strict = send();
    expect(strict.outcome).toEqual({ kind: "timeout" });
    expect(strict.hops[1].steps.at(-1)!.detail).toBe("rp_filter=1: the way back to 10.0.1.2 is not eth0 (martian source)");
    router.sysctls.set("net.ipv4.conf.all.rp_filter", "2");
    expect(send().outcome).toEqual({ kind: "delivered" });
  });

  it("TTL 1 expires at the router, which says so", () => {
    const { net, red } = routedPair();
    const r = echo(net, { from: red, dst: ip("10.0.2.2"), now: NOW, id: 1, seq: 1, size: 56, ttl: 1 });
    expect(r.outcome).toMatchObject({ kind: "unreachable", reason: "ttl", from: ip("10.0.1.1"), icmpType: 11, icmpCode: 0 });
  });

  it("a destination the router has no route for comes back as net unreachable", () => {
    const { net, red } = routedPair();
    const r = echo(net, { from: red, dst: ip("192.0.2.9"), now: NOW, id: 1, seq: 1, size: 56 });
    expect(r.outcome).toMatchObject({ kind: "unreachable", reason: "net", from: ip("10.0.1.1") });
  });

  it("without a way back the answer is lost: asymmetric routing breaks the connection", () => {
    const { net, red, blue, machine } = routedPair();
    machine.listen(blue, "TCP", 80);
    blue.routing.routes = blue.routing.routes.filter((r) => r.dst.prefix !== 0);
    const r = connectTcp(net, { from: red, dst: ip("10.0.2.2"), dport: 80, now: NOW });
    expect(r.outcome).toEqual({ kind: "timeout" });
    expect(r.hops.at(-1)!.stack).toBe("host/blue");
  });

  it("a route deleted on the router turns into ICMP net unreachable for the sender", () => {
    const { net, red, router } = routedPair();
    router.routing.routes = router.routing.routes.filter((r) => !(r.table === 254 && r.dst.base === ip("10.0.2.0")));
    expect(echo(net, { from: red, dst: ip("10.0.2.2"), now: NOW, id: 1, seq: 1, size: 56 }).outcome).toMatchObject({ kind: "unreachable", reason: "net" });
  });

  it("REJECT with an ICMP error: the sender's socket hears it from the router", () => {
    const { net, red, router } = routedPair();
    rules(router, `*filter\n-A FORWARD -d 10.0.2.2/32 -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n`);
    expect(connectTcp(net, { from: red, dst: ip("10.0.2.2"), dport: 80, now: NOW }).outcome).toMatchObject({ kind: "unreachable", reason: "prohibited", from: ip("10.0.1.1"), icmpCode: 10 });
    rules(router, `*filter\n-F FORWARD\n-A FORWARD -d 10.0.2.2/32 -p udp -j REJECT\nCOMMIT\n`);
    expect(sendUdp(net, { from: red, dst: ip("10.0.2.2"), dport: 53, payload: 20, now: NOW }).outcome).toEqual({ kind: "refused", from: ip("10.0.1.1") });
  });

  it("MASQUERADE on the router: the server sees the router, the client its own connection", () => {
    const { net, red, blue, router, machine } = routedPair();
    machine.listen(blue, "TCP", 80);
    rules(router, `*nat\n-A POSTROUTING -s 10.0.1.0/24 -o eth1 -j MASQUERADE\nCOMMIT\n`);
    const r = connectTcp(net, { from: red, dst: ip("10.0.2.2"), dport: 80, now: NOW });
    expect(r.outcome).toEqual({ kind: "connected" });
    expect(r.server?.peer.ip).toBe(ip("10.0.2.1"));
  });

  it("a namespace made by hand has no conntrack until its rules need one", () => {
    const { net, red, router, blue, machine } = routedPair();
    machine.listen(blue, "TCP", 80);
    connectTcp(net, { from: red, dst: ip("10.0.2.2"), dport: 80, now: NOW });
    expect(router.conntrack.entries).toEqual([]);
    rules(router, `*filter\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n`);
    connectTcp(net, { from: red, dst: ip("10.0.2.2"), dport: 80, now: NOW });
    expect(router.conntrack.entries.map((e) => e.tcpState)).toEqual(["TIME_WAIT"]);
  });
});

describe("attach", () => {
  it("builds what the helpers promise", () => {
    const { net, host } = bridgedPair();
    const green = attach(net, host, "green", "veth-green", "10.0.0.4/24");
    expect(green.link("eth0")?.addrs.map((a) => a.ip)).toEqual([ip("10.0.0.4")]);
  });
});
