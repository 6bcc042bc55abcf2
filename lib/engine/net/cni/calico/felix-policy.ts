/**
 * Felix's policy dataplane (iptables mode, Calico v3.29): Kubernetes NetworkPolicies, converted
 * to Calico policies (net/policy/calico.ts), rendered into the filter table of every node where
 * calico-node runs, shaped as Felix writes them:
 *
 * - `FORWARD`, `INPUT`, `OUTPUT` jump first to `cali-FORWARD`, `cali-INPUT`, `cali-OUTPUT`;
 *   `FORWARD` ends with "Policy explicitly accepted packet." (the accept mark 0x10000).
 * - `cali-FORWARD` sends packets from a workload (`-i cali+`) to `cali-from-wl-dispatch` and to
 *   one (`-o cali+`) to `cali-to-wl-dispatch`, which go to the endpoint's `cali-fw-<iface>` /
 *   `cali-tw-<iface>`. Traffic from a pod to its own host takes `cali-wl-to-host`; the host's
 *   own traffic to its pods is not policed (`cali-OUTPUT -o cali+ -j RETURN`), as in Calico.
 * - An endpoint chain accepts RELATED,ESTABLISHED first (replies of allowed connections), drops
 *   INVALID, clears the mark bits, jumps to each policy chain (`cali-pi-…` ingress, `cali-po-…`
 *   egress) of the policies selecting the pod in Felix's order and returns on the accept mark,
 *   "Drop if no policies passed packet"; with no policy, the namespace and service-account
 *   profiles (`cali-pri-kns.NS` allows all) decide.
 * - Policy chains set the accept mark per allowed rule; pod and namespace selectors are IP
 *   sets (`cali40s:…`, hash:net of member pod addresses), named ports `cali40n:…` (hash:ip,port).
 *
 * Names longer than iptables' 28 characters are hashed as Felix does (prefix + `_` + hash);
 * the hash is SHA-256 where Felix uses SHA-224, so the names have Felix's shape, not its bytes.
 * Rules are written through iptables-restore (`--noflush`); only chains whose rules differ are
 * rewritten, so counters of unchanged rules keep counting. Chains and sets no longer wanted go.
 *
 * @example
 * const felix = new FelixPolicy(cluster.network, calico);
 * felix.sync("node01", host); // cali-tw-cali1a2b3c4d5e6 … in `iptables-save -t filter`
 */
import type { Controller, ControllerWatch } from "../../../cluster/controller";
import type { Pod, Stored, WatchEvent } from "../../../api";
import { encodeBase64 } from "../../../util/base64";
import { sha256 } from "../../../util/sha256";
import { PureCache } from "../../../util/pure-cache";
import type { NetStack } from "../../kernel/stack";
import type { ClusterNetwork } from "../../network";
import { addEntry, createSet, deleteEntry, destroySet, parseRule, restoreTables, setReferences, splitRuleLine } from "../../netfilter";
import { byFelixOrder, inPeer, peerSetSelector, podEndpoint, policyView, selectsPod, toCalicoPolicy, type CalicoPolicy, type CalicoPort, type CalicoRule, type PodEndpoint } from "../../policy";
import { iptables, ruleExists } from "../iptables";
import { workloadEndpointOf, type CalicoDatastore } from "./datastore";

export const MARK_ACCEPT = 0x10000;
const MARK_PASS = 0x20000;
const MARK_SCRATCH0 = 0x40000;
const MAX_CHAIN_NAME = 28;
const MAX_SET_NAME = 31;

