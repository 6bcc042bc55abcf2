// IPVS as the kernel runs it: destinations in list order (newest first), each scheduler's
// choice step by step, persistence templates, connection states and their counters, and the
// rate estimator.
import { describe, expect, it } from "vitest";
import { NetStack } from "@/lib/engine/net/kernel/stack";
import {
  addDestination, addService, deleteDestination, dhBucket, editDestination, expireConnections, ipvsConnectionState, ipvsPacket, ipvsSchedule, ipvsService,
  pickServer, readRates, shBucket, type IpvsScheduler, type VirtualService,
} from "@/lib/engine/net/ipvs";
import { formatIP, parseIP } from "@/lib/engine/util/ipv4";

const ip = (text: string) => parseIP(text)!;
const VIP = ip("10.96.0.100");
const [A, B, C, D] = ["10.244.1.5", "10.244.2.7", "10.244.3.9", "10.244.4.11"].map(ip);

function service(scheduler: IpvsScheduler, reals: [number, number][], persistent?: number): { stack: NetStack; vs: VirtualService } {
  const stack = new NetStack({ id: "n", host: "n", inode: 1 });
  const vs = addService(stack.ipvs, { protocol: "tcp", ip: VIP, port: 80, scheduler, persistent });
  for (const [addr, weight] of reals) addDestination(stack.ipvs, vs, { ip: addr, port: 8080, weight, forward: "Masq" });
  return { stack, vs };
}

/** The servers `n` scheduler calls pick, by address. */
function picks(vs: VirtualService, n: number, src = ip("10.244.9.9")): string[] {
  return Array.from({ length: n }, () => formatIP(pickServer(vs, { src, dst: VIP })?.ip ?? 0));
}

describe("IPVS destinations and schedulers", () => {
  it("keeps destinations newest first, as list_add_rcu does", () => {
    const { vs } = service("rr", [[A, 1], [B, 1], [C, 1]]);
    expect(vs.reals.map((r) => formatIP(r.ip))).toEqual(["10.244.3.9", "10.244.2.7", "10.244.1.5"]);
  });

  it("rr cycles through the list from its head and continues after a change where the kernel does", () => {
    const { stack, vs } = service("rr", [[A, 1], [B, 1], [C, 1]]);
    expect(picks(vs, 6)).toEqual(["10.244.3.9", "10.244.2.7", "10.244.1.5", "10.244.3.9", "10.244.2.7", "10.244.1.5"]);
    // The last pick was A (the tail): a new head D comes next, then the rest in order.
    addDestination(stack.ipvs, vs, { ip: D, port: 8080, weight: 1, forward: "Masq" });
    expect(picks(vs, 4)).toEqual(["10.244.4.11", "10.244.3.9", "10.244.2.7", "10.244.1.5"]);
    // Deleting the server last picked moves the position back one: its successor is next.
    picks(vs, 2); // D, C
    deleteDestination(vs, C, 8080);
    expect(picks(vs, 2)).toEqual(["10.244.2.7", "10.244.1.5"]);
    // Weight 0 takes a server out of the rotation.
    editDestination(vs, { ip: B, port: 8080, weight: 0, forward: "Masq" });
    expect(picks(vs, 3)).toEqual(["10.244.4.11", "10.244.1.5", "10.244.4.11"]);
  });

  it("wrr serves 3:2:1 in the kernel's interleaving", () => {
    const { vs } = service("wrr", [[A, 1], [B, 2], [C, 3]]);
    expect(picks(vs, 12)).toEqual(["C", "B", "A", "C", "C", "B", "C", "B", "A", "C", "C", "B"].map((n) => formatIP({ A, B, C }[n]!)));
  });

  it("lc takes the fewest connections (an active one weighs 256 inactive ones), ties in list order", () => {
    const { vs } = service("lc", [[A, 1], [B, 1], [C, 1]]);
    vs.reals[0].activeConns = 1; // C
    vs.reals[1].inactiveConns = 3; // B
    expect(picks(vs, 1)).toEqual(["10.244.1.5"]);
    vs.reals[2].inactiveConns = 300; // A
    expect(picks(vs, 1)).toEqual(["10.244.2.7"]);
  });

  it("wlc, sed and nq weigh connections against weights; nq takes an idle server first", () => {
    const wlc = service("wlc", [[A, 1], [B, 3]]).vs;
    wlc.reals[0].activeConns = 2; // B: 512/3
    wlc.reals[1].activeConns = 1; // A: 256/1
    expect(picks(wlc, 1)).toEqual(["10.244.2.7"]);
    const sed = service("sed", [[A, 1], [B, 3]]).vs;
    sed.reals[0].activeConns = 3; // B: (3+1)/3
    sed.reals[1].activeConns = 0; // A: (0+1)/1
    expect(picks(sed, 1)).toEqual(["10.244.1.5"]);
    sed.reals[0].activeConns = 1; // B: 2/3 beats A's 1/1
    expect(picks(sed, 1)).toEqual(["10.244.2.7"]);
    const nq = service("nq", [[A, 1], [B, 3]]).vs;
    nq.reals[0].activeConns = 1;
    expect(picks(nq, 1)).toEqual(["10.244.1.5"]);
  });

  it("fo takes the heaviest server; ovf the heaviest whose active connections do not exceed its weight", () => {
    const fo = service("fo", [[A, 5], [B, 2]]).vs;
    expect(picks(fo, 2)).toEqual(["10.244.1.5", "10.244.1.5"]);
    const ovf = service("ovf", [[A, 2], [B, 1]]).vs;
    ovf.reals[1].activeConns = 3; // A over its weight
    expect(picks(ovf, 1)).toEqual(["10.244.2.7"]);
  });

  it("dh sends every client to the same server for one destination; sh keeps each client on one server", () => {
    const dh = service("dh", [[A, 1], [B, 1], [C, 1]]).vs;
    const clients = Array.from({ length: 20 }, (_, i) => ip(`10.244.${i}.${i + 3}`));
    const dhPicks = new Set(clients.map((src) => formatIP(pickServer(dh, { src, dst: VIP })!.ip)));
    expect(dhPicks).toEqual(new Set([formatIP(dh.reals[dhBucket(VIP) % 3].ip)]));
    const sh = service("sh", [[A, 1], [B, 1], [C, 1]]).vs;
    const first = clients.map((src) => pickServer(sh, { src, dst: VIP })!.ip);
    const again = clients.map((src) => pickServer(sh, { src, dst: VIP })!.ip);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(3);
    // With weights 1:1:1 the 256 buckets are dealt one each in turn.
    expect(first.map(formatIP)).toEqual(clients.map((src) => formatIP(sh.reals[shBucket(src) % 3].ip)));
  });
});

