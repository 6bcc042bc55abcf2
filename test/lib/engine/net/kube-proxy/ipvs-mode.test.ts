// kube-proxy's IPVS proxier on a booted cluster: virtual services for ClusterIPs and for the
// NodePort on every node address, kube-ipvs0 holding the service addresses, the ipsets and the
// few iptables rules that match them, persistence for sessionAffinity, and real servers that
// drain (weight 0) before they go. Schedules run through the API the packet walker calls.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { boot as bootCluster, out, type Sh } from "./helpers";
import { ipvsConnectionState, ipvsSchedule, ipvsService } from "@/lib/engine/net";
import { formatIP, parseIP } from "@/lib/engine/util/ipv4";

const boot = (spec: Record<string, unknown> = {}) => bootCluster({ kubeProxy: { mode: "ipvs" }, ...spec });

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: "nginx:1.27" }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30080 }]
`;

async function deployWeb(sh: Sh): Promise<{ vip: string; pods: string[] }> {
  await out(sh, `kubectl apply -f - <<'EOF'\n${WEB}EOF`);
  await out(sh, "sleep 20");
  const vip = (await out(sh, "kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).trim();
  const pods = (await out(sh, "kubectl get pods -l app=web -o jsonpath='{.items[*].status.podIP}'")).trim().split(" ").sort();
  return { vip, pods };
}

describe("kube-proxy (IPVS mode)", () => {
  it("programs the system Services as virtual services with Masq real servers", async () => {
    const { sh } = boot();
    // CoreDNS runs on the control plane: Ready first, the node its pods were scheduled to.
    expect(await out(sh, "ssh node01 ipvsadm -Ln")).toBe(
      "IP Virtual Server version 1.2.1 (size=4096)\n" +
      "Prot LocalAddress:Port Scheduler Flags\n" +
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
      "TCP  10.96.0.1:443 rr\n" +
      "  -> 172.30.1.2:6443              Masq    1      0          0         \n" +
      "TCP  10.96.0.10:53 rr\n" +
      "  -> 10.244.0.2:53                Masq    1      0          0         \n" +
      "  -> 10.244.0.3:53                Masq    1      0          0         \n" +
      "TCP  10.96.0.10:9153 rr\n" +
      "  -> 10.244.0.2:9153              Masq    1      0          0         \n" +
      "  -> 10.244.0.3:9153              Masq    1      0          0         \n" +
      "UDP  10.96.0.10:53 rr\n" +
      "  -> 10.244.0.2:53                Masq    1      0          0         \n" +
      "  -> 10.244.0.3:53                Masq    1      0          0         \n",
    );
    const dummy = await out(sh, "ssh node01 ip addr show kube-ipvs0");
    expect(dummy).toMatch(/^\d+: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN /);
    expect(dummy.match(/inet \S+ scope global kube-ipvs0/g)).toEqual(["inet 10.96.0.1/32 scope global kube-ipvs0", "inet 10.96.0.10/32 scope global kube-ipvs0"]);
    expect(await out(sh, "ssh node01 sysctl -n net.ipv4.vs.conntrack net.ipv4.vs.expire_nodest_conn net.ipv4.vs.expire_quiescent_template")).toBe("1\n1\n1\n");
    expect((await out(sh, "ssh node01 iptables-save -t nat")).split("\n").filter((l) => l.startsWith("-A KUBE-SERVICES"))).toEqual([
      "-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN",
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
      "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT",
      "-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT",
    ]);
    const logs = await out(sh, "kubectl -n kube-system logs $(kubectl -n kube-system get pods -l k8s-app=kube-proxy -o name | head -1)");
    expect(logs).toContain('] "Using ipvs Proxier"\n');
    expect(logs).toContain('] "IPVS scheduler not specified, use rr by default" ipFamily="IPv4"\n');
  });

  it("serves a NodePort on every node address and keeps the ipsets in step", async () => {
    const { sh } = boot();
    const { vip, pods } = await deployWeb(sh);
    const list = await out(sh, "ssh node01 ipvsadm -Ln");
    const services = list.split("\n").filter((l) => /^(TCP|UDP) /.test(l));
    expect(services).toContain(`TCP  ${vip}:80 rr`);
    // eth0, flannel.1 and cni0 of node01; never an address of kube-ipvs0 or lo.
    expect(services.filter((l) => l.includes(":30080"))).toEqual(["TCP  10.244.1.0:30080 rr", "TCP  10.244.1.1:30080 rr", "TCP  172.30.1.3:30080 rr"]);
    expect((await out(sh, `ssh node01 ipvsadm -Ln -t 172.30.1.3:30080`)).split("\n").filter((l) => l.startsWith("  ->")).length).toBe(4);
    expect(await out(sh, "ssh node01 ipset list KUBE-NODE-PORT-TCP | tail -1")).toBe("30080\n");
    expect(await sh.run(`ssh node01 ipset test KUBE-CLUSTER-IP ${vip},tcp:80`)).toMatchObject({ stderr: `Warning: ${vip},tcp:80 is in set KUBE-CLUSTER-IP.\n`, exitCode: 0 });
    const local = pods.filter((p) => p.startsWith("10.244.1."));
    expect(await out(sh, "ssh node01 ipset list KUBE-LOOP-BACK | grep ',tcp:80,'")).toBe(local.map((p) => `${p},tcp:80,${p}\n`).join(""));
  });

  it("round robin cycles the real servers in the kernel's order, and counts the connections", async () => {
    const { cluster, sh } = boot();
    const { vip, pods } = await deployWeb(sh);
    const stack = cluster.internals.network.host("node01")!;
    const vs = ipvsService(stack, "tcp", parseIP(vip)!, 80)!;
    const now = cluster.internals.clock.now();
    const client = parseIP("10.244.1.9")!;
    const picked = Array.from({ length: 6 }, (_, i) => formatIP(ipvsSchedule(stack, vs, { protocol: "tcp", src: client, sport: 40000 + i, dst: vs.ip, dport: 80, length: 60 }, now)!.dest.ip));
    // The kernel's list (what --nosort shows: the endpoint added last first) is the rotation.
    const order = (await out(sh, `ssh node01 ipvsadm -Ln --nosort -t ${vip}:80`)).split("\n").slice(2).filter((l) => l.startsWith("  ->")).map((l) => l.split(/\s+/)[2].replace(":80", ""));
    expect(order.slice().sort()).toEqual(pods);
    expect(picked).toEqual([...order, ...order]);
    const entries = (await out(sh, "ssh node01 ipvsadm -Lnc")).split("\n");
    expect(entries.slice(0, 3)).toEqual([
      "IPVS connection entries",
      "pro expire state       source             virtual            destination",
      `TCP 01:00  SYN_RECV    10.244.1.9:40000   ${`${vip}:80`.padEnd(18)} ${order[0]}:80`,
    ]);
    expect((await out(sh, `ssh node01 ipvsadm -Ln -t ${vip}:80`)).split("\n").slice(3, 6)).toEqual(
      pods.map((p) => `  -> ${`${p}:80`.padEnd(28)} Masq    1      0          2         `),
    );
  });

  it("sessionAffinity ClientIP makes the virtual services persistent for its timeout", async () => {
    const { sh } = boot();
    const { vip } = await deployWeb(sh);
    await out(sh, `kubectl patch svc web -p '{"spec":{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":600}}}}'`);
    await out(sh, "sleep 1");
    expect(await out(sh, `ssh node02 "ipvsadm -Ln | grep -E '^TCP  (${vip}:80|172.30.1.4:30080) '"`)).toBe(`TCP  ${vip}:80 rr persistent 600\nTCP  172.30.1.4:30080 rr persistent 600\n`);
  });

  it("drains a removed endpoint with connections (weight 0) and deletes it once they expire", async () => {
    const { cluster, sh } = boot();
    const { vip } = await deployWeb(sh);
    const stack = cluster.internals.network.host("node01")!;
    const vs = ipvsService(stack, "tcp", parseIP(vip)!, 80)!;
    const conn = ipvsSchedule(stack, vs, { protocol: "tcp", src: parseIP("10.244.1.9")!, sport: 40000, dst: vs.ip, dport: 80, length: 60 }, cluster.internals.clock.now())!;
    ipvsConnectionState(stack, conn, "ESTABLISHED", cluster.internals.clock.now());
    const busy = formatIP(conn.dest.ip);
    const pod = (await out(sh, `kubectl get pods -l app=web -o jsonpath='{range .items[?(@.status.podIP=="${busy}")]}{.metadata.name}{end}'`)).trim();
    await out(sh, `kubectl delete pod ${pod} --wait=false`);
    await out(sh, "sleep 5");
    const line = (await out(sh, `ssh node01 ipvsadm -Ln -t ${vip}:80`)).split("\n").find((l) => l.includes(`${busy}:80`));
    expect(line).toBe(`  -> ${`${busy}:80`.padEnd(28)} Masq    0      1          0         `);
    ipvsConnectionState(stack, conn, "TIME_WAIT", cluster.internals.clock.now());
    await out(sh, "sleep 200");
    expect(await out(sh, `ssh node01 ipvsadm -Ln -t ${vip}:80`)).not.toContain(`${busy}:80`);
  });

  it("switches mode when the ConfigMap says so and the pods restart", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 7 });
    const sh = cluster.shell();
    expect(await out(sh, "ssh node01 ipvsadm -Sn")).toBe("");
    await out(sh, `kubectl -n kube-system get cm kube-proxy -o yaml | sed 's/mode: ""/mode: "ipvs"/' | kubectl apply -f - 2>/dev/null; kubectl -n kube-system delete pods -l k8s-app=kube-proxy`);
    await out(sh, "sleep 30");
    expect(await out(sh, "ssh node01 ipvsadm -Sn | head -1")).toBe("-A -t 10.96.0.1:443 -s rr\n");
  });
});
