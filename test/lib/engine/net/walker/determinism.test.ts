// Traffic is state like any other: a fork that sends the same packets prints the same bytes as
// a cluster booted for itself (seeded jitter, ports, conntrack, neighbours, traces), and two forks
// do not share what their walks change.
import { describe, expect, it } from "vitest";
import { createCluster, type CreateClusterOptions } from "@/lib/engine";
import { copyGraph } from "@/lib/engine/util/graph-copy";

const SCRIPT = [
  "kubectl create deployment web --image=nginx --replicas=2",
  "kubectl expose deployment web --port=80",
  "sleep 30",
  "kubectl run probe --image=curlimages/curl --restart=Never -- curl -s web.default.svc.cluster.local",
  "kubectl run probe2 --image=busybox --restart=Never -- sleep 3600",
  "sleep 10",
  "kubectl exec probe2 -- ping -c 3 172.30.1.1",
  "ping -c 2 8.8.8.8",
  "conntrack -L",
  "ip neigh",
  "ssh client ping -c 2 172.30.1.3",
];

async function transcript(options: CreateClusterOptions): Promise<string> {
  const sh = createCluster(options).shell();
  let out = "";
  for (const line of SCRIPT) {
    const r = await sh.run(line, { elapsedMs: 1_000 });
    out += `$ ${line}\n${r.stdout}${r.stderr}[${r.exitCode}]\n`;
  }
  return out;
}

describe("traffic on forks", () => {
  it("replays byte for byte on a fork and on a fresh boot", async () => {
    const fresh = await transcript({ scenario: "three-node-flannel", seed: 9, fresh: true });
    const fork = await transcript({ scenario: "three-node-flannel", seed: 9 });
    expect(fresh).toContain("2 received");
    expect(fork).toBe(fresh);
  }, 60_000);

  it("keeps each fork's conntrack, neighbours and traces its own", async () => {
    const a = createCluster({ scenario: "three-node-flannel", seed: 9 });
    const b = createCluster({ scenario: "three-node-flannel", seed: 9 });
    await a.shell().run("ping -c 1 172.30.1.3");
    expect(a.internals.network.host("controlplane")!.neighbours.length).toBeGreaterThan(b.internals.network.host("controlplane")!.neighbours.length);
    expect(a.internals.traces.latest?.protocol).toBe("ICMP");
    expect(b.internals.traces.latest).toBeNull();
    expect(() => copyGraph(a.internals)).not.toThrow();
  });
});