describe("IPVS connections", () => {
  const packet = (src: number, sport: number) => ({ protocol: "tcp" as const, src, sport, dst: VIP, dport: 80, length: 60 });

  it("schedules a SYN as an inactive connection that becomes active when established and expires after TIME_WAIT", () => {
    const { stack } = service("rr", [[A, 1], [B, 1]]);
    const vs = ipvsService(stack, "tcp", VIP, 80)!;
    const conn = ipvsSchedule(stack, vs, packet(ip("10.244.9.9"), 40000), 0)!;
    const real = vs.reals.find((r) => r.ip === conn.dest.ip)!;
    expect([real.activeConns, real.inactiveConns, conn.state]).toEqual([0, 1, "SYN_RECV"]);
    ipvsConnectionState(stack, conn, "ESTABLISHED", 10);
    expect([real.activeConns, real.inactiveConns]).toEqual([1, 0]);
    // The same client port again is the same connection, on the same server.
    expect(ipvsSchedule(stack, vs, packet(ip("10.244.9.9"), 40000), 20)).toBe(conn);
    ipvsConnectionState(stack, conn, "TIME_WAIT", 1_000);
    expect([real.activeConns, real.inactiveConns]).toEqual([0, 1]);
    expireConnections(stack.ipvs, 1_000 + 119_999);
    expect(real.inactiveConns).toBe(1);
    expireConnections(stack.ipvs, 1_000 + 120_000);
    expect([real.activeConns, real.inactiveConns, stack.ipvs.connections.length]).toEqual([0, 0, 0]);
    expect(vs.stats.conns).toBe(1);
  });

  it("answers no destination when every server weighs 0", () => {
    const { stack, vs } = service("rr", [[A, 0]]);
    expect(ipvsSchedule(stack, vs, packet(ip("10.244.9.9"), 40000), 0)).toBeUndefined();
  });

  it("persistence keeps a client on its server while the template lives, each use restarting its timer", () => {
    const { stack, vs } = service("rr", [[A, 1], [B, 1], [C, 1]], 10800);
    const client = ip("10.244.9.9");
    const first = ipvsSchedule(stack, vs, packet(client, 40000), 0)!;
    const later = ipvsSchedule(stack, vs, packet(client, 40001), 5_000_000)!;
    expect(later.dest).toEqual(first.dest);
    expect(ipvsSchedule(stack, vs, packet(ip("10.244.8.8"), 40000), 5_000_001)!.dest).not.toEqual(first.dest);
    const template = stack.ipvs.connections.find((c) => c.template && c.client.ip === client)!;
    expect([template.state, template.client.port, template.expires]).toEqual(["NONE", 0, 5_000_000 + 10_800_000]);
    expect(vs.reals.find((r) => r.ip === first.dest.ip)!.persistConns).toBe(1);
    // expire_quiescent_template: a template to a server of weight 0 is dropped.
    stack.sysctls.set("net.ipv4.vs.expire_quiescent_template", "1");
    editDestination(vs, { ip: first.dest.ip, port: 8080, weight: 0, forward: "Masq" });
    expect(ipvsSchedule(stack, vs, packet(client, 40002), 5_000_002)!.dest).not.toEqual(first.dest);
  });

  it("estimates rates every 2 seconds as the kernel smooths them", () => {
    const { stack, vs } = service("rr", [[A, 1]]);
    for (let i = 0; i < 10; i++) {
      const c = ipvsSchedule(stack, vs, packet(ip("10.244.9.9"), 40000 + i), 2_000 + i)!;
      ipvsPacket(stack, c, "out", 60, 2_000 + i);
    }
    // One interval with 10 connections: cps moves a quarter of the way to 10/2 s = 5.
    expect(readRates(vs.stats, 4_000)).toEqual({ cps: 1, inpps: 1, outpps: 1, inbps: 75, outbps: 75 });
    expect(readRates(vs.stats, 6_000).cps).toBe(1);
    expect(readRates(vs.stats, 120_000)).toEqual({ cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 });
  });
});
