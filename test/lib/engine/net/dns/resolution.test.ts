// Name resolution as programs do it: the kubelet's resolv.conf per dnsPolicy, glibc's and musl's
// search-list walks, the Corefile as an editable ConfigMap (reload, log, rewrite, hosts, cache,
// a broken Corefile refused), and resolution breaking where the packets stop: a default-deny
// egress NetworkPolicy, a deleted kube-proxy rule, no CoreDNS pod left.
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { parseCorefile, query, readResolvConf, searchList, wireSize } from "@/lib/engine/net/dns";

type Shell = ReturnType<ReturnType<typeof createCluster>["shell"]>;

const fresh = () => createCluster({ scenario: "three-node-calico", seed: 5 }).shell();

async function withClient(): Promise<Shell> {
  const sh = fresh();
  await sh.run("kubectl create deployment web --image=nginx; kubectl expose deployment web --port=80; kubectl run bb --image=busybox:1.36 -- sleep 3600; sleep 20");
  return sh;
}

/** Replaces the Corefile with the default one edited by `edit` (sed expressions), and lets CoreDNS's reload pick it up. */
async function editCorefile(sh: Shell, sed: string): Promise<void> {
  const r = await sh.run(`kubectl -n kube-system get cm coredns -o jsonpath='{.data.Corefile}' > /tmp/Corefile; sed -i ${sed} /tmp/Corefile; kubectl -n kube-system create cm coredns --from-file=Corefile=/tmp/Corefile --dry-run=client -o yaml | kubectl replace -f -; sleep 35`);
  expect(r.exitCode).toBe(0);
}

describe("search lists (unit)", () => {
  const conf = { nameservers: ["10.96.0.10"], search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5, timeout: 5, attempts: 2 };
  it("glibc tries a name with ndots dots as is first, then the search domains; fewer dots: searched first", () => {
    expect(searchList("web", conf, "glibc")).toEqual(["web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local.", "web."]);
    expect(searchList("a.b.c.d.e.f", conf, "glibc")[0]).toBe("a.b.c.d.e.f.");
    expect(searchList("a.b.c.d.e.f", conf, "glibc")).toHaveLength(4);
    expect(searchList("example.com.", conf, "glibc")).toEqual(["example.com."]);
  });
  it("musl never searches a name with ndots dots", () => {
    expect(searchList("a.b.c.d.e.f", conf, "musl")).toEqual(["a.b.c.d.e.f."]);
    expect(searchList("web", conf, "musl")).toEqual(searchList("web", conf, "glibc"));
  });
  it("sizes messages as the wire does (name compression, EDNS with a cookie)", () => {
    expect(wireSize(query(1, "web.default.svc.cluster.local", "A"))).toBe(12 + 31 + 4);
    expect(wireSize(query(1, "web.default.svc.cluster.local", "A", { edns: true }))).toBe(12 + 31 + 4 + 23);
  });
  it("parses the Corefile as CoreDNS does and refuses unknown directives with its message", () => {
    const bad = parseCorefile(".:53 {\n    errors\n    bogus\n}\n");
    expect(bad).toEqual({ error: "Corefile:3 - Error during parsing: Unknown directive 'bogus'" });
    const good = parseCorefile(".:53 {\n  kubernetes cluster.local in-addr.arpa {\n    pods insecure\n    fallthrough in-addr.arpa\n    ttl 30\n  }\n  forward . /etc/resolv.conf\n  cache 30\n}\n");
    expect("error" in good).toBe(false);
    if (!("error" in good)) expect(good.blocks[0].kubernetes).toEqual({ zones: ["cluster.local.", "in-addr.arpa."], pods: "insecure", fallthrough: ["in-addr.arpa."], ttl: 30 });
  });
});

