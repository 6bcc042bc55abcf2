// pcap-filter semantics on captured frames: the outermost headers decide, qualifiers combine,
// a bare value after and/or repeats the qualifiers before it, bad expressions are refused.
import { describe, expect, it } from "vitest";
import { compileFilter } from "@/lib/engine/net/commands/tcpdump/filter";
import { ipv4, tcp, udp, icmp, type EthernetFrame } from "@/lib/engine/net/walker/packet";
import { parseIP } from "@/lib/engine/util/ipv4";

const ip = (t: string) => parseIP(t)!;
const frame = (p: ReturnType<typeof ipv4>): EthernetFrame => ({ src: "aa:aa:aa:aa:aa:aa", dst: "bb:bb:bb:bb:bb:bb", ip: p });
const syn = frame(ipv4(ip("10.244.1.7"), ip("10.244.2.3"), 64, tcp(43210, 80, 2)));
const dns = frame(ipv4(ip("10.244.1.7"), ip("10.96.0.10"), 64, udp(40000, 53, 30)));
const ping = frame(ipv4(ip("10.244.1.7"), ip("8.8.8.8"), 64, icmp(8, 0, { id: 1, seq: 1, payload: 56 })));
const vxlan = frame(ipv4(ip("172.30.1.3"), ip("172.30.1.4"), 64, { ...udp(50000, 8472, 100), vxlan: { vni: 1, frame: syn } }));
const arp: EthernetFrame = { src: "aa:aa:aa:aa:aa:aa", dst: "ff:ff:ff:ff:ff:ff", arp: { op: "request", senderMac: "aa:aa:aa:aa:aa:aa", senderIp: ip("10.244.1.1"), targetMac: "00:00:00:00:00:00", targetIp: ip("10.244.1.7") } };

function matches(expression: string): boolean[] {
  const f = compileFilter(expression);
  if ("error" in f) throw new Error(f.error);
  return [syn, dns, ping, vxlan, arp].map((x) => f.match(x));
}

describe("compileFilter", () => {
  it("matches protocols, hosts, nets and ports on the outermost headers", () => {
    expect(matches("")).toEqual([true, true, true, true, true]);
    expect(matches("tcp")).toEqual([true, false, false, false, false]);
    expect(matches("udp")).toEqual([false, true, false, true, false]);
    expect(matches("icmp or arp")).toEqual([false, false, true, false, true]);
    expect(matches("port 80")).toEqual([true, false, false, false, false]);
    expect(matches("udp port 8472")).toEqual([false, false, false, true, false]);
    expect(matches("host 10.244.1.7")).toEqual([true, true, true, false, true]);
    expect(matches("src host 10.244.1.7")).toEqual([true, true, true, false, false]);
    expect(matches("dst 10.96.0.10 or 8.8.8.8")).toEqual([false, true, true, false, false]);
    expect(matches("net 172.30.1.0/24")).toEqual([false, false, false, true, false]);
    expect(matches("not (tcp or udp)")).toEqual([false, false, true, false, true]);
    expect(matches("tcp and dst port 80 && !src port 80")).toEqual([true, false, false, false, false]);
    expect(matches("portrange 50-60")).toEqual([false, true, false, false, false]);
    expect(matches("ip proto 17")).toEqual([false, true, false, true, false]);
  });

  it("refuses expressions pcap would refuse", () => {
    expect(compileFilter("tcp port")).toEqual({ error: "syntax error" });
    expect(compileFilter("host nowhere")).toEqual({ error: "can't resolve host 'nowhere'" });
    expect(compileFilter("(tcp")).toEqual({ error: "syntax error" });
    expect(compileFilter("icmp port 5")).toEqual({ error: "port qualifier applied to icmp" });
  });
});
