// tcpdump's convention in a one-terminal lab: the banner now, and the packets the next command
// line's traffic put on the interface after that line's output, in tcpdump 4.99's format —
// flannel's VXLAN and Calico's IP-in-IP with their outer headers, pcap-filter expressions.
import { beforeAll, describe, expect, it } from "vitest";
import { lab } from "./helpers";

type Lab = Awaited<ReturnType<typeof lab>>;
const re = (ip: string) => ip.replace(/\./g, "\\.");
const BANNER = (dev: string) => `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on ${dev}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`;
const TIME = "\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";

describe("tcpdump on flannel", () => {
  let l: Lab;
  let remote: { ip: string };
  let client: string;
  beforeAll(async () => {
    l = await lab("flannel");
    remote = (await l.webPods()).find((p) => p.node === "node02")!;
    client = await l.podIP("client");
  });

  it("arms a capture and prints the next command's packets after its output: VXLAN outside, the pods' TCP inside", async () => {
    const armed = await l.run("ssh node01 tcpdump -i eth0 -n udp port 8472");
    expect([armed.stdout, armed.stderr, armed.exitCode]).toEqual(["", BANNER("eth0"), 0]);
    const r = await l.run(`kubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' ${remote.ip}`);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("200");
    // One connection: SYN, SYN-ACK, ACK, request, ACK, response, ACK, FIN, FIN, ACK — each an outer and an inner line.
    expect(lines.slice(1).filter(Boolean)).toHaveLength(20);
    expect(lines[1]).toMatch(new RegExp(`^${TIME} IP 172\\.30\\.1\\.3\\.\\d+ > 172\\.30\\.1\\.4\\.8472: OTV, flags \\[I\\] \\(0x08\\), overlay 0, instance 1$`));
    expect(lines[2]).toMatch(new RegExp(`^IP ${re(client)}\\.\\d+ > ${re(remote.ip)}\\.80: Flags \\[S\\], seq \\d+, win 64860, options \\[mss 1410,sackOK,TS val \\d+ ecr 0,nop,wscale 7\\], length 0$`));
    expect(lines[3]).toMatch(new RegExp(`^${TIME} IP 172\\.30\\.1\\.4\\.\\d+ > 172\\.30\\.1\\.3\\.8472: OTV`));
    expect(lines[4]).toMatch(new RegExp(`^IP ${re(remote.ip)}\\.80 > ${re(client)}\\.\\d+: Flags \\[S\\.\\], seq \\d+, ack \\d+, win \\d+, options \\[mss 1410,`));
    // After the handshake tcpdump numbers the connection's bytes relative to each side's first.
    expect(lines[6]).toMatch(/: Flags \[\.\], ack 1, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length 0$/);
    expect(lines[8]).toMatch(/: Flags \[P\.\], seq 1:\d+, ack 1, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length \d+: HTTP: GET \/ HTTP\/1\.1$/);
    expect(lines[12]).toMatch(/: Flags \[P\.\], seq 1:\d+, ack \d+, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length \d+: HTTP: HTTP\/1\.1 200 OK$/);
    expect(r.stderr).toBe("10 packets captured\n10 packets received by filter\n0 packets dropped by kernel\n");
    // The capture is over: the next command prints nothing more.
    expect((await l.run("true")).output).toBe("");
  });

  it("shows the pods' own packets on cni0 with -e and -c, and the filter decides what counts", async () => {
    await l.run(`ssh node01 tcpdump -i cni0 -n -e -c 2 host ${client} and tcp`);
    const r = await l.run(`kubectl exec client -- curl -s -o /dev/null ${remote.ip}`);
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${TIME} ([0-9a-f]{2}:){5}[0-9a-f]{2} > ([0-9a-f]{2}:){5}[0-9a-f]{2}, ethertype IPv4 \\(0x0800\\), length 74: ${re(client)}\\.\\d+ > ${re(remote.ip)}\\.80: Flags \\[S\\]`));
    expect(r.stderr).toMatch(/^2 packets captured\n(\d+) packets received by filter\n0 packets dropped by kernel\n$/);
    expect(Number(/\n(\d+) packets received/.exec(r.stderr)![1])).toBeGreaterThan(2);
  });

  it("names well-known ports without -n, and -i any tells the interface and direction", async () => {
    await l.run("ssh node01 tcpdump -i any -c 1 tcp port 80");
    const r = await l.run(`kubectl exec client -- curl -s -o /dev/null ${remote.ip}`);
    expect(r.stdout).toMatch(new RegExp(`^${TIME} \\S+ +(In |Out) IP ${re(client)}\\.\\d+ > ${re(remote.ip)}\\.http: Flags \\[S\\]`));
  });

  it("refuses what it cannot do, as tcpdump words it", async () => {
    expect((await l.run("tcpdump -i nope0")).stderr).toBe("tcpdump: nope0: No such device exists\n(SIOCGIFHWADDR: No such device)\n");
    expect((await l.run("tcpdump -i eth0 tcp port")).stderr).toBe("tcpdump: syntax error in filter expression: syntax error\n");
    expect((await l.run("tcpdump -w /tmp/x.pcap")).stderr).toBe("tcpdump: -w (pcap files) is out of scope in this lab: captures print in the terminal after the next command\n");
    expect((await l.run("kubectl exec client -- tcpdump")).exitCode).not.toBe(0);
  });
});

describe("tcpdump on calico", () => {
  it("shows IP-in-IP: the nodes' addresses outside, the pods' packet inside, on one line", async () => {
    const l = await lab("calico");
    const remote = (await l.webPods()).find((p) => p.node === "node02")!;
    const client = await l.podIP("client");
    await l.run("ssh node01 tcpdump -i eth0 -n -c 1 ip proto 4");
    const r = await l.run(`kubectl exec client -- curl -s -o /dev/null ${remote.ip}`);
    expect(r.stdout).toMatch(new RegExp(`^${TIME} IP 172\\.30\\.1\\.3 > 172\\.30\\.1\\.4: IP ${re(client)}\\.\\d+ > ${re(remote.ip)}\\.80: Flags \\[S\\], seq \\d+, win \\d+, options \\[mss \\d+,sackOK,TS val \\d+ ecr 0,nop,wscale 7\\], length 0\\n$`));
    const hops = await l.run(`kubectl exec bb -- traceroute -n ${remote.ip}`);
    expect(hops.stdout.split("\n").map((line) => line.replace(/  [\d.]+ ms/g, "")).slice(1)).toEqual([" 1  172.30.1.3", ` 2  ${(await l.run("ssh node02 ip -4 -br addr show tunl0")).stdout.split(/\s+/)[2].split("/")[0]}`, ` 3  ${remote.ip}`, ""]);
  });
});
