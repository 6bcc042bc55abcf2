// kube-proxy's iptables proxier on a booted cluster, seen as a learner sees it: through
// iptables-save on the nodes. Chains carry upstream's names (the kubernetes Service is
// KUBE-SVC-NPX46M4PTMTKRN6Y on every real cluster), rules follow Services and endpoints, and a
// stopped kube-proxy leaves its rules as they were.
import { describe, expect, it } from "vitest";
import { boot, out, type Sh } from "./helpers";

const lines = (text: string) => text.split("\n").filter(Boolean);

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
  selector: { app: web }
  ports: [{ port: 80 }]
`;

async function deployWeb(sh: Sh, extra = ""): Promise<void> {
  await out(sh, `kubectl apply -f - <<'EOF'\n${WEB}${extra}EOF`);
  await out(sh, "sleep 20");
}

describe("kube-proxy (iptables mode) on a booted cluster", () => {
  it("writes the well-known chains of the kubernetes and kube-dns Services", async () => {
    const { sh } = boot();
    expect(lines(await out(sh, "iptables-save -t nat | grep '^-A KUBE-SERVICES'"))).toEqual([
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y',
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4',
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]);
    expect(lines(await out(sh, "iptables-save -t nat | grep -E '^-A (KUBE-POSTROUTING|KUBE-MARK-MASQ|PREROUTING|OUTPUT|POSTROUTING) .*KUBE'"))).toEqual([
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ]);
    expect(lines(await out(sh, "iptables-save -t nat | grep -E '^-A KUBE-(POSTROUTING|MARK-MASQ) '"))).toEqual([
      "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
      "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
      "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
    // The filter jumps in the order kube-proxy prepends them, after the kubelet's KUBE-FIREWALL.
    expect(lines(await out(sh, "iptables-save -t filter | grep '^-A INPUT'"))).toEqual([
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      "-A INPUT -j KUBE-FIREWALL",
    ]);
    expect(await out(sh, "sysctl -n net.ipv4.conf.all.route_localnet")).toBe("1\n");
  });

  it("spreads a Service over its endpoints with upstream's probabilities, on every node alike", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    const svc = await out(sh, "iptables-save -t nat | grep '^-A KUBE-SERVICES .*default/web'");
    const chain = /-j (KUBE-SVC-\w+)/.exec(svc)![1];
    const ips = lines(await out(sh, "kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.status.podIP}{\"\\n\"}{end}'")).sort();
    const jumps = lines(await out(sh, `iptables-save -t nat | grep '^-A ${chain} .* -> '`));
    expect(jumps.map((l) => [/-> ([\d.]+):80/.exec(l)![1], /--probability (\S+)/.exec(l)?.[1] ?? "-"])).toEqual([
      [ips[0], "0.33333333349"],
      [ips[1], "0.50000000000"],
      [ips[2], "-"],
    ]);
    expect(await out(sh, `ssh node02 "iptables-save -t nat | grep '^-A ${chain} '"`)).toBe(await out(sh, `iptables-save -t nat | grep '^-A ${chain} '`));
  });

  it("follows a scale-down and deletes the chains of endpoints that are gone", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    const before = lines(await out(sh, "iptables-save -t nat | grep -c '^:KUBE-SEP-'"))[0];
    await out(sh, "kubectl scale deployment web --replicas=1");
    await out(sh, "sleep 40");
    expect(Number(lines(await out(sh, "iptables-save -t nat | grep -c '^:KUBE-SEP-'"))[0])).toBe(Number(before) - 2);
    expect(await out(sh, "iptables-save -t nat | grep 'default/web ->'")).not.toContain("--probability");
  });

  it("rejects a Service without endpoints in the filter table", async () => {
    const { sh } = boot();
    await out(sh, "kubectl create service clusterip nothing --tcp=8080:80");
    await out(sh, "sleep 2");
    const ip = (await out(sh, "kubectl get svc nothing -o jsonpath='{.spec.clusterIP}'")).trim();
    expect(lines(await out(sh, "iptables-save -t filter | grep 'has no endpoints'"))).toEqual([
      `-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/nothing:8080-80 has no endpoints" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable`,
    ]);
    expect(await sh.run("iptables-save -t nat | grep default/nothing")).toMatchObject({ exitCode: 1, stdout: "" });
  });

  it("externalTrafficPolicy Local: no masquerade, and nodes without a local endpoint drop", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    await out(sh, "kubectl scale deployment web --replicas=1");
    await out(sh, `kubectl patch svc web -p '{"spec":{"type":"NodePort","externalTrafficPolicy":"Local"}}'`);
    await out(sh, "sleep 40");
    const node = (await out(sh, "kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}'")).trim();
    const other = node === "node01" ? "node02" : "node01";
    const nodePort = (await out(sh, "kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'")).trim();
    const withPod = await out(sh, `ssh ${node} "iptables-save -t nat | grep '^-A KUBE-EXT-'"`);
    expect(withPod).toMatch(/-A KUBE-EXT-\w+ -j KUBE-SVL-\w+\n/);
    expect(withPod).not.toContain("masquerade traffic for");
    expect(await out(sh, `ssh ${other} "iptables-save -t filter | grep 'has no local endpoints'"`)).toBe(
      `-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport ${nodePort} -j DROP\n`,
    );
    expect(await out(sh, `ssh ${other} "iptables-save -t nat | grep '^-A KUBE-EXT-'"`)).not.toMatch(/-j KUBE-SVL-/);
  });

  it("a LoadBalancer Service is reached on its ingress IP and NodePort through KUBE-EXT, masqueraded", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    await out(sh, `kubectl patch svc web -p '{"spec":{"type":"LoadBalancer"}}'`);
    await out(sh, "sleep 5");
    const lb = (await out(sh, "kubectl get svc web -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).trim();
    const nodePort = (await out(sh, "kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'")).trim();
    const nat = await out(sh, "iptables-save -t nat | grep 'default/web'");
    const ext = /-d \S+ -p tcp -m comment --comment "default\/web loadbalancer IP" -m tcp --dport 80 -j (KUBE-EXT-\w+)/.exec(nat)![1];
    expect(nat).toContain(`-A KUBE-SERVICES -d ${lb}/32 -p tcp -m comment --comment "default/web loadbalancer IP" -m tcp --dport 80 -j ${ext}\n`);
    expect(nat).toContain(`-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport ${nodePort} -j ${ext}\n`);
    expect(nat).toContain(`-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "default/web" -m tcp --dport ${nodePort} -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j ${ext}\n`);
    expect(await out(sh, `iptables-save -t nat | grep '^-A ${ext} '`)).toBe(
      `-A ${ext} -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ\n-A ${ext} -j ${ext.replace("EXT", "SVC")}\n`,
    );
  });

  it("internalTrafficPolicy Local drops the ClusterIP on a node without a local endpoint", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    await out(sh, "kubectl scale deployment web --replicas=1");
    await out(sh, `kubectl patch svc web -p '{"spec":{"internalTrafficPolicy":"Local"}}'`);
    await out(sh, "sleep 40");
    const node = (await out(sh, "kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}'")).trim();
    const other = node === "node01" ? "node02" : "node01";
    expect(await out(sh, `ssh ${node} "iptables-save -t nat | grep '^-A KUBE-SERVICES .*default/web'"`)).toMatch(/-j KUBE-SVL-\w+\n$/);
    expect(await out(sh, `ssh ${other} "iptables-save -t filter | grep 'default/web'"`)).toMatch(/^-A KUBE-SERVICES -d \S+ -p tcp -m comment --comment "default\/web has no local endpoints" -m tcp --dport 80 -j DROP\n$/);
  });

  it("a bad configuration crashes kube-proxy, and the rules it last wrote stay", async () => {
    const { sh } = boot();
    const before = await out(sh, "iptables-save -t nat | grep -v '^#'");
    await out(sh, `kubectl -n kube-system get cm kube-proxy -o yaml | sed 's/mode: ""/mode: "bogus"/' | kubectl replace -f -; kubectl -n kube-system delete pods -l k8s-app=kube-proxy`);
    await out(sh, "sleep 40");
    expect(await out(sh, "kubectl -n kube-system get pods -l k8s-app=kube-proxy --no-headers | grep -c CrashLoopBackOff")).toBe("3\n");
    expect(await out(sh, "kubectl -n kube-system logs $(kubectl -n kube-system get pods -l k8s-app=kube-proxy -o name | head -1)")).toMatch(
      /^E\d{4} [\d:.]+ +1 run\.go:72\] "command failed" err="failed validate: KubeProxyConfiguration\.Mode: Invalid value: \\"bogus\\": must be iptables, ipvs, nftables or blank/,
    );
    expect(await out(sh, "iptables-save -t nat | grep -v '^#'")).toBe(before);
  });

  it("sessionAffinity ClientIP checks and sets the recent lists", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    await out(sh, `kubectl patch svc web -p '{"spec":{"sessionAffinity":"ClientIP"}}'`);
    await out(sh, "sleep 2");
    const rules = await out(sh, "iptables-save -t nat | grep 'default/web'");
    expect(rules.match(/-m recent --rcheck --seconds 10800 --reap --name (KUBE-SEP-\w+) --mask 255.255.255.255 --rsource -j \1\n/g)).toHaveLength(3);
    expect(rules.match(/-m recent --set --name KUBE-SEP-\w+ --mask 255.255.255.255 --rsource -m tcp -j DNAT/g)).toHaveLength(3);
  });

  it("a hand-edited Service chain stays edited until its Service changes (partial syncs)", async () => {
    const { sh } = boot();
    await deployWeb(sh);
    const chain = /-j (KUBE-SVC-\w+)/.exec(await out(sh, "iptables-save -t nat | grep '^-A KUBE-SERVICES .*default/web'"))![1];
    const masq = `-A ${chain} ! -s 10.244.0.0/16`;
    expect(await out(sh, `iptables-save -t nat | grep -c -- '${masq}'`)).toBe("1\n");
    await out(sh, `iptables -t nat -D ${chain} 1`);
    // Another Service comes: a partial sync writes its rules, and leaves web's chain alone.
    await out(sh, "kubectl create service clusterip other --tcp=80");
    await out(sh, "sleep 2");
    expect(await out(sh, "iptables-save -t filter | grep -c 'default/other:80 has no endpoints'")).toBe("1\n");
    expect(lines(await out(sh, `iptables-save -t nat | grep '^-A ${chain} '`))).toHaveLength(3);
    expect(await sh.run(`iptables-save -t nat | grep -c -- '${masq}'`)).toMatchObject({ stdout: "0\n" });
    // web's endpoints change: its chain is written whole again.
    await out(sh, "kubectl scale deployment web --replicas=2");
    await out(sh, "sleep 30");
    expect(await out(sh, `iptables-save -t nat | grep -c -- '${masq}'`)).toBe("1\n");
    expect(lines(await out(sh, `iptables-save -t nat | grep '^-A ${chain} '`))).toHaveLength(3);
  });

  it("a flushed ruleset comes back when the canary check finds its chain gone", async () => {
    const { sh } = boot();
    await out(sh, "iptables -t nat -F; iptables -t nat -X; iptables -t mangle -F; iptables -t mangle -X; iptables -F; iptables -X");
    expect(await sh.run("iptables-save -t nat | grep -c KUBE-SVC-NPX46M4PTMTKRN6Y")).toMatchObject({ stdout: "0\n" });
    await out(sh, "sleep 31");
    expect(await out(sh, "iptables-save -t nat | grep -c '^-A KUBE-SERVICES'")).toBe("5\n");
    expect(await out(sh, "iptables-save -t mangle | grep -c KUBE-PROXY-CANARY")).toBe("1\n");
  });

  it("stopped kube-proxy leaves its rules frozen: a new Service gets none", async () => {
    const { sh } = boot();
    const before = await out(sh, "iptables-save -t nat | grep -v '^#'");
    await out(sh, "kubectl -n kube-system delete daemonset kube-proxy");
    await out(sh, "sleep 40");
    expect((await sh.run("kubectl -n kube-system get pods -l k8s-app=kube-proxy")).stderr).toBe("No resources found in kube-system namespace.\n");
    await deployWeb(sh);
    expect(await out(sh, "iptables-save -t nat | grep -v '^#'")).toBe(before);
  });

  it("writes nothing before its pod first runs: a rebooted node without kube-proxy has only the kubelet's chains", async () => {
    const { sh } = boot();
    await out(sh, "kubectl -n kube-system delete daemonset kube-proxy");
    await out(sh, "sleep 40");
    await sh.run("ssh node01 reboot");
    await out(sh, "sleep 60");
    const nat = await out(sh, "ssh node01 iptables-save -t nat");
    expect(nat).toContain(":KUBE-KUBELET-CANARY - [0:0]");
    expect(nat).not.toContain("KUBE-SERVICES");
    expect(await out(sh, "ssh node01 iptables-save -t filter | grep KUBE-FIREWALL")).toBe(
      ':KUBE-FIREWALL - [0:0]\n-A INPUT -j KUBE-FIREWALL\n-A OUTPUT -j KUBE-FIREWALL\n-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n',
    );
  });
});
