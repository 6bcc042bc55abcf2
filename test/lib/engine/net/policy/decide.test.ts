// NetworkPolicy semantics over the shape upstream's e2e suite uses: namespaces x, y, z with
// pods a, b, c serving 80 and 81. Each case prints the whole reachability table, so a change in
// any cell shows up (`.` allowed, `X` denied; rows are clients, columns servers).
import { describe, expect, it } from "vitest";
import type { NetworkPolicy } from "@/lib/engine/api/types/other";
import { decideConnection, policyTypesOf, type PolicyEndpoint, type Traffic } from "@/lib/engine/net/policy/decide";

const NAMESPACES = ["x", "y", "z"];
const PODS = ["a", "b", "c"];
const namespaceLabels = new Map(NAMESPACES.map((ns) => [ns, { "kubernetes.io/metadata.name": ns, ns }]));
const pods: PolicyEndpoint[] = NAMESPACES.flatMap((ns, i) =>
  PODS.map((pod, j) => ({
    kind: "pod" as const,
    namespace: ns,
    name: pod,
    labels: { pod },
    ip: `10.244.${i}.${j + 10}`,
    node: `node0${j}`,
    namedPorts: [{ name: "serve-80-tcp", port: 80, protocol: "TCP" }, { name: "serve-81-tcp", port: 81, protocol: "TCP" }],
  })),
);
const label = (e: PolicyEndpoint) => (e.kind === "pod" ? `${e.namespace}/${e.name}` : e.ip);

function table(policies: NetworkPolicy[], traffic: Traffic = { port: 80, protocol: "TCP" }): string {
  const rows = [["-", ...pods.map(label)].join("\t")];
  for (const client of pods) {
    rows.push([label(client), ...pods.map((server) => (decideConnection(policies, namespaceLabels, client, server, traffic).allowed ? "." : "X"))].join("\t"));
  }
  return rows.join("\n");
}

/** The expected table from a predicate over (client, server) labels. */
function expected(allowed: (from: string, to: string) => boolean): string {
  const rows = [["-", ...pods.map(label)].join("\t")];
  for (const c of pods) rows.push([label(c), ...pods.map((s) => (allowed(label(c), label(s)) ? "." : "X"))].join("\t"));
  return rows.join("\n");
}

function policy(namespace: string, name: string, spec: NetworkPolicy["spec"]): NetworkPolicy {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace, name }, spec };
}

