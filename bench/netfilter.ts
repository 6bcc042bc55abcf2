// Netfilter figures for `npm run bench`: kube-proxy's restore payload for 1,000 Services × 5
// endpoints (≈ 23,000 lines) parsed and applied, the same payload again (a resync: each line's
// parse is cached by its text), a packet walked through the nat table to the last Service,
// and iptables-save of it all. Issue 6's budgets: kube-proxy state ≤ 200 ms, a walk ≤ 1 ms.
import { NetStack } from "../lib/engine/net/kernel/stack";
import { restoreTables, saveTables, traverse, type PacketView } from "../lib/engine/net/netfilter";
import { formatIP } from "../lib/engine/util/ipv4";
import { Rng } from "../lib/engine/util/rng";
import type { Figure } from "./fixtures";


type Measure = (fn: () => unknown, runs?: number, warmup?: number) => Promise<number>;

const hash = (i: number, salt: string) => `${salt}${i.toString(36).toUpperCase().padStart(12, "X")}`.slice(-16);

/** What kube-proxy's iptables proxier writes for `services` ClusterIP Services with `endpoints` each (`salt` keeps texts unique per run). */
export function kubeProxyPayload(services: number, endpoints: number, salt = "A"): string {
  const chains: string[] = [":KUBE-SERVICES - [0:0]", ":KUBE-MARK-MASQ - [0:0]"];
  const rules: string[] = ["-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000"];
  const svcRules: string[] = [];
  for (let s = 0; s < services; s++) {
    const svc = `KUBE-SVC-${hash(s, salt)}`;
    const vip = formatIP(0x0a600000 + s + 10);
    const name = `ns${s % 20}/svc-${s}:http`;
    chains.push(`:${svc} - [0:0]`);
    svcRules.push(`-A KUBE-SERVICES -m comment --comment "${name} cluster IP" -m tcp -p tcp -d ${vip} --dport 80 -j ${svc}`);
    rules.push(`-A ${svc} -m comment --comment "${name} cluster IP" -m tcp -p tcp -d ${vip} --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
    for (let e = 0; e < endpoints; e++) {
      const sep = `KUBE-SEP-${hash(s * endpoints + e, salt + "E")}`;
      const ep = formatIP(0x0af40000 + s * endpoints + e + 2);
      chains.push(`:${sep} - [0:0]`);
      const left = endpoints - e;
      rules.push(`-A ${svc} -m comment --comment "${name} -> ${ep}:8080"${left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : ""} -j ${sep}`);
      rules.push(`-A ${sep} -m comment --comment ${name} -s ${ep} -j KUBE-MARK-MASQ`);
      rules.push(`-A ${sep} -m comment --comment ${name} -m tcp -p tcp -j DNAT --to-destination ${ep}:8080`);
    }
  }
  return `*nat\n${chains.join("\n")}\n${svcRules.join("\n")}\n${rules.join("\n")}\nCOMMIT\n`;
}

function freshStack(): NetStack {
  const s = new NetStack({ id: "node01", host: "node01", inode: 4026531840 });
  restoreTables(s, "*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n");
  return s;
}

export async function netfilterFigures(measure: Measure): Promise<Figure[]> {
  const figures: Figure[] = [];
  const payload = kubeProxyPayload(1000, 5);
  const lines = payload.split("\n").length - 1;
  // Each cold run restores a payload of its own (fresh texts, nothing cached); they are written beforehand.
  const colds = Array.from({ length: 6 }, (_, i) => kubeProxyPayload(1000, 5, `R${i}`));
  let run = 0;
  const cold = await measure(() => {
    const s = freshStack();
    const error = restoreTables(s, colds[run++], { noflush: true }).error;
    if (error) throw new Error(error.message);
  }, 5, 1);
  figures.push({ name: "iptables-restore 1,000 Services × 5 endpoints", ms: cold, budgetMs: 200, note: `${lines} lines parsed and applied (kube-proxy's full sync, first time: nothing cached)` });
  const warmStack = freshStack();
  restoreTables(warmStack, payload, { noflush: true });
  figures.push({
    name: "iptables-restore same payload again (resync)",
    ms: await measure(() => restoreTables(warmStack, payload, { noflush: true }), 10, 2),
    budgetMs: 200,
    note: "rule lines parsed once per distinct text: a resync looks them up",
  });
  const halves = Array.from({ length: 6 }, (_, i) => kubeProxyPayload(500, 5, `H${i}`));
  run = 0;
  const half = await measure(() => restoreTables(freshStack(), halves[run++], { noflush: true }), 5, 1);
  figures.push({ name: "iptables-restore 500 Services × 5 endpoints", ms: half, note: `${(cold / half).toFixed(2)}× from 500 to 1,000 Services (linear: 2×)` });

  const rng = new Rng(1);
  const last: PacketView = { src: 0x0af40001, dst: 0x0a600000 + 999 + 10, protocol: 6, sport: 40000, dport: 80, length: 60, inIface: "cni0", outIface: "", mark: 0, ct: { state: "NEW" } };
  const walk = await measure(() => {
    const v = traverse(warmStack, "nat", "PREROUTING", last, { now: 0, rng }).verdict;
    if (v.kind !== "DNAT") throw new Error("no DNAT");
  }, 200, 20);
  figures.push({ name: "nat PREROUTING to the 1,000th Service", ms: walk, budgetMs: 1, note: "KUBE-SERVICES' 1,000 rules, then KUBE-SVC, KUBE-SEP and DNAT: one hook of a packet walk" });
  figures.push({ name: "iptables-save 1,000 Services × 5 endpoints", ms: await measure(() => saveTables(warmStack.netfilter, { now: 0 }), 10, 2), budgetMs: 50 });
  return figures;
}