describe("the kubelet's resolv.conf", () => {
  let sh: Shell;
  beforeAll(async () => {
    sh = fresh();
    await sh.run(`kubectl apply -f - <<Y
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: kube-system}
spec:
  dnsPolicy: Default
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: custom}
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: [1.1.1.1]
    searches: [corp.example]
    options: [{name: ndots, value: "2"}, {name: edns0}]
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: merged}
spec:
  dnsConfig:
    searches: [corp.example]
    options: [{name: ndots, value: "1"}]
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
Y
sleep 15`);
  });

  it("writes ClusterFirst's search list per namespace, Default's node resolver, None's dnsConfig, and merges dnsConfig", async () => {
    expect((await sh.run("kubectl -n kube-system exec plain -- cat /etc/resolv.conf")).stdout).toBe("nameserver 8.8.8.8\nnameserver 1.1.1.1\n");
    expect((await sh.run("kubectl exec custom -- cat /etc/resolv.conf")).stdout).toBe("search corp.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n");
    expect((await sh.run("kubectl exec merged -- cat /etc/resolv.conf")).stdout).toBe("search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:1\n");
  });

  it("a pod with dnsPolicy Default cannot resolve cluster names, but does resolve the internet's", async () => {
    expect((await sh.run("kubectl -n kube-system exec plain -- nslookup kube-dns.kube-system.svc.cluster.local")).stdout).toContain("** server can't find kube-dns.kube-system.svc.cluster.local: NXDOMAIN");
    expect((await sh.run("kubectl -n kube-system exec plain -- nslookup example.com")).stdout).toContain("Name:\texample.com\nAddress: 93.184.215.14\n");
  });

  it("reads resolv.conf as the C library does", () => {
    const text = "# comment\nsearch a.example b.example\nnameserver 10.0.0.1\noptions ndots:3 timeout:1 attempts:4\n";
    const fs = { isFile: () => true, readFile: () => text } as unknown as Parameters<typeof readResolvConf>[0];
    expect(readResolvConf(fs)).toEqual({ nameservers: ["10.0.0.1"], search: ["a.example", "b.example"], ndots: 3, timeout: 1, attempts: 4 });
  });
});

describe("a node's own resolver: systemd-resolved on 127.0.0.53", () => {
  it("relays to the node's upstreams, which know the internet's names and not the cluster's", async () => {
    const sh = fresh();
    expect((await sh.run("ss -lunp")).stdout).toContain('127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=514,fd=13))');
    expect((await sh.run("nslookup example.com")).stdout).toBe("Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\nName:\texample.com\nAddress: 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n\n");
    expect(await sh.run("nslookup kubernetes.default.svc.cluster.local")).toMatchObject({ exitCode: 1 });
    expect((await sh.run("nslookup kubernetes.default.svc.cluster.local")).stdout).toContain("** server can't find kubernetes.default.svc.cluster.local: NXDOMAIN");
    // The stub's queries leave the node for real: with its upstreams dropped, it answers SERVFAIL.
    await sh.run("iptables -I OUTPUT -p udp --dport 53 -d 8.8.8.8 -j DROP; iptables -I OUTPUT -p udp --dport 53 -d 1.1.1.1 -j DROP");
    expect((await sh.run("dig example.com | grep status")).stdout).toContain("status: SERVFAIL");
  });
});

describe("glibc and musl walk the search list differently", () => {
  it("with ndots:1, glibc (Debian's curl) finds web.default by searching; musl (Alpine's wget) asks only web.default.", async () => {
    const sh = fresh();
    await sh.run(`kubectl create deployment web --image=nginx; kubectl expose deployment web --port=80
kubectl apply -f - <<Y
apiVersion: v1
kind: Pod
metadata: {name: deb}
spec:
  dnsConfig: {options: [{name: ndots, value: "1"}]}
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: alp}
spec:
  dnsConfig: {options: [{name: ndots, value: "1"}]}
  containers: [{name: c, image: alpine:3.21, command: [sleep, "3600"]}]
Y
sleep 20`);
    expect((await sh.run("kubectl exec deb -- curl -s -m 2 web.default")).stdout).toContain("Welcome to nginx!");
    const musl = await sh.run("kubectl exec alp -- wget -qO- -T 2 web.default");
    expect(musl.exitCode).not.toBe(0);
    expect(musl.stderr).toContain("bad address 'web.default'");
    expect((await sh.run("kubectl exec alp -- wget -qO- -T 2 web")).stdout).toContain("Welcome to nginx!");
  });
});

