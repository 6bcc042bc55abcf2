// Captures for tcpdump: while armed on an interface, every frame it sends or receives is kept in
// order with its virtual time, outer and inner headers; nothing is kept while none is armed.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { formatIP } from "@/lib/engine/util/ipv4";

describe("captures", () => {
  it("see flannel's VXLAN on eth0: outer UDP 8472 between the nodes around the inner ICMP", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 6 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx; sleep 30");
    const pod = (await sh.run("kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'")).stdout;
    const network = cluster.internals.network;
    const cp = network.host("controlplane")!;
    const capture = network.captures.arm(cp.id, cp.link("eth0")!.index);
    await sh.run(`ping -c 1 ${pod}`);
    network.captures.disarm(capture);
    const frames = capture.frames.filter((f) => f.frame.ip);
    expect(frames.map((f) => f.direction)).toEqual(["out", "in"]);
    const [out, back] = frames;
    const outer = out.frame.ip!;
    expect(outer.l4).toMatchObject({ kind: "udp", dport: 8472 });
    expect(formatIP(outer.src)).toBe("172.30.1.2");
    const inner = outer.l4.kind === "udp" ? outer.l4.vxlan!.frame.ip! : undefined;
    expect(inner && [formatIP(inner.src), formatIP(inner.dst), inner.l4.kind]).toEqual(["10.244.0.0", pod, "icmp"]);
    expect(back.at).toBeGreaterThan(out.at);
    expect(out.link).toBe("ethernet");
    await sh.run(`ping -c 1 ${pod}`);
    expect(capture.frames.filter((f) => f.frame.ip)).toHaveLength(2);
  });
});
