// The machines beside the cluster: the client host one reaches with `ssh client`, the gateway
// every node routes through, the internet behind it, and LoadBalancer addresses announced on the
// node network as MetalLB's layer 2 mode does.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { elect } from "@/lib/engine/net/machines/announcer";
import { connectTcp } from "@/lib/engine/net/walker";
import { parseIP } from "@/lib/engine/util/ipv4";

describe("the client host", () => {
  it("is an Ubuntu machine on the node network with the network tools and no kubectl", async () => {
    const sh = createCluster({ scenario: "three-node-flannel", seed: 2 }).shell();
    expect(await sh.run("ssh client")).toMatchObject({ exitCode: 0 });
    expect((await sh.run("hostname")).stdout).toBe("client\n");
    expect((await sh.run("ip -4 addr show eth0")).stdout).toContain("inet 172.30.1.100/24 ");
    expect(await sh.run("kubectl get nodes")).toMatchObject({ exitCode: 127 });
    expect((await sh.run("ping -c 1 172.30.1.3")).stdout).toContain("1 received");
    expect((await sh.run("exit")).stderr).toBe("logout\nConnection to client closed.\n");
    expect((await sh.run("ssh 172.30.1.100 hostname")).stdout).toBe("client\n");
  });

  it("reaches a NodePort on every node", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 2 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx; kubectl expose deployment web --port=80 --type=NodePort; sleep 30");
    const port = (await sh.run("kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'")).stdout;
    const client = cluster.internals.network.host("client")!;
    for (const node of ["172.30.1.2", "172.30.1.3", "172.30.1.4"]) {
      // Through each node's kube-proxy rules, from the client's namespace.
      const r = connectTcp(cluster.internals.network, { from: client, dst: parseIP(node)!, dport: Number(port), now: cluster.internals.clock.now() });
      expect([node, r.outcome.kind]).toEqual([node, "connected"]);
    }
  });
});

describe("the gateway and the internet", () => {
  it("routes every node out through the gateway, which masquerades the node network", async () => {
    const cluster = createCluster({ scenario: "single-node", seed: 2 });
    const sh = cluster.shell();
    const r = await sh.run("ping -c 1 1.1.1.1");
    expect(r.stdout).toMatch(/64 bytes from 1\.1\.1\.1: icmp_seq=1 ttl=62 time=\d+\.\d+ ms/);
    const gateway = cluster.internals.network.host("gateway")!;
    expect(gateway.conntrack.entries.map((e) => [e.protocol, e.reply.dst])).toEqual([["icmp", parseIP("198.51.100.2")]]);
  });
});

describe("LoadBalancer addresses", () => {
  it("are announced by the node MetalLB would elect: never the control plane, with Local only a node with an endpoint", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 2 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx; kubectl expose deployment web --port=80 --type=LoadBalancer; sleep 30");
    const ip = (await sh.run("kubectl get svc web -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
    const announcements = cluster.internals.network.announcements;
    expect(announcements.get(parseIP(ip)!)).toBe(elect(["node01", "node02"], ip));
    const node = (await sh.run("kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}'")).stdout;
    await sh.run(`kubectl patch svc web -p '{"spec":{"externalTrafficPolicy":"Local"}}'`);
    expect(announcements.get(parseIP(ip)!)).toBe(node);
    await sh.run("kubectl delete svc web");
    expect(announcements.size).toBe(0);
  });

  it("elects by sha256 of node#ip, as MetalLB's layer 2 mode does", () => {
    expect(elect([], "172.30.1.240")).toBeUndefined();
    const one = elect(["node01", "node02", "node03"], "172.30.1.240");
    expect(elect(["node03", "node02", "node01"], "172.30.1.240")).toBe(one);
    expect(["node01", "node02", "node03"]).toContain(one);
  });
});
