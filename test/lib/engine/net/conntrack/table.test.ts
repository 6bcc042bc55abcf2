// nf_conntrack's bookkeeping: the TCP state machine as the kernel's table drives it, UDP streams,
// ICMP, timeouts on virtual time, and conntrack-tools' line format.
import { describe, expect, it } from "vitest";
import { formatEntry } from "@/lib/engine/net/conntrack/format";
import { ctConfirm, ctExpire, ctFind, ctNew, ctUpdate, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type CtPacket } from "@/lib/engine/net/conntrack/table";
import { emptyConntrack } from "@/lib/engine/net/conntrack/types";
import { parseIP } from "@/lib/engine/util/ipv4";

const A = parseIP("10.244.1.5")!;
const B = parseIP("10.244.2.7")!;
const T0 = Date.UTC(2026, 0, 12, 9, 0, 0);

const out = (flags: number): CtPacket => ({ protocol: "tcp", src: A, dst: B, sport: 43512, dport: 80, tcpFlags: flags, bytes: 60 });
const back = (flags: number): CtPacket => ({ protocol: "tcp", src: B, dst: A, sport: 80, dport: 43512, tcpFlags: flags, bytes: 60 });

function seen(table: ReturnType<typeof emptyConntrack>, p: CtPacket, now: number) {
  const hit = ctFind(table, p, now);
  if (hit) return { ...hit, valid: ctUpdate(hit.entry, hit.dir, p, now) };
  const entry = ctNew(table, p, now);
  const valid = ctUpdate(entry, "original", p, now);
  ctConfirm(table, entry);
  return { entry, dir: "original" as const, valid };
}

describe("TCP", () => {
  it("walks SYN_SENT → SYN_RECV → ESTABLISHED [ASSURED] → FIN_WAIT → LAST_ACK → TIME_WAIT with the kernel's timeouts", () => {
    const table = emptyConntrack();
    const states: [string, number, boolean][] = [];
    const step = (p: CtPacket, at: number) => {
      const { entry } = seen(table, p, at);
      states.push([entry.tcpState, Math.round((entry.expires - at) / 1000), entry.assured]);
    };
    step(out(TCP_SYN), T0);
    step(back(TCP_SYN | TCP_ACK), T0 + 1);
    step(out(TCP_ACK), T0 + 2);
    step(out(TCP_FIN | TCP_ACK), T0 + 3);
    step(back(TCP_FIN | TCP_ACK), T0 + 4);
    step(out(TCP_ACK), T0 + 5);
    expect(states).toEqual([
      ["SYN_SENT", 120, false],
      ["SYN_RECV", 60, false],
      ["ESTABLISHED", 432000, true],
      ["FIN_WAIT", 120, true],
      ["LAST_ACK", 30, true],
      ["TIME_WAIT", 120, true],
    ]);
  });

  it("a reset answering a SYN closes the connection for 10 s; an ACK out of nowhere is invalid before a SYN-ACK", () => {
    const table = emptyConntrack();
    seen(table, out(TCP_SYN), T0);
    expect(seen(table, out(TCP_ACK), T0).valid).toBe(false);
    const { entry } = seen(table, back(TCP_RST | TCP_ACK), T0);
    expect([entry.tcpState, entry.expires - T0]).toEqual(["CLOSE", 10_000]);
  });

  it("prints as conntrack -L does, and expires on virtual time", () => {
    const table = emptyConntrack();
    seen(table, out(TCP_SYN), T0);
    seen(table, back(TCP_SYN | TCP_ACK), T0);
    const { entry } = seen(table, out(TCP_ACK), T0);
    expect(formatEntry(entry, T0)).toBe("tcp      6 431999 ESTABLISHED src=10.244.1.5 dst=10.244.2.7 sport=43512 dport=80 src=10.244.2.7 dst=10.244.1.5 sport=80 dport=43512 [ASSURED] mark=0 use=1");
    expect(formatEntry(entry, T0 + 60_000)).toContain(" 431939 ESTABLISHED ");
    ctExpire(table, T0 + 432_000_000);
    expect(table.entries).toEqual([]);
  });
});

describe("UDP and ICMP", () => {
  it("UDP: UNREPLIED for 30 s, replied 30 s, a stream after 2 s both ways: 120 s and ASSURED", () => {
    const table = emptyConntrack();
    const q: CtPacket = { protocol: "udp", src: A, dst: B, sport: 40000, dport: 53, bytes: 60 };
    const r: CtPacket = { protocol: "udp", src: B, dst: A, sport: 53, dport: 40000, bytes: 90 };
    const first = seen(table, q, T0).entry;
    expect(formatEntry(first, T0)).toBe("udp      17 29 src=10.244.1.5 dst=10.244.2.7 sport=40000 dport=53 [UNREPLIED] src=10.244.2.7 dst=10.244.1.5 sport=53 dport=40000 mark=0 use=1");
    seen(table, r, T0 + 1);
    expect([first.replied, first.assured, first.expires - (T0 + 1)]).toEqual([true, false, 30_000]);
    seen(table, q, T0 + 3000);
    expect([first.assured, first.expires - (T0 + 3000)]).toEqual([true, 120_000]);
  });

  it("ICMP echo: the id on both tuples, the reply type 0, 30 s", () => {
    const table = emptyConntrack();
    const entry = seen(table, { protocol: "icmp", src: A, dst: B, sport: 7, dport: 0, icmpType: 8, icmpCode: 0, bytes: 84 }, T0).entry;
    expect(ctFind(table, { protocol: "icmp", src: B, dst: A, sport: 0, dport: 7, icmpType: 0, icmpCode: 0, bytes: 84 }, T0)?.dir).toBe("reply");
    expect(formatEntry(entry, T0)).toBe("icmp     1 29 src=10.244.1.5 dst=10.244.2.7 type=8 code=0 id=7 [UNREPLIED] src=10.244.2.7 dst=10.244.1.5 type=0 code=0 id=7 mark=0 use=1");
  });
});
