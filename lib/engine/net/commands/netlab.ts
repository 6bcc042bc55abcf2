/**
 * `netlab explain`: the learner aid for NetworkPolicy. For a client pod (or node), a server pod
 * and a port, it says in words which policies select each side and why the connection is
 * allowed or denied (net/policy/decide.ts, the API's semantics), then sends one real probe SYN
 * through the packet walker and says what the dataplane did: connected, or dropped — on which
 * node, by which chain and rule (Calico's `cali-tw-…`/`cali-fw-…`), or, on a CNI that does not
 * enforce policies, that the policies are only API objects there.
 *
 * @example
 * netlab explain x/a y/b 80
 * netlab explain -n prod frontend backend 8080/TCP
 */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod, Stored } from "../../api";
import type { Command, CommandResult } from "../../shell";
import { formatIP, parseIP } from "../../util/ipv4";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { decideConnection, podEndpoint, policyTypesOf, policyView, type PolicyEndpoint, type SideDecision, type Traffic } from "../policy";
import { connectTcp, sendUdp, type Exchange } from "../walker";
import { currentNet } from "./context";

const USAGE = `Explain whether a connection between two pods is allowed by NetworkPolicy, and why.

Usage:
  netlab explain [-n NAMESPACE] SOURCE DESTINATION PORT[/PROTOCOL]

SOURCE is a pod ([NAMESPACE/]NAME) or a node name; DESTINATION is a pod. PROTOCOL is TCP
(the default), UDP or SCTP. A probe is sent from SOURCE to DESTINATION through the cluster's
network, so the answer also says where the dataplane dropped it.

Examples:
  netlab explain x/a y/b 80
  netlab explain -n prod frontend backend 8080/TCP
`;

const fail = (text: string, code = 1): CommandResult => ({ stdout: "", stderr: text.endsWith("\n") ? text : `${text}\n`, exitCode: code });

type Side = { kind: "pod"; pod: Stored<Pod> } | { kind: "node"; name: string; ip: string };

function selectorText(s: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  if (!s) return "";
  const terms = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) terms.push(`${e.key} ${e.operator}${e.values ? ` (${e.values.join(", ")})` : ""}`);
  return terms.join(", ");
}

/** A peer in words, as the rule's author meant it. */
function peerText(peer: NetworkPolicyPeer, namespace: string): string {
  if (peer.ipBlock) return `addresses in ${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(", ")}` : ""}`;
  const pods = peer.podSelector && selectorText(peer.podSelector) ? `pods with ${selectorText(peer.podSelector)}` : "every pod";
  if (!peer.namespaceSelector) return `${pods} in namespace ${namespace}`;
  const ns = selectorText(peer.namespaceSelector);
  return ns ? `${pods} in namespaces labelled ${ns}` : `${pods} in every namespace`;
}

function portsText(ports: NetworkPolicyPort[] | undefined): string {
  if (!ports || ports.length === 0) return "any port";
  return ports.map((p) => `${p.port === undefined ? "any port" : p.endPort !== undefined ? `${p.port}-${p.endPort}` : p.port}/${p.protocol ?? "TCP"}`).join(", ");
}

function ruleText(policy: NetworkPolicy, direction: "Ingress" | "Egress", index: number): string {
  const ns = policy.metadata.namespace ?? "default";
  const rule = direction === "Ingress" ? policy.spec.ingress?.[index] : policy.spec.egress?.[index];
  const peers = direction === "Ingress" ? (rule as { from?: NetworkPolicyPeer[] } | undefined)?.from : (rule as { to?: NetworkPolicyPeer[] } | undefined)?.to;
  const who = peers && peers.length > 0 ? peers.map((p) => peerText(p, ns)).join(" or ") : direction === "Ingress" ? "anywhere" : "anywhere";
  return `${direction === "Ingress" ? "from" : "to"} ${who}, on ${portsText(rule?.ports)}`;
}

function sideText(label: string, direction: "Ingress" | "Egress", namespace: string, d: SideDecision | undefined, policies: readonly NetworkPolicy[]): string[] {
  const name = direction === "Egress" ? `Egress from ${label}` : `Ingress to ${label}`;
  if (!d) return [`${name}: not a pod, no policy applies`];
  if (d.exempt && !d.isolated) return [`${name}: ${d.exempt}`];
  if (!d.isolated) return [`${name}: allowed: no NetworkPolicy in namespace ${namespace} selects the pod for ${direction}, so it is not isolated`];
  const lines = [`${name}: isolated: selected for ${direction} by ${d.selectedBy.join(", ")}`];
  for (const a of d.allowedBy) {
    const policy = policies.find((p) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}` === a.policy)!;
    lines.push(`  allowed by ${a.policy}, ${direction.toLowerCase()} rule ${a.rule + 1}: ${ruleText(policy, direction, a.rule)}`);
  }
  if (d.exempt) lines.push(`  allowed: ${d.exempt}`);
  else if (d.allowedBy.length === 0) lines.push(`  denied: no ${direction.toLowerCase()} rule of ${d.selectedBy.length === 1 ? "that policy" : "those policies"} matches this peer and port`);
  return lines;
}

