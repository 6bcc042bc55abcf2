// ping as iputils 20211215 prints it on the nodes and the client, and as busybox's applet prints
// it in a busybox container, over the packet walker and the virtual clock.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

/** Round-trip times vary with the seeded jitter: the rest of the text is exact. */
const times = (text: string) => text.replace(/time=[\d.]+ ms/g, "time=T ms").replace(/= [\d.]+\/[\d.]+\/[\d.]+(\/[\d.]+)? ms/g, "= RTT ms");

describe("ping (iputils)", () => {
  it("pings the gateway: replies, the statistics block, and three seconds of virtual time for -c 4", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 5 });
    const sh = cluster.shell();
    const before = cluster.internals.clock.now();
    const r = await sh.run("ping -c 4 172.30.1.1");
    expect(r.exitCode).toBe(0);
    expect(times(r.stdout)).toBe(`PING 172.30.1.1 (172.30.1.1) 56(84) bytes of data.
64 bytes from 172.30.1.1: icmp_seq=1 ttl=64 time=T ms
64 bytes from 172.30.1.1: icmp_seq=2 ttl=64 time=T ms
64 bytes from 172.30.1.1: icmp_seq=3 ttl=64 time=T ms
64 bytes from 172.30.1.1: icmp_seq=4 ttl=64 time=T ms

--- 172.30.1.1 ping statistics ---
4 packets transmitted, 4 received, 0% packet loss, time 3002ms
rtt min/avg/max/mdev = RTT ms
`);
    expect(r.stdout).toMatch(/time=0\.\d{3} ms/);
    expect(cluster.internals.clock.now() - before).toBeGreaterThanOrEqual(3000);
    expect(cluster.internals.clock.now() - before).toBeLessThan(3100);
  });

  it("reports a neighbour that never answers as Destination Host Unreachable from itself, and exits 1", async () => {
    const sh = createCluster({ scenario: "three-node-flannel", seed: 5 }).shell();
    const r = await sh.run("ping -c 2 172.30.1.77");
    expect(r).toMatchObject({
      stdout: `PING 172.30.1.77 (172.30.1.77) 56(84) bytes of data.
From 172.30.1.2 icmp_seq=1 Destination Host Unreachable
From 172.30.1.2 icmp_seq=2 Destination Host Unreachable

--- 172.30.1.77 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1001ms
pipe 2
`,
      stderr: "",
      exitCode: 1,
    });
  });

  it("crosses the gateway to the internet, in milliseconds, and expires a TTL at the gateway", async () => {
    const sh = createCluster({ scenario: "three-node-flannel", seed: 5 }).shell();
    const r = await sh.run("ping -c 1 -q 8.8.8.8");
    expect(times(r.stdout)).toBe("PING 8.8.8.8 (8.8.8.8) 56(84) bytes of data.\n\n--- 8.8.8.8 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = RTT ms\n");
    expect(Number(/= ([\d.]+)\//.exec(r.stdout)![1])).toBeGreaterThan(8);
    const ttl = await sh.run("ping -c 1 -t 1 8.8.8.8");
    expect(ttl.stdout).toContain("From 172.30.1.1 icmp_seq=1 Time to live exceeded\n");
    expect(ttl.exitCode).toBe(1);
  });

  it("fails to connect without a route (exit 2), and refuses bad input as iputils does", async () => {
    const sh = createCluster({ scenario: "three-node-flannel", seed: 5 }).shell();
    await sh.run("ip route del default");
    expect(await sh.run("ping -c 1 8.8.8.8")).toMatchObject({ stdout: "", stderr: "ping: connect: Network is unreachable\n", exitCode: 2 });
    expect(await sh.run("ping -c 1 nowhere.example")).toMatchObject({ stdout: "", stderr: "ping: nowhere.example: Name or service not known\n", exitCode: 2 });
    expect(await sh.run("ping -c 0 1.1.1.1")).toMatchObject({ stdout: "", stderr: "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n", exitCode: 1 });
    const bad = await sh.run("ping -z 1.1.1.1");
    expect(bad.stderr.startsWith("ping: invalid option -- 'z'\n\nUsage\n  ping [options] <destination>\n")).toBe(true);
    expect(bad.exitCode).toBe(2);
    expect((await sh.run("ping 1.1.1.1")).exitCode).toBe(2);
    expect((await sh.run("ping -V")).stdout).toBe("ping from iputils 20211215\n");
  });

  it("resolves names from /etc/hosts and pings localhost over lo", async () => {
    const sh = createCluster({ scenario: "single-node", seed: 5 }).shell();
    const r = await sh.run("ping -c 1 localhost");
    expect(r.stdout).toMatch(/^PING localhost \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from localhost \(127\.0\.0\.1\): icmp_seq=1 ttl=64 time=0\.0\d\d ms\n/);
  });
});

describe("ping (busybox)", () => {
  it("prints busybox's format in a busybox container: seq from 0, round-trip min/avg/max", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 5 });
    const sh = cluster.shell();
    await sh.run("kubectl run bb --image=busybox --restart=Never -- sleep 3600; sleep 20");
    const r = await sh.run("kubectl exec bb -- ping -c 2 172.30.1.1");
    expect(times(r.stdout)).toBe(`PING 172.30.1.1 (172.30.1.1): 56 data bytes
64 bytes from 172.30.1.1: seq=0 ttl=63 time=T ms
64 bytes from 172.30.1.1: seq=1 ttl=63 time=T ms

--- 172.30.1.1 ping statistics ---
2 packets transmitted, 2 packets received, 0% packet loss
round-trip min/avg/max = RTT ms
`);
    expect((await sh.run("kubectl exec bb -- ping -c 1 10.244.200.1")).stdout).toContain("1 packets transmitted, 0 packets received, 100% packet loss\n");
    // The pod's own address is local: the kernel sends it out of lo, whatever device the local route names.
    const own = await sh.run("kubectl exec bb -- sh -c 'ping -c 1 $(hostname -i)'");
    expect(own.stdout).toContain("1 packets transmitted, 1 packets received, 0% packet loss\n");
    expect(times(own.stdout)).toMatch(/64 bytes from 10\.244\.\d+\.\d+: seq=0 ttl=64 time=T ms/);
    // busybox's ash words a missing command its own way.
    expect(await sh.run("kubectl exec bb -- sh -c 'kubectl get pods'")).toMatchObject({ stderr: "sh: kubectl: not found\ncommand terminated with exit code 127\n" });
  });
});
