// `-m owner` (xt_owner): parsing and saving as iptables 1.8.7 does, `-L`'s wording, and the
// kernel's matching — by the sending socket's uid/gid ranges, negation, and packets without a
// socket (which match only where every test is inverted). Istio's istio-init depends on it.
import { describe, expect, it } from "vitest";
import { NetStack } from "@/lib/engine/net/kernel/stack";
import { restoreTables, traverse, type PacketView } from "@/lib/engine/net/netfilter";
import { Rng } from "@/lib/engine/util/rng";

function stackWith(rules: string): NetStack {
  const s = new NetStack({ id: "pod", host: "node01", inode: 4026532001 });
  const { error } = restoreTables(s, rules, { noflush: true });
  if (error) throw new Error(error.message);
  return s;
}

const packet = (sk?: { uid: number; gid: number }): PacketView => ({ src: 1, dst: 2, protocol: 6, sport: 40000, dport: 80, length: 60, inIface: "", outIface: "eth0", mark: 0, ct: { state: "NEW" }, ...(sk ? { sk } : {}) });

const RULES = `*nat
:ISTIO_OUTPUT - [0:0]
-A OUTPUT -j ISTIO_OUTPUT
-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN
-A ISTIO_OUTPUT -m owner ! --gid-owner 1000-2000 -j RETURN
-A ISTIO_OUTPUT -p tcp -j REDIRECT --to-ports 15001
COMMIT
`;

describe("-m owner", () => {
  it("saves and lists as iptables does", () => {
    const s = stackWith(RULES);
    const save = restoreTables(s, "*nat\n-S ISTIO_OUTPUT\nCOMMIT\n", { noflush: true }).output;
    expect(save).toBe("-N ISTIO_OUTPUT\n-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN\n-A ISTIO_OUTPUT -m owner ! --gid-owner 1000-2000 -j RETURN\n-A ISTIO_OUTPUT -p tcp -j REDIRECT --to-ports 15001\n");
  });

  it("matches the socket's uid and gid; a packet without a socket matches only inverted tests", () => {
    const s = stackWith(RULES);
    const verdict = (sk?: { uid: number; gid: number }) => traverse(s, "nat", "OUTPUT", packet(sk), { now: 0, rng: new Rng(1) }).verdict.kind;
    expect(verdict({ uid: 1337, gid: 1337 })).toBe("ACCEPT");
    expect(verdict({ uid: 0, gid: 0 })).toBe("ACCEPT");
    expect(verdict({ uid: 1500, gid: 1500 })).toBe("REDIRECT");
    expect(verdict(undefined)).toBe("ACCEPT");
  });

  it("refuses a rule without a test, and bad ids", () => {
    const s = new NetStack({ id: "pod", host: "node01", inode: 4026532002 });
    expect(restoreTables(s, "*nat\n-A OUTPUT -m owner -j RETURN\nCOMMIT\n").error?.message).toContain("owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
    expect(restoreTables(s, "*nat\n-A OUTPUT -m owner --uid-owner nobody-x -j RETURN\nCOMMIT\n").error?.message).toContain('Bad value for "--uid-owner" option: "nobody-x"');
  });
});