/** The namespace a pod's sandbox lives in: the one holding its address. */
function podStack(network: ClusterNetwork, node: string, ip: number): NetStack | undefined {
  for (const stack of network.all()) {
    if (stack.host !== node || !stack.name) continue;
    for (const link of stack.links.values()) if (link.kind !== "loopback" && link.addrs.some((a) => a.ip === ip)) return stack;
  }
  return undefined;
}

/** The deciding rule's own comment (`Drop if no policies passed packet`), from a step's `(filter/CHAIN rule N)`. */
function ruleComment(network: ClusterNetwork, stackId: string, detail: string): string | undefined {
  const m = /\((raw|mangle|filter|nat)\/(\S+) rule (\d+)\)/.exec(detail);
  const rule = m && network.stack(stackId)?.netfilter[m[1] as "filter"].chains.get(m[2])?.rules[Number(m[3]) - 1];
  const comments = rule ? [...rule.spec.text.matchAll(/--comment "([^"]*)"/g)].map((c) => c[1]).filter((c) => !c.startsWith("cali:")) : [];
  return comments.length > 0 ? comments.join("; ") : undefined;
}

/** Where the probe's first packet (or the answer) was dropped, in words. */
function dropText(network: ClusterNetwork, r: Exchange): string | undefined {
  for (const hop of [...r.hops, ...r.replyHops]) {
    const step = hop.steps.find((s) => s.kind === "netfilter" && /: (DROP|REJECT) /.test(s.detail));
    if (!step) continue;
    const why = ruleComment(network, hop.stack, step.detail);
    return `dropped on ${hop.host} (${hop.stack === hop.host ? "host namespace" : hop.stack}${hop.in ? `, in ${hop.in}` : ""}${hop.out ? `, out ${hop.out}` : ""}): ${step.detail}${why ? `: "${why}"` : ""}`;
  }
  return undefined;
}

function outcomeText(r: Exchange, protocol: Traffic["protocol"]): string {
  switch (r.outcome.kind) {
    case "connected":
      return "connected";
    case "delivered":
      return "delivered";
    case "refused":
      return protocol === "TCP" ? "refused (the packet got through; nothing listens on that port)" : "port unreachable (the packet got through; nothing listens on that port)";
    case "timeout":
      return "timed out (nothing answered)";
    case "unreachable":
      return `unreachable (${r.outcome.reason})`;
    default:
      return `failed (${r.outcome.errno})`;
  }
}

function probe(network: ClusterNetwork, from: NetStack, dst: number, traffic: Traffic, now: number): Exchange | undefined {
  if (traffic.protocol === "TCP") return connectTcp(network, { from, dst, dport: traffic.port, now, request: 0, response: 0 });
  if (traffic.protocol === "UDP") return sendUdp(network, { from, dst, dport: traffic.port, now, payload: 0 });
  return undefined;
}

