// Rule evaluation as the packet walker calls it: jumps, gotos, returns and policies, negation,
// counters, the matches kube-proxy and Calico rely on (statistic over a seeded run, recent for
// session affinity, addrtype, conntrack, marks, ipsets) and the verdicts with the rule behind them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NetStack } from "@/lib/engine/net/kernel/stack";
import { addEntry, createSet, deleteEntry, flushSet, hitLabel, restoreTables, traverse, type PacketView, type TraverseEnv } from "@/lib/engine/net/netfilter";
import { parseIP } from "@/lib/engine/util/ipv4";
import { Rng } from "@/lib/engine/util/rng";

const ip = (text: string) => parseIP(text)!;

function stackWith(rules: string): NetStack {
  const s = new NetStack({ id: "node01", host: "node01", inode: 4026531840 });
  s.setUp(s.link("lo")!, true);
  const eth0 = s.addLink({ name: "eth0", kind: "device", mac: "02:00:00:00:00:01", mtu: 1500 });
  s.addAddress(eth0, { ip: ip("172.30.1.2"), prefix: 24 });
  s.setUp(eth0, true);
  const { error } = restoreTables(s, rules, { noflush: true });
  if (error) throw new Error(error.message);
  return s;
}

function packet(init: Partial<PacketView> = {}): PacketView {
  return { src: ip("10.244.1.5"), dst: ip("10.96.0.10"), protocol: 6, sport: 40000, dport: 80, length: 60, inIface: "cni0", outIface: "", mark: 0, ct: { state: "NEW" }, ...init };
}

const env = (seed = 1, now = 1_000_000): TraverseEnv => ({ now, rng: new Rng(seed) });

