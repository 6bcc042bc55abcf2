// CoreDNS's answers per the Kubernetes DNS specification, asked from pods and nodes through the
// real packet path: Service A records, search-path expansion per namespace, headless Services
// (one A per ready endpoint, hostname/subdomain records), SRV for named ports, PTR,
// ExternalName CNAMEs, pod A records, NXDOMAIN vs NODATA, records following scale.
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

type Shell = ReturnType<ReturnType<typeof createCluster>["shell"]>;

const SETUP = `kubectl create ns other; sleep 2
kubectl create deployment web --image=nginx --replicas=2
kubectl expose deployment web --port=80 --name=web
kubectl -n other create deployment web --image=nginx
kubectl -n other expose deployment web --port=80 --name=web
kubectl apply -f - <<Y
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, labels: {app: db}}
spec:
  hostname: db-0
  subdomain: db
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-1, labels: {app: db}}
spec:
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: search}
spec:
  type: ExternalName
  externalName: www.example.com
Y
kubectl run bb --image=busybox:1.36 -- sleep 3600
kubectl -n other run bb --image=busybox:1.36 -- sleep 3600
sleep 20`;

let sh: Shell;
const ip = async (what: string) => (await sh.run(`kubectl get ${what}`)).stdout.trim();

beforeAll(async () => {
  sh = createCluster({ scenario: "three-node-calico", seed: 3 }).shell();
  const r = await sh.run(SETUP);
  expect(r.exitCode).toBe(0);
});