const hex = (n: number) => `0x${n.toString(16)}`;
const b64url = (text: string) => encodeBase64(sha256(text)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** hashutils.GetLengthLimitedID: the name itself when it fits, else prefix + `_` + a hash of it. */
export function limitedName(prefix: string, suffix: string, max = MAX_CHAIN_NAME): string {
  if (prefix.length + suffix.length <= max && !suffix.startsWith("_")) return prefix + suffix;
  return prefix + "_" + b64url(suffix).slice(0, max - prefix.length - 1);
}

export const policyChainName = (direction: "Ingress" | "Egress", p: CalicoPolicy) => limitedName(direction === "Ingress" ? "cali-pi-" : "cali-po-", `default/${p.id}`);
const profileChainName = (direction: "Ingress" | "Egress", profile: string) => limitedName(direction === "Ingress" ? "cali-pri-" : "cali-pro-", profile);
const selectorSetName = (selector: string) => limitedName("cali40s:", b64url(selector), MAX_SET_NAME);
const namedPortSetName = (key: string) => limitedName("cali40n:", b64url(key), MAX_SET_NAME);

/** One workload endpoint as Felix programs it. */
export interface FelixEndpoint extends PodEndpoint {
  iface: string;
  serviceAccount: string;
}

/** A rule before its comment: the basic matches, then the modules, then the target. */
interface RuleParts {
  basic?: string;
  matches?: string;
  target: string;
}

interface Rendered {
  chains: Map<string, readonly string[]>;
  sets: Map<string, { type: "hash:net" | "hash:ip,port"; members: string[] }>;
}

/** A rule's text without its comment: the basic matches, the modules, the target. */
function ruleBody(r: RuleParts): string {
  let body = r.basic ?? "";
  if (r.matches) body = body ? `${body} ${r.matches}` : r.matches;
  if (!r.target) return body;
  return body ? `${body} ${r.target}` : r.target;
}

/**
 * Felix's rule hash: the chain, the previous rule's hash and the rule, as a 16-character id.
 * Felix renders a node's chains again whenever anything on it changes, and mostly to the same
 * rules: a chain already hashed is remembered (bounded; a pure function's cache, so forks and
 * replays come out the same).
 */
function withHashes(chain: string, rules: readonly RuleParts[]): readonly string[] {
  const bodies = rules.map(ruleBody);
  return hashedChains.get(`${chain}\u0000${bodies.join("\u0001")}`, () => {
    let previous = "";
    return Object.freeze(
      rules.map((r, i) => {
        previous = b64url(`${chain}\u0000${previous}\u0000${bodies[i]}`).slice(0, 16);
        return [r.basic, `-m comment --comment "cali:${previous}"`, r.matches, r.target].filter(Boolean).join(" ");
      }),
    );
  });
}
const hashedChains = new PureCache<readonly string[]>(4096);

const setMark = (bits: number, mask = bits) => `-j MARK --set-xmark ${hex(bits)}/${hex(mask)}`;
const markIs = (bits: number, mask: number) => `-m mark --mark ${hex(bits)}/${hex(mask)}`;
const comment = (text: string) => `-m comment --comment "${text}"`;

/** The chains every Felix has, whatever the policies. */
function staticChains(): [string, RuleParts[]][] {
  return [
    ["cali-FORWARD", [
      { target: setMark(0, MARK_PASS | MARK_SCRATCH0 | 0x80000) },
      { matches: markIs(0, MARK_ACCEPT), target: "-j cali-from-hep-forward" },
      { basic: "-i cali+", target: "-j cali-from-wl-dispatch" },
      { basic: "-o cali+", target: "-j cali-to-wl-dispatch" },
      { target: "-j cali-to-hep-forward" },
      { target: "-j cali-cidr-block" },
    ]],
    ["cali-INPUT", [
      { basic: "-i cali+", target: "-g cali-wl-to-host" },
      { matches: markIs(MARK_ACCEPT, MARK_ACCEPT), target: "-j ACCEPT" },
      { target: setMark(0, 0xf0000) },
      { target: "-j cali-from-host-endpoint" },
      { matches: `${comment("Host endpoint policy accepted packet.")} ${markIs(MARK_ACCEPT, MARK_ACCEPT)}`, target: "-j ACCEPT" },
    ]],
    ["cali-OUTPUT", [
      { matches: markIs(MARK_ACCEPT, MARK_ACCEPT), target: "-j ACCEPT" },
      { basic: "-o cali+", target: "-j RETURN" },
      { target: setMark(0, 0xf0000) },
      { matches: "-m conntrack ! --ctstate DNAT", target: "-j cali-to-host-endpoint" },
      { matches: `${comment("Host endpoint policy accepted packet.")} ${markIs(MARK_ACCEPT, MARK_ACCEPT)}`, target: "-j ACCEPT" },
    ]],
    ["cali-wl-to-host", [
      { target: "-j cali-from-wl-dispatch" },
      { matches: comment("Configured DefaultEndpointToHostAction"), target: "-j ACCEPT" },
    ]],
    ["cali-from-hep-forward", []],
    ["cali-to-hep-forward", []],
    ["cali-cidr-block", []],
    ["cali-from-host-endpoint", []],
    ["cali-to-host-endpoint", []],
  ];
}

/** Felix's hooks in the built-in chains: first in each, and FORWARD's accept at its end. */
const HOOKS: readonly [string, string[]][] = [
  ["INPUT", ["-m", "comment", "--comment", "cali:Cz_u1IQiXIMmKD4c", "-j", "cali-INPUT"]],
  ["FORWARD", ["-m", "comment", "--comment", "cali:wUHhoiAYhphO9Mso", "-j", "cali-FORWARD"]],
  ["OUTPUT", ["-m", "comment", "--comment", "cali:tVnHkvAo15HuiPy0", "-j", "cali-OUTPUT"]],
];
const FORWARD_TAIL: readonly string[][] = [
  ["-m", "comment", "--comment", "cali:S93hcgKJrXEqnTfs", "-m", "comment", "--comment", "Policy explicitly accepted packet.", "-m", "mark", "--mark", "0x10000/0x10000", "-j", "ACCEPT"],
  ["-m", "comment", "--comment", "cali:mp77cMpurHhyjLrM", "-j", "MARK", "--set-xmark", "0x10000/0x10000"],
];

const PROTO = { TCP: "tcp", UDP: "udp", SCTP: "sctp" } as const;

function portText(p: Exclude<CalicoPort, { kind: "named" }>): string {
  return p.kind === "number" ? String(p.port) : `${p.lo}:${p.hi}`;
}

/** The static chains' rules with their hashes, made once. */
let staticLines: readonly (readonly [string, readonly string[]])[] | undefined;
function staticRendered(): readonly (readonly [string, readonly string[]])[] {
  return (staticLines ??= Object.freeze(staticChains().map(([name, rules]) => Object.freeze([name, withHashes(name, rules)] as const))));
}

/** An endpoint's chain and its profiles' chains where no policy applies (see Renderer.endpointChain). */
interface UnpolicedChains {
  name: string;
  chains: [string, readonly string[]][];
}
// Endpoints are made once per stored pod (felixEndpointOf), so this holds one rendering per pod version.
const unpoliced = new WeakMap<FelixEndpoint, Partial<Record<"Ingress" | "Egress", UnpolicedChains>>>();

/** Renders everything for one node. */
class Renderer {
  readonly out: Rendered = { chains: new Map(), sets: new Map() };

  constructor(
    private readonly endpoints: readonly FelixEndpoint[],
    private readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {}

  chain(name: string, rules: readonly RuleParts[]): void {
    this.out.chains.set(name, withHashes(name, rules));
  }

  /** The IP set of a rule's peer pods. */
  peerSet(rule: CalicoRule, policy: CalicoPolicy): string {
    const selector = peerSetSelector(rule)!;
    const name = selectorSetName(selector);
    if (!this.out.sets.has(name)) {
      const members = this.endpoints.filter((e) => inPeer(rule, policy, e, this.namespaceLabels)).map((e) => e.ip);
      this.out.sets.set(name, { type: "hash:net", members });
    }
    return name;
  }

  /** The IP set of (address, protocol:port) of a named port on the pods a rule may reach. */
  namedPortSet(rule: CalicoRule, policy: CalicoPolicy, name: string, direction: "Ingress" | "Egress"): string {
    const protocol = PROTO[rule.protocol ?? "TCP"];
    const scope = direction === "Egress" && rule.peer && !rule.peer.ipBlock ? peerSetSelector(rule)! : "all()";
    const set = namedPortSetName(`${scope}|${protocol}|${name}`);
    if (!this.out.sets.has(set)) {
      const members: string[] = [];
      for (const e of this.endpoints) {
        if (scope !== "all()" && !inPeer(rule, policy, e, this.namespaceLabels)) continue;
        for (const p of e.namedPorts ?? []) if (p.name === name && PROTO[p.protocol as keyof typeof PROTO] === protocol) members.push(`${e.ip},${protocol}:${p.port}`);
      }
      this.out.sets.set(set, { type: "hash:ip,port", members });
    }
    return set;
  }

  /** One Calico rule as iptables rules: set the accept mark when it matches, and return. */
  rule(policy: CalicoPolicy, rule: CalicoRule, direction: "Ingress" | "Egress"): RuleParts[] {
    const side = direction === "Ingress" ? "src" : "dst";
    const flag = direction === "Ingress" ? "-s" : "-d";
    const proto = rule.protocol ? `-p ${PROTO[rule.protocol]}` : "";
    const out: RuleParts[] = [];
    let peer = "";
    if (rule.nets) {
      if (rule.notNets) {
        out.push({ target: setMark(0, MARK_SCRATCH0) });
        for (const net of rule.notNets) out.push({ basic: `${flag} ${net}`, target: setMark(MARK_SCRATCH0) });
        peer = markIs(0, MARK_SCRATCH0);
      }
    } else if (rule.peer) {
      peer = `-m set --match-set ${this.peerSet(rule, policy)} ${side}`;
    }
    const basic = [rule.nets ? `${flag} ${rule.nets[0]}` : "", proto].filter(Boolean).join(" ") || undefined;
    const numbers = (rule.ports ?? []).filter((p): p is Exclude<CalicoPort, { kind: "named" }> => p.kind !== "named");
    const named = (rule.ports ?? []).filter((p): p is Extract<CalicoPort, { kind: "named" }> => p.kind === "named");
    const variants: string[] = [];
    if (!rule.ports) variants.push("");
    if (numbers.length > 0) variants.push(`-m multiport --dports ${numbers.map(portText).join(",")}`);
    for (const n of named) variants.push(`-m set --match-set ${this.namedPortSet(rule, policy, n.name, direction)} dst,dst`);
    for (const ports of variants) {
      out.push({ basic, matches: [peer, ports].filter(Boolean).join(" ") || undefined, target: setMark(MARK_ACCEPT) });
      out.push({ matches: markIs(MARK_ACCEPT, MARK_ACCEPT), target: "-j RETURN" });
    }
    return out;
  }

  policyChain(policy: CalicoPolicy, direction: "Ingress" | "Egress"): string {
    const name = policyChainName(direction, policy);
    if (!this.out.chains.has(name)) {
      const rules = direction === "Ingress" ? policy.ingress : policy.egress;
      this.chain(name, rules.flatMap((r) => this.rule(policy, r, direction)));
    }
    return name;
  }

  profiles(e: FelixEndpoint, direction: "Ingress" | "Egress"): string[] {
    const kns = profileChainName(direction, `kns.${e.namespace}`);
    const ksa = profileChainName(direction, `ksa.${e.namespace}.${e.serviceAccount}`);
    // The namespace profile allows everything; the service account's has no rules.
    this.chain(kns, [{ target: setMark(MARK_ACCEPT) }, { matches: markIs(MARK_ACCEPT, MARK_ACCEPT), target: "-j RETURN" }]);
    this.chain(ksa, []);
    return [kns, ksa];
  }

  endpointChain(e: FelixEndpoint, policies: readonly CalicoPolicy[], direction: "Ingress" | "Egress"): string {
    const applying = policies.filter((p) => p.types.includes(direction) && selectsPod(p.source, e));
    if (applying.length > 0) return this.renderEndpointChain(e, applying, direction);
    // No policy applies: the chain and its profiles' follow from the endpoint alone.
    let rendered = unpoliced.get(e)?.[direction];
    if (rendered === undefined) {
      const alone = new Renderer([], new Map());
      rendered = { name: alone.renderEndpointChain(e, [], direction), chains: [...alone.out.chains] };
      unpoliced.set(e, { ...unpoliced.get(e), [direction]: rendered });
    }
    for (const [name, lines] of rendered.chains) this.out.chains.set(name, lines);
    return rendered.name;
  }

  /** The endpoint's chain (and its profiles') with the policies that apply to it. */
  renderEndpointChain(e: FelixEndpoint, applying: readonly CalicoPolicy[], direction: "Ingress" | "Egress"): string {
    const name = limitedName(direction === "Ingress" ? "cali-tw-" : "cali-fw-", e.iface);
    const rules: RuleParts[] = [
      { matches: "-m conntrack --ctstate RELATED,ESTABLISHED", target: "-j ACCEPT" },
      { matches: "-m conntrack --ctstate INVALID", target: "-j DROP" },
      { target: setMark(0, MARK_ACCEPT | MARK_PASS) },
    ];
    if (direction === "Egress") {
      rules.push({ basic: "-p udp", matches: `${comment("Drop VXLAN encapped packets originating in workloads")} -m multiport --dports 4789`, target: "-j DROP" });
      rules.push({ basic: "-p ipencap", matches: comment("Drop IPinIP encapped packets originating in workloads"), target: "-j DROP" });
    }
    if (applying.length > 0) {
      rules.push({ matches: comment("Start of tier default"), target: setMark(0, MARK_PASS) });
      for (const p of applying) {
        rules.push({ matches: markIs(0, MARK_PASS), target: `-j ${this.policyChain(p, direction)}` });
        rules.push({ matches: `${comment("Return if policy accepted")} ${markIs(MARK_ACCEPT, MARK_ACCEPT)}`, target: "-j RETURN" });
      }
      rules.push({ matches: `${comment("Drop if no policies passed packet")} ${markIs(0, MARK_PASS)}`, target: "-j DROP" });
    }
    for (const profile of this.profiles(e, direction)) {
      rules.push({ target: `-j ${profile}` });
      rules.push({ matches: `${comment("Return if profile accepted")} ${markIs(MARK_ACCEPT, MARK_ACCEPT)}`, target: "-j RETURN" });
    }
    rules.push({ matches: comment("Drop if no profiles matched"), target: "-j DROP" });
    this.chain(name, rules);
    return name;
  }

  render(local: readonly FelixEndpoint[], policies: readonly CalicoPolicy[]): Rendered {
    for (const [name, lines] of staticRendered()) this.out.chains.set(name, lines);
    const toWl: RuleParts[] = [];
    const fromWl: RuleParts[] = [];
    for (const e of local) {
      toWl.push({ basic: `-o ${e.iface}`, target: `-g ${this.endpointChain(e, policies, "Ingress")}` });
      fromWl.push({ basic: `-i ${e.iface}`, target: `-g ${this.endpointChain(e, policies, "Egress")}` });
    }
    this.chain("cali-to-wl-dispatch", [...toWl, { matches: comment("Unknown interface"), target: "-j DROP" }]);
    this.chain("cali-from-wl-dispatch", [...fromWl, { matches: comment("Unknown interface"), target: "-j DROP" }]);
    return this.out;
  }
}

/** The chains and sets Felix owns in the filter table (what it may delete when stale). */
const OWNED_CHAIN = /^cali-(pi|po|tw|fw|pri|pro)-/;
const OWNED_SET = /^cali40[sn]:/;

/** A rule line as iptables-save prints it (parsed once per distinct line). */
const canonical = new PureCache<string>(20_000);
function canonicalText(line: string): string {
  return canonical.get(line, () => {
    const parsed = parseRule(splitRuleLine(line), "filter");
    return "spec" in parsed ? parsed.spec.text : line;
  });
}

function sameRules(stack: NetStack, chain: string, lines: readonly string[]): boolean {
  const current = stack.netfilter.filter.chains.get(chain);
  return current !== undefined && current.rules.length === lines.length && current.rules.every((r, i) => r.spec.text === canonicalText(lines[i]));
}

function syncSets(stack: NetStack, sets: Rendered["sets"]): void {
  for (const [name, want] of sets) {
    const set = createSet(stack, { name, type: want.type, exist: true });
    const members = new Set(want.members);
    for (const key of [...set.entries.keys()]) if (!members.has(key)) deleteEntry(stack, name, key);
    for (const m of members) if (!set.entries.has(m)) addEntry(stack, name, m, true);
  }
}

/** Felix's hooks: first in INPUT/FORWARD/OUTPUT (moved back to the top if something went above). */
function ensureHooks(stack: NetStack): void {
  for (const [chain, rule] of HOOKS) {
    const first = stack.netfilter.filter.chains.get(chain)?.rules[0];
    const want = canonicalText(rule.map((w) => (w.includes(" ") ? `"${w}"` : w)).join(" "));
    if (first?.spec.text === want) continue;
    if (ruleExists(stack, "filter", chain, rule)) iptables(stack, ["-t", "filter", "-D", chain, ...rule]);
    iptables(stack, ["-t", "filter", "-I", chain, "1", ...rule]);
  }
  for (const rule of FORWARD_TAIL) if (!ruleExists(stack, "filter", "FORWARD", rule)) iptables(stack, ["-t", "filter", "-A", "FORWARD", ...rule]);
}

/** Writes what was rendered: sets, changed chains, hooks; then removes stale chains and sets. */
function apply(stack: NetStack, rendered: Rendered, asLeft: Rendered | undefined): void {
  syncSets(stack, rendered.sets);
  const filter = stack.netfilter.filter;
  const stale = [...filter.chains.keys()].filter((c) => OWNED_CHAIN.test(c) && !rendered.chains.has(c));
  let text = "*filter\n";
  let body = "";
  for (const [name, lines] of rendered.chains) {
    // The tables as the last pass left them: a chain it wrote with the same lines is in place.
    if (asLeft?.chains.get(name) === lines || sameRules(stack, name, lines)) continue;
    text += `:${name} - [0:0]\n`;
    for (const line of lines) body += `-A ${name} ${line}\n`;
  }
  for (const name of stale) text += `:${name} - [0:0]\n`;
  restoreTables(stack, `${text}${body}COMMIT\n`, { noflush: true });
  ensureHooks(stack);
  // Deleting a chain fails while something still jumps to it (a rule added by hand): it stays.
  for (const name of stale) restoreTables(stack, `*filter\n-X ${name}\nCOMMIT\n`, { noflush: true });
  for (const name of [...stack.ipsets.keys()]) if (OWNED_SET.test(name) && !rendered.sets.has(name) && setReferences(stack, name) === 0) destroySet(stack, name);
}

/**
 * Felix's policy side on every Calico node. `sync` is called where calico-node programs its
 * node, and again whenever policies, pods or namespaces change (the controller).
 */
export class FelixPolicy {
  /** Per node, the last pass: a pass with the same changes seen and the same tables does nothing. */
  private readonly passes = new Map<string, LastPass>();
  /** Counts the batches of policy, pod and namespace changes the controller has seen. */
  private generation = 0;
  readonly controller: Controller;

  constructor(
    private readonly network: ClusterNetwork,
    private readonly calico: CalicoDatastore,
  ) {
    this.controller = new FelixPolicyController(this);
  }

  /** The workload endpoints of the cluster with what policies look at. */
  endpoints(): FelixEndpoint[] {
    const out: FelixEndpoint[] = [];
    for (const pod of this.calico.wiredPods()) {
      const endpoint = felixEndpointOf(pod);
      if (endpoint) out.push(endpoint);
    }
    return out;
  }

  /** One pass of Felix's policy programming on `node` (`inputs` when the caller has them already). */
  sync(node: string, stack: NetStack, inputs?: PassInputs): void {
    const last = this.passes.get(node);
    const tablesAsLeft = last !== undefined && sameItems(last.chains, this.chains(stack));
    if (tablesAsLeft && last.generation === this.generation) return;
    const { endpoints, namespaceLabels, policies } = inputs ?? this.inputs();
    const local = endpoints.filter((e) => e.node === node).sort((a, b) => (a.iface < b.iface ? -1 : a.iface > b.iface ? 1 : 0));
    // Without policies a node's chains are made of its own endpoints alone (interface, namespace,
    // service account): a change on another node leaves them as they are.
    const key = policies.length === 0 ? local.map((e) => `${e.iface}\u0000${e.namespace}\u0000${e.serviceAccount}`).join("\u0001") : undefined;
    if (key !== undefined && tablesAsLeft && last.key === key) {
      this.passes.set(node, { ...last, generation: this.generation });
      return;
    }
    const rendered = new Renderer(endpoints, namespaceLabels).render(local, policies);
    // A change elsewhere mostly renders this node as it was: when its tables are also as the last
    // pass left them, there is nothing to write.
    if (!tablesAsLeft || !sameRendered(last.rendered, rendered)) apply(stack, rendered, tablesAsLeft ? last.rendered : undefined);
    this.passes.set(node, { generation: this.generation, chains: this.chains(stack), rendered, key });
  }

  /** What every node's pass reads of the cluster: computed once for a round of passes. */
  private inputs(): PassInputs {
    const view = policyView(this.calico.store);
    return { endpoints: this.endpoints(), namespaceLabels: view.namespaceLabels, policies: view.policies.map(toCalicoPolicy).sort(byFelixOrder) };
  }

  /** The chains a pass writes or reads (a table write replaces the chains it touches). */
  private chains(stack: NetStack): unknown[] {
    const out: unknown[] = [];
    for (const [name, chain] of stack.netfilter.filter.chains) if (name.startsWith("cali-") || name === "FORWARD" || name === "INPUT" || name === "OUTPUT") out.push(chain);
    return out;
  }

  /** Policies, pods or namespaces changed: every node whose calico-node runs gets a pass. */
  changed(): void {
    this.generation++;
    let inputs: PassInputs | undefined;
    for (const [node, bird] of this.calico.bird) {
      const stack = this.network.host(node);
      if (bird.running && stack) this.sync(node, stack, (inputs ??= this.inputs()));
    }
  }
}

// A stored pod never changes: its endpoint is made once, not on every pass. A pod's status
// writes keep its spec object (the store shares unchanged parts), so the endpoint last made
// from that spec is the same one again when the labels and the address are too: the same
// object, so what was rendered for it is found again (see `unpoliced`).
const felixEndpoints = new WeakMap<Stored<Pod>, FelixEndpoint | null>();
const endpointBySpec = new WeakMap<Stored<Pod>["spec"], FelixEndpoint>();

/** The endpoint Felix renders for a wired pod (frozen), or null when it has no address yet. */
function felixEndpointOf(pod: Stored<Pod>): FelixEndpoint | null {
  let endpoint = felixEndpoints.get(pod);
  if (endpoint === undefined) {
    const wep = workloadEndpointOf(pod)!;
    const ip = wep.ipNetworks[0]?.split("/")[0];
    const last = endpointBySpec.get(pod.spec);
    const same = last !== undefined && last.ip === ip && (pod.metadata.labels === undefined ? Object.keys(last.labels).length === 0 : last.labels === pod.metadata.labels) && last.name === pod.metadata.name && last.namespace === (pod.metadata.namespace ?? "default") && last.iface === wep.interfaceName;
    endpoint = same ? last : ip ? Object.freeze({ ...podEndpoint(pod, ip), node: wep.node, iface: wep.interfaceName, serviceAccount: pod.spec.serviceAccountName ?? "default" }) : null;
    if (endpoint) endpointBySpec.set(pod.spec, endpoint);
    felixEndpoints.set(pod, endpoint);
  }
  return endpoint;
}

/** What a node's last pass saw and did. */
interface LastPass {
  /** The batch of changes it saw (FelixPolicy.generation). */
  generation: number;
  /** The node's chains it left. */
  chains: readonly unknown[];
  rendered: Rendered;
  /** Without policies, the node's own endpoints it rendered (see sync). */
  key: string | undefined;
}

interface PassInputs {
  endpoints: FelixEndpoint[];
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  policies: CalicoPolicy[];
}

const sameItems = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Two renderings alike (a chain hashed before is the same array: see withHashes). */
function sameRendered(a: Rendered, b: Rendered): boolean {
  if (a.chains.size !== b.chains.size || a.sets.size !== b.sets.size) return false;
  for (const [name, lines] of a.chains) if (b.chains.get(name) !== lines) return false;
  for (const [name, set] of a.sets) {
    const other = b.sets.get(name);
    if (!other || other.type !== set.type || !sameItems(other.members, set.members)) return false;
  }
  return true;
}

/**
 * Policies, pods (labels, spec, addresses) and namespaces (labels) change what Felix renders.
 * A pod's other status writes (conditions, container states: several per pod start) do not, so
 * they start no pass.
 */
class FelixWatch implements ControllerWatch {
  constructor(readonly kind: string) {}

  keys(event: WatchEvent): readonly string[] {
    if (this.kind === "Pod" && event.type === "MODIFIED" && !renderedPartChanged(event.old as Stored<Pod>, event.object as Stored<Pod>)) return [];
    return FELIX_KEY;
  }
}

const FELIX_KEY = Object.freeze(["felix"]);

/** Equal values (stored versions share the parts a write left alone, so this is mostly `===`). */
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function renderedPartChanged(before: Stored<Pod>, after: Stored<Pod>): boolean {
  return !same(before.metadata.labels, after.metadata.labels)
    || before.metadata.deletionTimestamp !== after.metadata.deletionTimestamp
    || !same(before.spec, after.spec)
    || before.status?.podIP !== after.status?.podIP
    || !same(before.status?.podIPs, after.status?.podIPs)
    || before.status?.phase !== after.status?.phase;
}

const WATCHES: readonly ControllerWatch[] = Object.freeze([new FelixWatch("NetworkPolicy"), new FelixWatch("Pod"), new FelixWatch("Namespace")]);

class FelixPolicyController implements Controller {
  readonly name = "felix-policy";
  readonly watches = WATCHES;

  constructor(private readonly felix: FelixPolicy) {}

  reconcile(): void {
    this.felix.changed();
  }
}