describe("traverse", () => {
  const rules = `*filter
:INPUT DROP [0:0]
:A - [0:0]
:B - [0:0]
:C - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -j A
-A INPUT ! -s 10.0.0.0/8 -j DROP
-A INPUT -p udp -g C
-A A -p tcp --dport 22 -j ACCEPT
-A A -j B
-A A -p tcp --dport 80 -j ACCEPT
-A B -p tcp --dport 80 -j RETURN
-A B -j REJECT
-A C -p udp --dport 53 -j ACCEPT
COMMIT
`;

  it("follows jumps and returns, and takes the first verdict", () => {
    const s = stackWith(rules);
    const r = traverse(s, "filter", "INPUT", packet(), env());
    expect(r.verdict).toEqual({ kind: "ACCEPT" });
    expect(r.hits.map(hitLabel)).toEqual(["filter/INPUT rule 2", "filter/A rule 2", "filter/B rule 1", "filter/A rule 3"]);
    expect(r.by).toEqual({ table: "filter", chain: "A", rule: 3, text: "-p tcp -m tcp --dport 80 -j ACCEPT" });
    expect(s.netfilter.filter.chains.get("B")!.rules[0]).toMatchObject({ packets: 1, bytes: 60 });
    const rejected = traverse(s, "filter", "INPUT", packet({ dport: 443 }), env());
    expect(rejected.verdict).toEqual({ kind: "REJECT", with: "icmp-port-unreachable" });
    expect(rejected.by && hitLabel(rejected.by)).toBe("filter/B rule 2");
  });

  it("applies the policy when nothing decides, counting it, and a goto's end returns past the chain that went there", () => {
    const s = stackWith(rules);
    const r = traverse(s, "filter", "INPUT", packet({ protocol: 17, dport: 5353 }), env());
    // -g C: C ends without a verdict, so the walk goes back to INPUT's caller: the policy.
    expect(r.verdict).toEqual({ kind: "DROP" });
    expect(r.policy).toBe("INPUT");
    expect(r.by).toBeUndefined();
    expect(s.netfilter.filter.chains.get("INPUT")).toMatchObject({ packets: 1, bytes: 60 });
    const negated = traverse(s, "filter", "INPUT", packet({ protocol: 17, src: ip("192.168.1.1") }), env());
    expect(negated.by && hitLabel(negated.by)).toBe("filter/INPUT rule 3");
  });

  it("walks kube-proxy's rules to an endpoint and marks traffic to masquerade", () => {
    const s = stackWith(readFileSync("test/fixtures/iptables/kube-proxy-overall.restore", "utf8"));
    restoreTables(s, "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n", { noflush: true });
    const fromNode = traverse(s, "nat", "PREROUTING", packet({ src: ip("172.30.1.2"), dst: ip("172.30.0.41") }), env());
    expect(fromNode.verdict).toEqual({ kind: "DNAT", ip: ip("10.180.0.1"), port: 80 });
    expect(fromNode.by && hitLabel(fromNode.by)).toBe("nat/KUBE-SEP-SXIVWICOYRO3J4NJ rule 2");
    expect(fromNode.mark).toBe(0x4000);
    const fromPod = traverse(s, "nat", "PREROUTING", packet({ src: ip("10.244.1.5"), dst: ip("172.30.0.41") }), env());
    expect(fromPod.mark).toBe(0);
    // Only a connection's first packet meets the nat table.
    const established = traverse(s, "nat", "PREROUTING", packet({ dst: ip("172.30.0.41"), ct: { state: "ESTABLISHED" } }), env());
    expect(established).toMatchObject({ verdict: { kind: "ACCEPT" }, hits: [] });
  });

  it("spreads connections over endpoints as the probabilities say (seeded)", () => {
    const s = stackWith(`*nat
:SVC - [0:0]
:SEP1 - [0:0]
:SEP2 - [0:0]
:SEP3 - [0:0]
-A SVC -m statistic --mode random --probability 0.33333333349 -j SEP1
-A SVC -m statistic --mode random --probability 0.50000000000 -j SEP2
-A SVC -j SEP3
-A SEP1 -p tcp -j DNAT --to-destination 10.0.0.1:80
-A SEP2 -p tcp -j DNAT --to-destination 10.0.0.2:80
-A SEP3 -p tcp -j DNAT --to-destination 10.0.0.3:80
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -j SVC
COMMIT
`);
    const e = env(42);
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const v = traverse(s, "nat", "PREROUTING", packet({ sport: 30000 + i }), e).verdict;
      if (v.kind === "DNAT") counts.set(v.ip!, (counts.get(v.ip!) ?? 0) + 1);
    }
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(100);
    expect(counts.size).toBe(3);
  });

  it("takes every nth packet, starting with the one at --packet", () => {
    const s = stackWith("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m statistic --mode nth --every 3 --packet 1 -j DROP\nCOMMIT\n");
    const verdicts = Array.from({ length: 6 }, () => traverse(s, "filter", "INPUT", packet(), env()).verdict.kind);
    expect(verdicts).toEqual(["ACCEPT", "DROP", "ACCEPT", "ACCEPT", "DROP", "ACCEPT"]);
  });

  it("keeps a client on its endpoint with recent (sessionAffinity ClientIP) until the timeout", () => {
    const s = stackWith(`*nat
:SVC - [0:0]
:SEP1 - [0:0]
:SEP2 - [0:0]
-A SVC -m recent --name SEP2 --rcheck --seconds 10800 --reap -j SEP2
-A SVC -m recent --name SEP1 --rcheck --seconds 10800 --reap -j SEP1
-A SVC -m statistic --mode random --probability 0.5 -j SEP1
-A SVC -j SEP2
-A SEP1 -m recent --name SEP1 --set -p tcp -j DNAT --to-destination 10.0.0.1:80
-A SEP2 -m recent --name SEP2 --set -p tcp -j DNAT --to-destination 10.0.0.2:80
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -j SVC
COMMIT
`);
    const start = 5_000_000;
    const first = traverse(s, "nat", "PREROUTING", packet(), env(3, start)).verdict;
    for (let i = 1; i <= 20; i++) expect(traverse(s, "nat", "PREROUTING", packet({ sport: 40000 + i }), env(100 + i, start + i * 1000)).verdict).toEqual(first);
    expect(s.recent.get((first as { ip: number }).ip === ip("10.0.0.1") ? "SEP1" : "SEP2")!.has(ip("10.244.1.5"))).toBe(true);
    // After 10800 s without a connection the check fails and the client is spread again.
    const later = Array.from({ length: 20 }, (_, i) => traverse(s, "nat", "PREROUTING", packet(), env(200 + i, start + 10_900_000 + i * 11_000_000)).verdict);
    expect(new Set(later.map((v) => JSON.stringify(v))).size).toBe(2);
  });

  it("matches addrtype LOCAL against the namespace's own addresses", () => {
    const s = stackWith("*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j RETURN\n-A PREROUTING -m addrtype ! --src-type LOCAL -j RETURN\nCOMMIT\n");
    expect(traverse(s, "nat", "PREROUTING", packet({ dst: ip("172.30.1.2") }), env()).hits.map((h) => h.rule)).toEqual([1]);
    expect(traverse(s, "nat", "PREROUTING", packet({ dst: ip("172.30.1.9") }), env()).hits.map((h) => h.rule)).toEqual([2]);
    expect(traverse(s, "nat", "PREROUTING", packet({ src: ip("127.0.0.1"), dst: ip("8.8.8.8") }), env()).hits).toEqual([]);
  });

  it("reads conntrack states, including the DNAT bit, and marks", () => {
    const s = stackWith(`*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate DNAT -j ACCEPT
COMMIT
`);
    const by = (p: Partial<PacketView>) => traverse(s, "filter", "FORWARD", packet(p), env()).by?.rule;
    expect(by({ ct: { state: "INVALID" } })).toBe(1);
    expect(by({ mark: 0x4001 })).toBe(2);
    expect(by({ ct: { state: "ESTABLISHED" } })).toBe(3);
    expect(by({ ct: { state: "NEW", dnat: true } })).toBe(4);
    expect(by({ ct: { state: "NEW" } })).toBeUndefined();
  });

  it("changes marks with MARK and CONNMARK and goes on", () => {
    const s = stackWith(`*mangle
:PREROUTING ACCEPT [0:0]
-A PREROUTING -j MARK --or-mark 0x4000
-A PREROUTING -j MARK --xor-mark 0x1
-A PREROUTING -j CONNMARK --save-mark --mask 0xff
-A PREROUTING -j CONNMARK --set-mark 0x100/0x100
COMMIT
`);
    const r = traverse(s, "mangle", "PREROUTING", packet({ mark: 0x2 }), env());
    expect(r.mark).toBe(0x4003);
    expect(r.ctMark).toBe(0x103);
    expect(r.verdict).toEqual({ kind: "ACCEPT" });
  });

  it("tests ipset membership in the directions the rule gives", () => {
    const s = stackWith("");
    createSet(s, { name: "KUBE-CLUSTER-IP", type: "hash:ip,port" });
    addEntry(s, "KUBE-CLUSTER-IP", "10.96.0.10,tcp:80");
    createSet(s, { name: "pools", type: "hash:net" });
    addEntry(s, "pools", "10.244.0.0/16");
    restoreTables(s, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN\n-A INPUT -m set ! --match-set pools src -j DROP\nCOMMIT\n", { noflush: true });
    // RETURN from a built-in chain ends in its policy.
    expect(traverse(s, "filter", "INPUT", packet(), env())).toMatchObject({ hits: [{ rule: 1 }], policy: "INPUT" });
    expect(traverse(s, "filter", "INPUT", packet({ dport: 81 }), env())).toMatchObject({ hits: [], policy: "INPUT" });
    expect(traverse(s, "filter", "INPUT", packet({ dport: 81, src: ip("192.168.0.1") }), env()).by?.rule).toBe(2);
  });

  it("follows a set's entries as they are added and deleted, over networks of several lengths", () => {
    const s = stackWith("");
    createSet(s, { name: "peers", type: "hash:net" });
    restoreTables(s, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set peers src -j DROP\nCOMMIT\n", { noflush: true });
    const from = (src: string) => traverse(s, "filter", "INPUT", packet({ src: ip(src) }), env()).verdict.kind;
    addEntry(s, "peers", "10.244.1.0/24");
    addEntry(s, "peers", "10.244.2.7");
    addEntry(s, "peers", "10.0.0.0/8");
    expect([from("10.244.1.9"), from("10.244.2.7"), from("10.9.9.9"), from("192.168.0.1")]).toEqual(["DROP", "DROP", "DROP", "ACCEPT"]);
    deleteEntry(s, "peers", "10.0.0.0/8");
    expect([from("10.244.1.9"), from("10.244.2.7"), from("10.244.2.8"), from("10.9.9.9")]).toEqual(["DROP", "DROP", "ACCEPT", "ACCEPT"]);
    flushSet(s, "peers");
    expect(from("10.244.1.9")).toBe("ACCEPT");
    addEntry(s, "peers", "10.244.1.9");
    expect([from("10.244.1.9"), from("10.244.1.8")]).toEqual(["DROP", "ACCEPT"]);
  });

  it("tests a rule's matches in its order around the ones that keep state", () => {
    // nth counts every packet that reaches it (the 1st, 3rd, 5th match), marked or not: were the
    // mark tested first, only marked packets would count and the 6th would be dropped.
    const s = stackWith("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m statistic --mode nth --every 2 --packet 0 -m mark --mark 0x1 -j DROP\nCOMMIT\n");
    const marks = [0, 0, 1, 1, 0, 1];
    expect(marks.map((mark) => traverse(s, "filter", "INPUT", packet({ mark }), env()).verdict.kind)).toEqual(["ACCEPT", "ACCEPT", "DROP", "ACCEPT", "ACCEPT", "ACCEPT"]);
  });

  it("records LOG lines and CT --notrack, and drops what it would queue", () => {
    const s = stackWith("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j LOG --log-prefix \"seen: \"\n-A PREROUTING -p udp -j CT --notrack\n-A PREROUTING -p udp --dport 9 -j QUEUE\nCOMMIT\n");
    const r = traverse(s, "raw", "PREROUTING", packet({ protocol: 17 }), env());
    expect(r.logs).toEqual([{ hit: r.hits[0], prefix: "seen: ", level: 4 }]);
    expect(r.notrack).toBe(true);
    expect(traverse(s, "raw", "PREROUTING", packet({ protocol: 17, dport: 9 }), env()).verdict).toEqual({ kind: "DROP" });
  });
});