describe("NetworkPolicy decisions", () => {
  it("allows everything when no policy exists", () => {
    expect(table([])).toBe(expected(() => true));
  });

  it("default-deny ingress isolates every pod of its namespace, and nothing else", () => {
    const deny = policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] });
    expect(table([deny])).toBe(expected((_from, to) => !to.startsWith("x/")));
  });

  it("defaults policyTypes to Ingress, plus Egress when there is an egress section", () => {
    expect(policyTypesOf(policy("x", "p", { podSelector: {} }))).toEqual(["Ingress"]);
    expect(policyTypesOf(policy("x", "p", { podSelector: {}, egress: [] }))).toEqual(["Ingress", "Egress"]);
    expect(policyTypesOf(policy("x", "p", { podSelector: {}, egress: [{}], policyTypes: ["Egress"] }))).toEqual(["Egress"]);
  });

  it("a podSelector peer means pods of the policy's own namespace", () => {
    const p = policy("x", "allow-b", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b" } } }] }] });
    expect(table([p])).toBe(expected((from, to) => to !== "x/a" || from === "x/b"));
  });

  it("a namespaceSelector peer alone means every pod of the matching namespaces", () => {
    const p = policy("x", "allow-y", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "y" } } }] }] });
    expect(table([p])).toBe(expected((from, to) => to !== "x/a" || from.startsWith("y/")));
  });

  it("podSelector and namespaceSelector in one peer AND; in two peers OR", () => {
    const and = policy("x", "and", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "y" } }, podSelector: { matchLabels: { pod: "b" } } }] }] });
    expect(table([and])).toBe(expected((from, to) => to !== "x/a" || from === "y/b"));
    const or = policy("x", "or", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "y" } } }, { podSelector: { matchLabels: { pod: "b" } } }] }] });
    expect(table([or])).toBe(expected((from, to) => to !== "x/a" || from.startsWith("y/") || from === "x/b"));
  });

  it("a namespaceSelector on a label no namespace has matches nothing (the classic trap)", () => {
    const p = policy("x", "allow-team", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "blue" } } }] }] });
    expect(table([p])).toBe(expected((_from, to) => !to.startsWith("x/")));
  });

  it("policies add up: a second policy allows what the first did not", () => {
    const deny = policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] });
    const allowZ = policy("x", "allow-z", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "z" } } }] }] });
    expect(table([deny, allowZ])).toBe(expected((from, to) => !to.startsWith("x/") || from.startsWith("z/")));
  });

  it("ports restrict a rule: by number, by name on the destination pod, and by range", () => {
    const byNumber = policy("x", "81-only", { podSelector: {}, ingress: [{ ports: [{ port: 81 }] }] });
    expect(table([byNumber], { port: 80, protocol: "TCP" })).toBe(expected((_f, to) => !to.startsWith("x/")));
    expect(table([byNumber], { port: 81, protocol: "TCP" })).toBe(expected(() => true));
    const byName = policy("x", "named", { podSelector: {}, ingress: [{ ports: [{ port: "serve-81-tcp" }] }] });
    expect(table([byName], { port: 81, protocol: "TCP" })).toBe(expected(() => true));
    expect(table([byName], { port: 80, protocol: "TCP" })).toBe(expected((_f, to) => !to.startsWith("x/")));
    const range = policy("x", "range", { podSelector: {}, ingress: [{ ports: [{ port: 79, endPort: 80 }] }] });
    expect(table([range], { port: 80, protocol: "TCP" })).toBe(expected(() => true));
    expect(table([range], { port: 81, protocol: "TCP" })).toBe(expected((_f, to) => !to.startsWith("x/")));
  });

  it("protocol defaults to TCP: a TCP-only rule does not allow UDP", () => {
    const p = policy("x", "tcp-80", { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] });
    expect(table([p], { port: 80, protocol: "UDP" })).toBe(expected((_f, to) => !to.startsWith("x/")));
  });

  it("default-deny egress isolates the clients of its namespace", () => {
    const p = policy("x", "deny-egress", { podSelector: {}, policyTypes: ["Egress"] });
    expect(table([p])).toBe(expected((from) => !from.startsWith("x/")));
  });

  it("both sides must allow: egress from x to y only, and y/b accepts only x/a", () => {
    const egress = policy("x", "to-y", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: "y" } } }] }] });
    const ingress = policy("y", "from-xa", { podSelector: { matchLabels: { pod: "b" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "x" } }, podSelector: { matchLabels: { pod: "a" } } }] }] });
    expect(table([egress, ingress])).toBe(expected((from, to) => (!from.startsWith("x/") || to.startsWith("y/")) && (to !== "y/b" || from === "x/a")));
  });

  it("ipBlock matches by address, minus its excepts", () => {
    const p = policy("x", "cidr", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.244.1.0/24", except: ["10.244.1.11/32"] } }] }] });
    // y's pods are 10.244.1.10-12: y/b (.11) is excepted.
    expect(table([p])).toBe(expected((from, to) => !to.startsWith("x/") || (from.startsWith("y/") && from !== "y/b")));
  });

  it("says which policies selected each side and which rule allowed it", () => {
    const deny = policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] });
    const allow = policy("x", "allow-b", { podSelector: { matchLabels: { pod: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: "c" } } }] }, { from: [{ podSelector: { matchLabels: { pod: "b" } } }] }] });
    const d = decideConnection([deny, allow], namespaceLabels, pods[1], pods[0], { port: 80, protocol: "TCP" });
    expect(d).toEqual({ allowed: true, egress: { isolated: false, selectedBy: [], allowedBy: [] }, ingress: { isolated: true, selectedBy: ["x/deny-all", "x/allow-b"], allowedBy: [{ policy: "x/allow-b", rule: 1 }] } });
  });

  it("never blocks a pod's own node, and does not apply to host-network pods", () => {
    const deny = policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const server = pods[0] as Extract<PolicyEndpoint, { kind: "pod" }>;
    expect(decideConnection([deny], namespaceLabels, { kind: "host", ip: "172.30.1.2", node: server.node }, server, { port: 80, protocol: "TCP" }).allowed).toBe(true);
    expect(decideConnection([deny], namespaceLabels, { kind: "host", ip: "172.30.1.3", node: "elsewhere" }, server, { port: 80, protocol: "TCP" }).allowed).toBe(false);
    expect(decideConnection([deny], namespaceLabels, { ...server, hostNetwork: true }, pods[4], { port: 80, protocol: "TCP" }).allowed).toBe(true);
  });
});