function parseTraffic(text: string): Traffic | undefined {
  const [portText, proto = "TCP"] = text.split("/");
  const port = Number(portText);
  const protocol = proto.toUpperCase();
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
  if (protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") return undefined;
  return { port, protocol };
}

function explain(argv: readonly string[], ctx: Parameters<Command["run"]>[1]): CommandResult {
  const words = [...argv];
  if (words[0] === "-h" || words[0] === "--help" || words.length === 0) return { stdout: USAGE, stderr: "", exitCode: words.length === 0 ? 1 : 0 };
  if (words[0] !== "explain") return fail(`Error: unknown command "${words[0]}" for "netlab"\nRun 'netlab --help' for usage.`);
  words.shift();
  let namespace = "default";
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "-h" || w === "--help") return { stdout: USAGE, stderr: "", exitCode: 0 };
    if (w === "-n" || w === "--namespace") {
      if (words[i + 1] === undefined) return fail(`Error: flag needs an argument: '${w.replace(/^-+/, "")}' in ${w}`);
      namespace = words[++i];
    } else if (w.startsWith("--namespace=")) namespace = w.slice(12);
    else if (w.startsWith("-")) return fail(`Error: unknown shorthand flag: '${w.replace(/^-+/, "")}' in ${w}`);
    else operands.push(w);
  }
  if (operands.length !== 3) return fail(`Error: accepts SOURCE DESTINATION PORT[/PROTOCOL], received ${operands.length} argument(s)\n\n${USAGE}`);
  const traffic = parseTraffic(operands[2]);
  if (!traffic) return fail(`Error: invalid port "${operands[2]}": want a number 1-65535, optionally /TCP, /UDP or /SCTP`);
  const net = currentNet(ctx);
  const calico = net?.network.calico;
  if (!net || !calico) return fail("Error: no cluster network here");
  const store = calico.store;
  const find = (ref: string, allowNode: boolean): Side | string => {
    const [ns, name] = ref.includes("/") ? ref.split("/", 2) : [namespace, ref];
    const pod = store.find<Pod>("Pod", ns, name);
    if (pod) return pod.status?.podIP ? { kind: "pod", pod } : `Error: pod ${ns}/${name} has no IP address yet`;
    if (allowNode && !ref.includes("/")) {
      const node = net.network.host(ref);
      const eth0 = node?.link("eth0");
      const ip = eth0 && node?.primaryAddress(eth0);
      if (ip) return { kind: "node", name: ref, ip: formatIP(ip.ip) };
    }
    return `Error: pods "${name}" not found in namespace "${ns}"`;
  };
  const source = find(operands[0], true);
  if (typeof source === "string") return fail(source);
  const target = find(operands[1], false);
  if (typeof target === "string") return fail(target);
  if (target.kind !== "pod") return fail("Error: the destination must be a pod");
  const view = policyView(store);
  const client: PolicyEndpoint = source.kind === "pod" ? podEndpoint(source.pod) : { kind: "host", ip: source.ip, node: source.name };
  const server = podEndpoint(target.pod) as Extract<PolicyEndpoint, { kind: "pod" }>;
  const d = decideConnection(view.policies, view.namespaceLabels, client, server, traffic);
  const label = (e: PolicyEndpoint) => (e.kind === "pod" ? `${e.namespace}/${e.name}` : source.kind === "node" ? source.name : e.ip);
  const where = (e: PolicyEndpoint) => (e.kind === "pod" ? `${e.ip} on ${e.node}` : `node address ${e.ip}`);
  const lines = [`${label(client)} (${where(client)}) -> ${label(server)} (${where(server)}), port ${traffic.port}/${traffic.protocol}`, ""];
  lines.push(...sideText(label(client), "Egress", client.kind === "pod" ? client.namespace : "", d.egress, view.policies));
  lines.push(...sideText(label(server), "Ingress", server.namespace, d.ingress, view.policies));
  const inNamespace = view.policies.filter((p) => (p.metadata.namespace ?? "default") === server.namespace);
  if (d.ingress && !d.ingress.isolated && inNamespace.length > 0) {
    lines.push(`  (${inNamespace.length} ${inNamespace.length === 1 ? "policy" : "policies"} in ${server.namespace} ${inNamespace.length === 1 ? "selects" : "select"} other pods or other directions: ${inNamespace.map((p) => `${p.metadata.name} [${policyTypesOf(p).join(",")}]`).join(", ")})`);
  }
  lines.push("", `Verdict: ${d.allowed ? "ALLOWED" : "DENIED"} by NetworkPolicy`, "");
  const from = source.kind === "pod" ? podStack(net.network, source.pod.spec.nodeName ?? "", parseIP(source.pod.status!.podIP!)!) : net.network.host(source.name);
  // Felix has programmed the server's node when its chains are there (the CNI's own evidence).
  const enforcing = net.network.host(server.node)?.netfilter.filter.chains.has("cali-FORWARD") === true;
  lines.push(enforcing ? "Dataplane: Calico (Felix) enforces NetworkPolicy in each node's iptables filter table." : "Dataplane: this cluster's CNI does not enforce NetworkPolicy: policies are only API objects here.");
  const r = from && probe(net.network, from, parseIP(server.ip)!, traffic, ctx.clock.now());
  if (!r) lines.push(`  no probe sent (${from ? `${traffic.protocol} probes are not simulated` : "the source's network namespace is gone"})`);
  else {
    lines.push(`  probe ${traffic.protocol === "TCP" ? "SYN" : "datagram"} ${label(client)} -> ${server.ip}:${traffic.port}: ${outcomeText(r, traffic.protocol)}`);
    const dropped = dropText(net.network, r);
    if (dropped) lines.push(`  ${dropped}`);
  }
  return { stdout: lines.join("\n") + "\n", stderr: "", exitCode: d.allowed ? 0 : 1 };
}

export const netlabCommand: Command = {
  name: "netlab",
  summary: "netlab's learner aids (explain: why NetworkPolicy allows or denies a connection)",
  usage: "netlab explain [-n NAMESPACE] SOURCE DESTINATION PORT[/PROTOCOL]",
  path: "/usr/local/bin/netlab",
  spec: { flags: [], raw: true },
  run: (args, ctx) => explain(args.operands, ctx),
  complete: (words) => (words.length === 0 ? ["explain"] : undefined),
};