describe("Service records", () => {
  it("answers a Service's A record with its ClusterIP, authoritatively, in dig's layout", async () => {
    const svc = await ip("svc web -o jsonpath={.spec.clusterIP}");
    const r = await sh.run("dig @10.96.0.10 web.default.svc.cluster.local");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ");
    expect(r.stdout).toContain(";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n");
    expect(r.stdout).toContain(";; QUESTION SECTION:\n;web.default.svc.cluster.local.\tIN\tA\n\n");
    expect(r.stdout).toContain(`;; ANSWER SECTION:\nweb.default.svc.cluster.local. 30 IN\tA\t${svc}\n\n`);
    expect(r.stdout).toContain(";; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n");
    // header 12 + question 35 + answer (pointer 2 + 10 + 4) + OPT with the echoed cookie 23
    expect(r.stdout).toContain(";; MSG SIZE  rcvd: 86\n");
  });

  it("expands short names with the pod's own namespace first (search path)", async () => {
    const mine = await ip("svc web -o jsonpath={.spec.clusterIP}");
    const theirs = await ip("-n other svc web -o jsonpath={.spec.clusterIP}");
    expect(mine).not.toBe(theirs);
    expect((await sh.run("kubectl exec bb -- cat /etc/resolv.conf")).stdout).toBe("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
    expect((await sh.run("kubectl exec bb -- nslookup web")).stdout).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${mine}\n`);
    expect((await sh.run("kubectl -n other exec bb -- nslookup web")).stdout).toContain(`Name:\tweb.other.svc.cluster.local\nAddress: ${theirs}\n`);
    // A name with a dot is not searched by BusyBox's nslookup, but curl/wget (the C library) search it.
    expect((await sh.run("kubectl -n other exec bb -- nslookup web.default")).exitCode).toBe(1);
    expect((await sh.run("kubectl -n other exec bb -- wget -qO- -T2 web.default")).stdout).toContain("Welcome to nginx!");
  });

  it("prints BusyBox's reply per query: the answer, NXDOMAIN for the other search domains, No answer for AAAA", async () => {
    const svc = await ip("svc web -o jsonpath={.spec.clusterIP}");
    const r = await sh.run("kubectl exec bb -- nslookup web");
    expect(r.stdout).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
        `Name:\tweb.default.svc.cluster.local\nAddress: ${svc}\n\n` +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n" +
        "*** Can't find web.default.svc.cluster.local: No answer\n\n" +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n",
    );
  });

  it("tells NXDOMAIN from NODATA, each with the zone's SOA in authority", async () => {
    const nx = (await sh.run("dig @10.96.0.10 nope.default.svc.cluster.local")).stdout;
    expect(nx).toContain("status: NXDOMAIN");
    expect(nx).toMatch(/;; AUTHORITY SECTION:\ncluster\.local\.\t\t30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30\n/);
    const nodata = (await sh.run("dig @10.96.0.10 web.default.svc.cluster.local AAAA")).stdout;
    expect(nodata).toContain("status: NOERROR");
    expect(nodata).toContain("ANSWER: 0, AUTHORITY: 1");
    // A namespace that exists is a name with no records; one that does not is NXDOMAIN.
    expect((await sh.run("dig @10.96.0.10 other.svc.cluster.local")).stdout).toContain("status: NOERROR");
    expect((await sh.run("dig @10.96.0.10 nosuchns.svc.cluster.local")).stdout).toContain("status: NXDOMAIN");
  });

  it("answers SRV for a named port, with the target's address as an additional record", async () => {
    const svc = await ip("svc kube-dns -n kube-system -o jsonpath={.spec.clusterIP}");
    const r = (await sh.run("dig @10.96.0.10 _dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local SRV")).stdout;
    expect(r).toContain("_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.\n");
    expect(r).toContain(`;; ADDITIONAL SECTION:\nkube-dns.kube-system.svc.cluster.local. 30 IN A\t${svc}\n`);
    expect((await sh.run("host -t SRV _pg._tcp.db.default.svc.cluster.local 10.96.0.10")).stdout).toContain("has SRV record 0 50 5432 db-0.db.default.svc.cluster.local.");
    expect((await sh.run("dig @10.96.0.10 _nope._tcp.web.default.svc.cluster.local SRV")).stdout).toContain("status: NXDOMAIN");
  });

  it("answers PTR for ClusterIPs and for endpoint addresses", async () => {
    expect((await sh.run("dig @10.96.0.10 -x 10.96.0.10 +short")).stdout).toBe("kube-dns.kube-system.svc.cluster.local.\n");
    const db0 = await ip("pod db-0 -o jsonpath={.status.podIP}");
    expect((await sh.run(`host ${db0} 10.96.0.10`)).stdout).toContain(`${db0.split(".").reverse().join(".")}.in-addr.arpa domain name pointer db-0.db.default.svc.cluster.local.\n`);
  });
});

describe("headless Services, pods and ExternalName", () => {
  it("gives one A per ready endpoint and names each endpoint by hostname or dashed address", async () => {
    const db0 = await ip("pod db-0 -o jsonpath={.status.podIP}");
    const db1 = await ip("pod db-1 -o jsonpath={.status.podIP}");
    const all = (await sh.run("dig @10.96.0.10 db.default.svc.cluster.local +short")).stdout.trim().split("\n").sort();
    expect(all).toEqual([db0, db1].sort());
    expect((await sh.run("dig @10.96.0.10 db-0.db.default.svc.cluster.local +short")).stdout).toBe(`${db0}\n`);
    expect((await sh.run(`dig @10.96.0.10 ${db1.replace(/\./g, "-")}.db.default.svc.cluster.local +short`)).stdout).toBe(`${db1}\n`);
    // The pod's own /etc/hosts has its FQDN (the kubelet writes it for hostname + subdomain).
    expect((await sh.run("kubectl exec db-0 -- cat /etc/hosts")).stdout).toContain(`${db0}\tdb-0.db.default.svc.cluster.local\tdb-0\n`);
  });

  it("answers pod A records a-b-c-d.ns.pod.cluster.local while the namespace exists", async () => {
    expect((await sh.run("dig @10.96.0.10 10-244-9-9.default.pod.cluster.local +short")).stdout).toBe("10.244.9.9\n");
    expect((await sh.run("dig @10.96.0.10 10-244-9-9.nosuchns.pod.cluster.local")).stdout).toContain("status: NXDOMAIN");
  });

  it("answers an ExternalName with a CNAME and the target's address from upstream", async () => {
    const r = (await sh.run("dig @10.96.0.10 search.default.svc.cluster.local")).stdout;
    expect(r).toContain("search.default.svc.cluster.local. 30 IN\tCNAME\twww.example.com.\nwww.example.com.\t3600\tIN\tA\t93.184.215.14\n");
    expect((await sh.run("kubectl exec bb -- nslookup search")).stdout).toContain("search.default.svc.cluster.local\tcanonical name = www.example.com\nName:\twww.example.com\nAddress: 93.184.215.14\n");
  });

  it("forwards names outside the cluster to the node's upstream (8.8.8.8) after the search list", async () => {
    const r = (await sh.run("dig @10.96.0.10 example.com")).stdout;
    expect(r).toContain(";; flags: qr rd ra; QUERY: 1, ANSWER: 1");
    expect(r).toContain("example.com.\t\t30\tIN\tA\t93.184.215.14\n");
    expect((await sh.run("kubectl exec bb -- ping -c1 -W1 example.com")).stdout).toContain("PING example.com (93.184.215.14): 56 data bytes");
    expect((await sh.run("dig @10.96.0.10 no-such-name.example.com")).stdout).toContain("status: NXDOMAIN");
  });
});

describe("records follow the API objects", () => {
  it("adds and removes a headless Service's A records as its pods scale", async () => {
    const own = createCluster({ scenario: "three-node-calico", seed: 3 }).shell();
    await own.run("kubectl create deployment api --image=nginx --replicas=1; kubectl create service clusterip api --clusterip=None --tcp=80:80; sleep 20");
    const count = async () => (await own.run("dig @10.96.0.10 api.default.svc.cluster.local +short")).stdout.trim().split("\n").filter(Boolean).length;
    expect(await count()).toBe(1);
    await own.run("kubectl scale deployment api --replicas=3; sleep 20");
    expect(await count()).toBe(3);
    await own.run("kubectl scale deployment api --replicas=0; sleep 40");
    expect((await own.run("dig @10.96.0.10 api.default.svc.cluster.local")).stdout).toContain("status: NXDOMAIN");
    await own.run("kubectl delete svc api");
    expect((await own.run("dig @10.96.0.10 api.default.svc.cluster.local")).stdout).toContain("status: NXDOMAIN");
  });
});
