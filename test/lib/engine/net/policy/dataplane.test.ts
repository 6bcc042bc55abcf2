// NetworkPolicy enforced by Calico's Felix, walked through the real dataplane: for each feature,
// the 9 × 9 reachability table over x/y/z × a/b/c (upstream e2e's shape) from connectTcp through
// every node's iptables equals decide.ts's table and the table the feature means. A flannel
// cluster keeps every policy as an API object and enforces none.
import { beforeAll, describe, expect, it } from "vitest";
import { caliVethName } from "@/lib/engine/net/cni";
import { saveTables } from "@/lib/engine/net/netfilter";
import { bootMatrix, expected, fork, policy } from "./helpers";

type Booted = Awaited<ReturnType<typeof bootMatrix>>;
const inX = (p: string) => p.startsWith("x/");

describe("NetworkPolicy on three-node-calico (Felix's iptables dataplane)", () => {
  let booted: Booted;
  beforeAll(async () => {
    booted = await bootMatrix("three-node-calico");
  }, 60_000);

  /** Applies the policies on a fork; the walked table must equal decide.ts's and the expectation. */
  async function check(policies: Parameters<ReturnType<typeof fork>["apply"]>, want: (from: string, to: string) => boolean, traffic?: { port: number; protocol: "TCP" | "UDP" }) {
    const m = fork(booted);
    await m.apply(...policies);
    const walked = m.walked(traffic);
    expect(walked).toBe(m.decided(traffic));
    expect(walked).toBe(expected(want));
    return m;
  }

  it("allows everything with no policy", async () => {
    await check([], () => true);
  });

  it("default-deny ingress isolates every pod of its namespace, and nothing else", async () => {
    await check([policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] })], (_f, to) => !inX(to));
  });

  it("a podSelector peer means pods of the policy's own namespace", async () => {
    await check([policy("x", "allow-b", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b" } } }] }] })], (from, to) => to !== "x/a" || from === "x/b");
  });

  it("a namespaceSelector peer alone means every pod of matching namespaces", async () => {
    await check([policy("x", "allow-y", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "y" } } }] }] })], (from, to) => to !== "x/a" || from.startsWith("y/"));
  });

  it("podSelector and namespaceSelector in one peer AND; in two peers OR", async () => {
    await check([policy("x", "and", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "y" } }, podSelector: { matchLabels: { pod: "b" } } }] }] })], (from, to) => to !== "x/a" || from === "y/b");
    await check([policy("x", "or", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "y" } } }, { podSelector: { matchLabels: { pod: "b" } } }] }] })], (from, to) => to !== "x/a" || from.startsWith("y/") || from === "x/b");
  });

  it("matchExpressions select as label selectors do", async () => {
    await check([policy("x", "not-c", { podSelector: { matchExpressions: [{ key: "pod", operator: "NotIn", values: ["c"] }] }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "ns", operator: "In", values: ["z"] }] } }] }] })], (from, to) => !inX(to) || to === "x/c" || from.startsWith("z/"));
  });

  it("a namespaceSelector on a label no namespace has matches nothing", async () => {
    await check([policy("x", "allow-team", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "blue" } } }] }] })], (_f, to) => !inX(to));
  });

  it("policies add up: a second policy allows what the first did not", async () => {
    await check([
      policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] }),
      policy("x", "allow-z", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "z" } } }] }] }),
    ], (from, to) => !inX(to) || from.startsWith("z/"));
  });

  it("ports restrict a rule: by number, by named port, by range", async () => {
    await check([policy("x", "81-only", { podSelector: {}, ingress: [{ ports: [{ port: 81 }] }] })], (_f, to) => !inX(to));
    await check([policy("x", "81-only", { podSelector: {}, ingress: [{ ports: [{ port: 81 }] }] })], () => true, { port: 81, protocol: "TCP" });
    await check([policy("x", "named", { podSelector: {}, ingress: [{ ports: [{ port: "serve-81-tcp" }] }] })], () => true, { port: 81, protocol: "TCP" });
    await check([policy("x", "named", { podSelector: {}, ingress: [{ ports: [{ port: "serve-81-tcp" }] }] })], (_f, to) => !inX(to));
    await check([policy("x", "range", { podSelector: {}, ingress: [{ ports: [{ port: 79, endPort: 80 }] }] })], () => true);
    await check([policy("x", "range", { podSelector: {}, ingress: [{ ports: [{ port: 79, endPort: 80 }] }] })], (_f, to) => !inX(to), { port: 81, protocol: "TCP" });
  });

  it("protocol defaults to TCP: a TCP rule does not let UDP in, a UDP rule does", async () => {
    await check([policy("x", "tcp-80", { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })], (_f, to) => !inX(to), { port: 80, protocol: "UDP" });
    await check([policy("x", "udp-80", { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: "UDP" }] }] })], () => true, { port: 80, protocol: "UDP" });
  });

  it("default-deny egress isolates the clients of its namespace", async () => {
    await check([policy("x", "deny-egress", { podSelector: {}, policyTypes: ["Egress"] })], (from) => !inX(from));
  });

  it("both sides must allow: egress from x to y only, and y/b accepts only x/a", async () => {
    await check([
      policy("x", "to-y", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: "y" } } }] }] }),
      policy("y", "from-xa", { podSelector: { matchLabels: { pod: "b" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "x" } }, podSelector: { matchLabels: { pod: "a" } } }] }] }),
    ], (from, to) => (!inX(from) || to.startsWith("y/")) && (to !== "y/b" || from === "x/a"));
  });

  it("egress to a named port; an egress section alone also isolates for ingress (policyTypes defaulting)", async () => {
    await check([policy("x", "egress-named", { podSelector: {}, egress: [{ to: [{ podSelector: { matchLabels: { pod: "b" } }, namespaceSelector: {} }], ports: [{ port: "serve-80-tcp" }] }] })], (from, to) => !inX(to) && (!inX(from) || to.endsWith("/b")));
  });

  it("ipBlock matches by address, minus its excepts", async () => {
    const m = fork(booted);
    const [yb, ya] = [m.podIP("y", "b"), m.podIP("y", "a")];
    // A /24 around y/a's address, except y/b's (when it is in there) and y/a's own /32 … then only cidr matters.
    await m.apply(policy("x", "cidr", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: `${ya}/32` } }, { ipBlock: { cidr: `${yb.split(".").slice(0, 3).join(".")}.0/24`, except: [`${yb}/32`] } }] }] }));
    expect(m.walked()).toBe(m.decided());
    const rows = m.walked().split("\n");
    const col = rows[0].split("\t").indexOf("x/a");
    const cell = (from: string) => rows.find((r) => r.startsWith(`${from}\t`))!.split("\t")[col];
    expect([cell("y/a"), cell("y/b")]).toEqual([".", "X"]);
  });

  it("renders Felix's chains: hooks first, endpoint chains, policy chains, selector IP sets", async () => {
    const m = fork(booted);
    await m.apply(policy("x", "allow-b", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b" } } }], ports: [{ port: 80 }] }] }));
    const save = await m.run("ssh node01 iptables-save -t filter");
    expect(save).toMatch(/\n-A FORWARD -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD\n/);
    expect(save.indexOf("-A FORWARD -m comment --comment \"cali:wUHhoiAYhphO9Mso\"")).toBeLessThan(save.indexOf("-A FORWARD -m comment --comment \"cali:S93hcgKJrXEqnTfs\""));
    expect(save).toMatch(/-A cali-FORWARD -i cali\+ -m comment --comment "cali:[\w-]{16}" -j cali-from-wl-dispatch\n/);
    const iface = /-A cali-to-wl-dispatch -o (cali\w+) .* -g cali-tw-\1\n/.exec(save);
    expect(iface).not.toBeNull();
    expect(save).toMatch(/-A cali-tw-cali\w+ -m comment --comment "cali:[\w-]{16}" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n/);
    const pi = /-A cali-tw-cali\w+ -m comment --comment "cali:[\w-]{16}" -m mark --mark 0x0\/0x20000 -j (cali-pi-_[\w-]{19})\n/.exec(save)!;
    expect(pi[1]).toHaveLength(28);
    expect(save).toMatch(new RegExp(`-A ${pi[1]} -p tcp -m comment --comment "cali:[\\w-]{16}" -m set --match-set (cali40s:[\\w-]{23}) src -m multiport --dports 80 -j MARK --set-xmark 0x10000/0x10000\\n`));
    const set = /--match-set (cali40s:[\w-]{23}) src/.exec(save)![1];
    expect(await m.run(`ssh node01 ipset list ${set} | sed -n '/^Members:/,$p'`)).toBe(`Members:\n${m.podIP("x", "b")}\n`);
    expect(save).toMatch(/-A cali-pri-kns\.x -m comment --comment "cali:[\w-]{16}" -j MARK --set-xmark 0x10000\/0x10000\n/);
    // Nodes with no selected pod have no chain for the policy.
    expect(await m.run(`ssh node02 iptables-save -t filter | grep -c ${pi[1]} || true`)).toBe("0\n");
  });

  it("calicoctl lists the policies as Calico converted them", async () => {
    const m = fork(booted);
    await m.apply(policy("x", "allow-b", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b" } } }] }] }), policy("y", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] }));
    expect(await m.run("calicoctl get networkpolicy -n x")).toBe("NAME                  \nknp.default.allow-b   \n");
    expect(await m.run("calicoctl get netpol -A -o wide")).toBe(
      "NAMESPACE   NAME                   ORDER   SELECTOR                                                \n" +
      "x           knp.default.allow-b    1000    projectcalico.org/orchestrator == 'k8s' && pod == 'a'   \n" +
      "y           knp.default.deny-all   1000    projectcalico.org/orchestrator == 'k8s'                 \n",
    );
    expect(await m.run("calicoctl get networkpolicy nope -n x")).toBe('Failed to get resources: resource does not exist: NetworkPolicy(x/nope) with error: networkpolicies.crd.projectcalico.org "nope" not found\n');
  });

  it("replies of allowed connections pass by conntrack; counters count the drop", async () => {
    const m = fork(booted);
    await m.apply(policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }), policy("x", "allow-b-out", { podSelector: { matchLabels: { pod: "b" } }, egress: [{}] }));
    // x/b may go out (its egress allows all), and y/a answers it: the SYN-ACK matches ESTABLISHED.
    expect(m.walked().split("\n").find((r) => r.startsWith("x/b\t"))).toBe("x/b\t" + "X\t-\tX\t.\t.\t.\t.\t.\t.");
    const save = await m.run("ssh node01 iptables-save -c -t filter");
    const drop = save.split("\n").find((l) => l.includes("cali-tw-") && l.includes("Drop if no policies passed packet") && !l.startsWith("[0:0]"));
    expect(drop).toBeDefined();
  });

  it("tcpdump on the client's interface shows the SYN leave and nothing answer", async () => {
    const m = fork(booted);
    await m.apply(policy("y", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] }));
    const netns = m.stackOf("x", "a").name;
    await m.run("ssh node01");
    await m.run(`tcpdump -ni ${caliVethName("x", "a")} -c 5 tcp`);
    const out = await m.run(`ip netns exec ${netns} curl -s -m 2 http://${m.podIP("y", "b")}; echo rc=$?`);
    const packets = out.split("\n").filter((l) => / IP /.test(l));
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatch(new RegExp(`IP ${m.podIP("x", "a").replace(/\./g, "\\.")}\\.\\d+ > ${m.podIP("y", "b").replace(/\./g, "\\.")}\\.80: Flags \\[S\\]`));
    expect(out).toContain("rc=28\n");
  });

  it("follows changes: a pod's new label, a namespace's new label, a deleted policy", async () => {
    const m = fork(booted);
    await m.apply(policy("x", "allow-team", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "blue" } } }, { podSelector: { matchLabels: { role: "client" } } }] }] }));
    expect(m.walked()).toBe(expected((_f, to) => !inX(to)));
    await m.run("kubectl label namespace z team=blue; sleep 1");
    expect(m.walked()).toBe(expected((from, to) => !inX(to) || from.startsWith("z/")));
    await m.run("kubectl -n x label pod c role=client; sleep 1");
    expect(m.walked()).toBe(expected((from, to) => !inX(to) || from.startsWith("z/") || from === "x/c"));
    expect(m.walked()).toBe(m.decided());
    await m.run("kubectl -n x delete networkpolicy allow-team; sleep 1");
    expect(m.walked()).toBe(expected(() => true));
    const save = await m.run("ssh node01 iptables-save -t filter");
    expect(save).not.toMatch(/cali-pi-/);
    expect(await m.run("ssh node01 ipset list -n | grep -c cali40s || true")).toBe("0\n");
  });

  it("a second pass over unchanged inputs rewrites nothing (counters keep counting)", async () => {
    const m = fork(booted);
    await m.apply(policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] }));
    m.walked();
    const before = saveTables(m.cluster.internals.network.host("node01")!.netfilter, { now: 0, counters: true });
    await m.run("sleep 30");
    expect(saveTables(m.cluster.internals.network.host("node01")!.netfilter, { now: 0, counters: true })).toBe(before);
  });
});

describe("NetworkPolicy on three-node-flannel (no enforcement)", () => {
  it("keeps the policies as API objects and drops nothing", async () => {
    const booted = await bootMatrix("three-node-flannel");
    const m = fork(booted);
    await m.apply(policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }));
    expect(await m.run("kubectl get networkpolicy -n x")).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\ndeny-all\s+<none>\s+/);
    expect(m.decided()).toBe(expected((from, to) => !inX(from) && !inX(to)));
    expect(m.walked()).toBe(expected(() => true));
    expect(await m.run("ssh node01 iptables-save | grep -c cali- || true")).toBe("0\n");
  }, 60_000);
});
