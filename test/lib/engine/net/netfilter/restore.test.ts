// iptables-restore as kube-proxy and the CNI call it in-process: per-table atomicity, --noflush,
// --counters, --test, the kernel's refusals (a loop, a chain still in use), and rules parsed once
// per distinct text.
import { describe, expect, it } from "vitest";
import { NetStack } from "@/lib/engine/net/kernel/stack";
import { restoreTables, saveTables } from "@/lib/engine/net/netfilter";

const stack = () => new NetStack({ id: "node01", host: "node01", inode: 4026531840 });
const rules = (s: NetStack, table: "filter" | "nat", chain: string) => s.netfilter[table].chains.get(chain)?.rules.map((r) => r.spec.text);

describe("restoreTables", () => {
  it("applies nothing of a table that fails, and keeps the tables committed before it", () => {
    const s = stack();
    restoreTables(s, "*nat\n:KEEP - [0:0]\n-A KEEP -j RETURN\nCOMMIT\n");
    const { error } = restoreTables(s, "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n:NEW - [0:0]\n-A NEW -j RETURN\n-D KEEP -j ACCEPT\nCOMMIT\n", { noflush: true });
    expect(error).toEqual({ message: "iptables-restore: line 7 failed\n", status: 1 });
    expect(rules(s, "filter", "INPUT")).toEqual(["-j ACCEPT"]);
    expect(s.netfilter.nat.chains.has("NEW")).toBe(false);
    expect(rules(s, "nat", "KEEP")).toEqual(["-j RETURN"]);
  });

  it("starts a table over without --noflush, and only empties declared chains with it", () => {
    const s = stack();
    restoreTables(s, "*filter\n:INPUT DROP [0:0]\n:A - [0:0]\n:B - [0:0]\n-A A -j RETURN\n-A B -j RETURN\nCOMMIT\n");
    restoreTables(s, "*filter\n:A - [0:0]\n-A A -j ACCEPT\nCOMMIT\n", { noflush: true });
    expect(rules(s, "filter", "A")).toEqual(["-j ACCEPT"]);
    expect(rules(s, "filter", "B")).toEqual(["-j RETURN"]);
    expect(s.netfilter.filter.chains.get("INPUT")!.policy).toBe("DROP");
    restoreTables(s, "*filter\n:A - [0:0]\nCOMMIT\n");
    expect([...s.netfilter.filter.chains.keys()]).toEqual(["INPUT", "FORWARD", "OUTPUT", "A"]);
    expect(s.netfilter.filter.chains.get("INPUT")!.policy).toBe("ACCEPT");
  });

  it("takes counters with --counters only", () => {
    const s = stack();
    const text = "*filter\n:INPUT ACCEPT [10:600]\n[2:120] -A INPUT -j ACCEPT\nCOMMIT\n";
    restoreTables(s, text);
    expect(s.netfilter.filter.chains.get("INPUT")).toMatchObject({ packets: 0, bytes: 0, rules: [{ packets: 0, bytes: 0 }] });
    restoreTables(s, text, { counters: true });
    expect(s.netfilter.filter.chains.get("INPUT")).toMatchObject({ packets: 10, bytes: 600, rules: [{ packets: 2, bytes: 120 }] });
  });

  it("checks everything and commits nothing with --test", () => {
    const s = stack();
    expect(restoreTables(s, "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n", { test: true })).toEqual({ output: "" });
    expect(saveTables(s.netfilter, { now: 0 })).toBe("");
  });

  it("refuses a loop of jumps and a chain deleted while in use, as the kernel does", () => {
    const s = stack();
    expect(restoreTables(s, "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n").error).toEqual({
      message: "iptables-restore v1.8.7 (nf_tables): \nline 5: RULE_APPEND failed (Too many levels of symbolic links): rule in chain B\n",
      status: 4,
    });
    expect(s.netfilter.filter.present).toBe(false);
    // kube-proxy's way: a chain emptied and unreferenced in the same input may go.
    restoreTables(s, "*nat\n:SVC - [0:0]\n:SEP - [0:0]\n-A SVC -j SEP\nCOMMIT\n");
    expect(restoreTables(s, "*nat\n:SVC - [0:0]\n-X SEP\nCOMMIT\n", { noflush: true }).error).toBeUndefined();
    expect(s.netfilter.nat.chains.has("SEP")).toBe(false);
  });

  it("parses a rule line once: the same text gives the same frozen rule", () => {
    const s = stack();
    const text = "*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j RETURN\nCOMMIT\n";
    restoreTables(s, text, { noflush: true });
    const first = s.netfilter.nat.chains.get("KUBE-SERVICES")!.rules[0].spec;
    restoreTables(s, text, { noflush: true });
    const second = s.netfilter.nat.chains.get("KUBE-SERVICES")!.rules[0].spec;
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.matches) && Object.isFrozen(first.matches[0])).toBe(true);
  });

  it("checks a line it parsed before against the table as it is now", () => {
    const s = stack();
    const line = "-A KUBE-SVC-X -m comment --comment web -j KUBE-SEP-Y";
    expect(restoreTables(s, `*nat\n:KUBE-SVC-X - [0:0]\n:KUBE-SEP-Y - [0:0]\n${line}\nCOMMIT\n`).error).toBeUndefined();
    // The same line again (cached), now jumping to a chain the reset table lacks: refused, with its line number.
    expect(restoreTables(s, `*nat\n:KUBE-SVC-X - [0:0]\n${line}\nCOMMIT\n`).error).toEqual({
      message: "iptables-restore v1.8.7 (nf_tables): Couldn't load target `KUBE-SEP-Y':No such file or directory\n\nError occurred at line: 3\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n",
      status: 2,
    });
    expect(rules(s, "nat", "KUBE-SVC-X")).toEqual(["-m comment --comment web -j KUBE-SEP-Y"]);
  });

  it("reports a bad table and a chain line without policy", () => {
    expect(restoreTables(stack(), "*filtr\nCOMMIT\n").error?.message).toBe(
      "iptables-restore v1.8.7 (nf_tables): iptables-restore: line 1 table name 'filtr' invalid\n\nError occurred at line: 1\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n",
    );
    expect(restoreTables(stack(), "*filter\n:INPUT\nCOMMIT\n").error?.status).toBe(2);
  });
});