describe("the Corefile is a ConfigMap", () => {
  it("logs queries in CoreDNS's format once `log` is added and the reload plugin has picked it up", async () => {
    const sh = await withClient();
    await editCorefile(sh, "'s/^    errors$/    errors\\n    log/'");
    await sh.run("kubectl exec bb -- nslookup web.default.svc.cluster.local");
    const logs = (await sh.run("kubectl -n kube-system logs -l k8s-app=kube-dns --tail=-1")).stdout;
    expect(logs).toContain("[INFO] Reloading\n[INFO] plugin/health: Going into lameduck mode for 5s\n[INFO] plugin/reload: Running configuration SHA512 = ");
    expect(logs).toContain("[INFO] Reloading complete\n");
    expect(logs).toMatch(/\[INFO\] 192\.168\.\d+\.\d+:\d+ - \d+ "A IN web\.default\.svc\.cluster\.local\. udp 47 false 512" NOERROR qr,aa,rd 63 0\.\d+s\n/);
    expect(logs).toMatch(/"AAAA IN web\.default\.svc\.cluster\.local\. udp 47 false 512" NOERROR qr,aa,rd 101 /);
  });

  it("answers from rewrite and hosts entries, and keeps the old Corefile when the new one is broken", async () => {
    const sh = await withClient();
    await editCorefile(sh, "'s/^    errors$/    errors\\n    rewrite name exact db.internal web.default.svc.cluster.local\\n    hosts {\\n       10.0.0.42 legacy.corp\\n       fallthrough\\n    }/'");
    const svc = (await sh.run("kubectl get svc web -o jsonpath={.spec.clusterIP}")).stdout;
    expect((await sh.run("kubectl exec bb -- nslookup db.internal")).stdout).toContain(`Name:\tdb.internal\nAddress: ${svc}\n`);
    expect((await sh.run("kubectl exec bb -- nslookup legacy.corp")).stdout).toContain("Name:\tlegacy.corp\nAddress: 10.0.0.42\n");
    await editCorefile(sh, "'s/^    errors$/    errors\\n    bogus/'");
    expect((await sh.run("kubectl exec bb -- nslookup legacy.corp")).stdout).toContain("Address: 10.0.0.42\n");
    expect((await sh.run("kubectl -n kube-system logs -l k8s-app=kube-dns --tail=-1")).stdout).toContain("[ERROR] Restart failed: Corefile:3 - Error during parsing: Unknown directive 'bogus'\n");
  });

  it("serves forwarded answers from its cache with TTLs counting down", async () => {
    const sh = await withClient();
    const ttl = async () => Number(/example\.com\.\t+(\d+)\tIN\tA/.exec((await sh.run("dig @10.96.0.10 example.com")).stdout)?.[1]);
    // Every query first reaches one of two CoreDNS pods (kube-proxy's random choice): ask until both are warm.
    const first = await ttl();
    expect(first).toBe(30);
    await sh.run("sleep 10");
    const later = [await ttl(), await ttl(), await ttl(), await ttl()];
    expect(later.some((t) => t === 20)).toBe(true);
  });
});

describe("resolution breaks where the packets stop", () => {
  it("a default-deny egress policy breaks DNS, and allowing UDP/TCP 53 to kube-dns mends it", async () => {
    const sh = await withClient();
    await sh.run(`kubectl apply -f - <<Y
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress}
spec:
  podSelector: {}
  policyTypes: [Egress]
Y`);
    const blocked = await sh.run("kubectl exec bb -- nslookup web");
    expect(blocked.stderr).toBe(";; connection timed out; no servers could be reached\ncommand terminated with exit code 1\n");
    expect(blocked.exitCode).toBe(1);
    await sh.run(`kubectl apply -f - <<Y
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
Y
sleep 5`);
    expect((await sh.run("kubectl exec bb -- nslookup web")).stdout).toContain("Name:\tweb.default.svc.cluster.local\n");
  });

  it("a deleted kube-proxy rule for 10.96.0.10 leaves queries unanswered on that node", async () => {
    const sh = await withClient();
    const node = (await sh.run("kubectl get pod bb -o jsonpath={.spec.nodeName}")).stdout;
    await sh.run(`ssh ${node}`);
    const rule = (await sh.run("iptables-save -t nat | grep -- '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp'")).stdout.trim();
    expect(rule).toContain("kube-system/kube-dns:dns cluster IP");
    expect((await sh.run(`dig @10.96.0.10 web.default.svc.cluster.local +short`)).exitCode).toBe(0);
    await sh.run(`iptables -t nat ${rule.replace(/^-A/, "-D")}`);
    const r = await sh.run("dig @10.96.0.10 web.default.svc.cluster.local");
    expect(r.exitCode).toBe(9);
    expect(r.stdout).toBe(";; communications error to 10.96.0.10#53: host unreachable\n".repeat(3) + "\n; <<>> DiG 9.18.30-0ubuntu0.22.04.2-Ubuntu <<>> @10.96.0.10 web.default.svc.cluster.local\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n\n");
  });

  it("with CoreDNS scaled to zero, nothing answers", async () => {
    const sh = await withClient();
    await sh.run("kubectl -n kube-system scale deployment coredns --replicas=0; sleep 40");
    const r = await sh.run("kubectl exec bb -- wget -qO- -T 2 web");
    expect(r.stderr).toBe("wget: bad address 'web'\ncommand terminated with exit code 1\n");
  });
});
