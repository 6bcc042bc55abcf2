import { describe, expect, it } from "vitest";
import type { Node } from "@/lib/engine/api";
import { caliVethName } from "@/lib/engine/net/cni";
import { saveTables } from "@/lib/engine/net/netfilter";
import { formatIP } from "@/lib/engine/util/ipv4";
import { lab, podOn } from "./helpers";

const ipipRoutes = (self: string) => (
  "default via 172.30.1.1 dev eth0 proto dhcp metric 100 \n" +
  `172.30.1.0/24 dev eth0 proto kernel scope link src ${self} \n`
);

describe("Calico (IPIP, BGP full mesh)", () => {
  it("installs its binaries, kubeconfig and conflist from the install-cni init container", async () => {
    const { run } = lab("three-node-calico");
    expect(await run("ssh node01 ls -1 /etc/cni/net.d")).toBe("10-calico.conflist\ncalico-kubeconfig\n");
    expect(await run("ssh node01 ls -1 /opt/cni/bin | grep -E '^(calico|calico-ipam|install|flannel)$'")).toBe("calico\ncalico-ipam\nflannel\ninstall\n");
    const conflist = await run("ssh node01 cat /etc/cni/net.d/10-calico.conflist");
    expect(conflist).toContain('"nodename": "node01",\n      "mtu": 0,');
    expect(conflist).toContain('"kubeconfig": "/etc/cni/net.d/calico-kubeconfig"');
    expect(await run("ssh node01 cat /etc/cni/net.d/calico-kubeconfig")).toMatch(/^# Kubeconfig file for Calico CNI plugin\. Installed by calico\/node\.\n.*    server: https:\/\/10\.96\.0\.1:443\n/s);
    expect(await run("kubectl -n kube-system logs ds/calico-node -c install-cni | tail -2")).toMatch(
      /\[INFO\]\[1\] cni-installer\/<nil> <nil>: Calico CNI config installed in \/host\/etc\/cni\/net\.d\/10-calico\.conflist\n.*\[INFO\]\[1\] cni-installer\/<nil> <nil>: Done configuring CNI\.  Sleep= false\n$/,
    );
  });

  it("claims a /26 per node, gives tunl0 its first address and the pods the next ones", async () => {
    const { run, network, internals, pod } = lab("three-node-calico");
    await run(podOn("a", "node02"), podOn("b", "node02"), "sleep 5");
    const tunl0 = network.host("node02")!.link("tunl0")!;
    const tunnel = tunl0.addrs[0];
    expect(tunnel.prefix).toBe(32);
    expect(tunnel.ip % 64).toBe(0);
    expect(tunl0.mtu).toBe(1480);
    expect(internals.store.find<Node>("Node", undefined, "node02")!.metadata.annotations!["projectcalico.org/IPv4IPIPTunnelAddr"]).toBe(formatIP(tunnel.ip));
    // Addresses go out in order after what the block already holds (coredns, calico-kube-controllers).
    const held = internals.network.calico!.ipam.blockOf(tunnel.ip)!;
    const a = pod("a").status!.podIP!;
    const b = pod("b").status!.podIP!;
    expect([a, b]).toEqual([formatIP(tunnel.ip + held.allocations.filter((x) => x !== undefined).length - 2), formatIP(tunnel.ip + held.allocations.filter((x) => x !== undefined).length - 1)]);
  });

  it("wires a pod with a cali veth, a /32 and the 169.254.1.1 gateway, and a host route to it", async () => {
    const { run, network, pod, podStack } = lab("three-node-calico");
    await run(podOn("a", "node01"), "sleep 5");
    const ip = pod("a").status!.podIP!;
    const netns = podStack("a");
    const eth0 = netns.link("eth0")!;
    expect(eth0.addrs.map((x) => `${formatIP(x.ip)}/${x.prefix}`)).toEqual([`${ip}/32`]);
    expect(eth0.mtu).toBe(1480);
    // The ipip module is loaded, so the namespace was born with a fallback tunl0 (down) at index 2.
    expect([netns.link("tunl0")!.index, netns.link("tunl0")!.up, eth0.index]).toEqual([2, false, 4]);
    expect(await run("kubectl exec a -- ip route")).toBe("default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n");
    const host = network.peerOf(eth0)!.link;
    expect(host.name).toBe(caliVethName("default", "a"));
    expect(host.name).toBe("caliacd53aa4120");
    expect(host.mac).toBe("ee:ee:ee:ee:ee:ee");
    expect(host.proxyArp).toBe(true);
    expect(host.addrs).toEqual([]);
    expect(await run(`ssh node01 ip route | grep ${host.name}`)).toBe(`${ip} dev ${host.name} scope link \n`);
    expect(await run("kubectl get pod a -o jsonpath='{.metadata.annotations.cni\\.projectcalico\\.org/podIP}'")).toBe(`${ip}/32`);
  });

  it("installs BIRD's routes: other nodes' blocks via tunl0 onlink, a blackhole for its own", async () => {
    const { run } = lab("three-node-calico");
    // The control plane, Ready first, runs CoreDNS and calico-kube-controllers: a /32 route to each pod's cali veth.
    expect(await run("ip route")).toBe(
      ipipRoutes("172.30.1.2") +
      "192.168.113.128/26 via 172.30.1.4 dev tunl0 proto bird onlink \n" +
      "192.168.145.64/26 via 172.30.1.3 dev tunl0 proto bird onlink \n" +
      "blackhole 192.168.151.0/26 proto bird \n" +
      "192.168.151.1 dev cali0a8d639b784 scope link \n" +
      "192.168.151.2 dev cali986104c71c3 scope link \n" +
      "192.168.151.3 dev calif7a5426fcf6 scope link \n",
    );
  });

  it("resyncs every 10 s writing only what changed: routes in place stay, a deleted one comes back", async () => {
    const { run, network, internals } = lab("three-node-calico");
    const host = network.host("node01")!;
    const bird = () => host.routing.routes.filter((r) => r.proto === "bird");
    const before = bird();
    await run("sleep 30");
    // The same route objects: the pass found them in place and wrote nothing.
    expect(bird().every((r, i) => r === before[i])).toBe(true);
    const victim = before.find((r) => r.type === "unicast")!;
    host.routing.routes = host.routing.routes.filter((r) => r !== victim);
    internals.advance(10_000);
    expect(bird().map((r) => [r.type, r.dst])).toEqual(before.map((r) => [r.type, r.dst]));
  });

  it("writes the pod MTU when Felix starts, not on every resync (a learner's edit stays until a restart)", async () => {
    const { run } = lab("three-node-calico");
    expect(await run("ssh node01 cat /var/lib/calico/mtu")).toBe("1480");
    await run("ssh node01 'echo 9000 > /var/lib/calico/mtu'", "sleep 30");
    expect(await run("ssh node01 cat /var/lib/calico/mtu")).toBe("9000\n");
    await run("kubectl -n kube-system delete pod -l k8s-app=calico-node --field-selector spec.nodeName=node01", "sleep 60");
    expect(await run("ssh node01 cat /var/lib/calico/mtu")).toBe("1480");
  });

  it("keeps Felix's NAT chains: outgoing NAT for the natOutgoing pool, hooked first in POSTROUTING", () => {
    const { network } = lab("three-node-calico");
    const host = network.host("node01")!;
    const nat = saveTables(host.netfilter, { now: 0, table: "nat" })!;
    expect(nat).toMatch(/\n-A POSTROUTING -m comment --comment "cali:O3lYWMrLQYEMJtB5" -j cali-POSTROUTING\n/);
    expect(host.netfilter.nat.chains.get("POSTROUTING")!.rules[0].spec.args.join(" ")).toBe("-m comment --comment cali:O3lYWMrLQYEMJtB5 -j cali-POSTROUTING");
    expect(nat).toContain(
      '-A cali-nat-outgoing -m comment --comment "cali:flqWnvo8yq4ULQLa" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully\n',
    );
    expect([...host.ipsets.get("cali40masq-ipam-pools")!.entries.keys()]).toEqual(["192.168.0.0/16"]);
  });

  it("answers calicoctl get, node status and ipam show as calicoctl prints them", async () => {
    const { run } = lab("three-node-calico");
    expect(await run("calicoctl get ippool -o wide")).toBe(
      "NAME                  CIDR             NAT    IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   \n" +
      "default-ipv4-ippool   192.168.0.0/16   true   Always     Never       false      false              all()      \n",
    );
    expect(await run("calicoctl get nodes -o wide")).toBe(
      "NAME           ASN       IPV4            IPV6   \n" +
      "controlplane   (64512)   172.30.1.2/24          \n" +
      "node01         (64512)   172.30.1.3/24          \n" +
      "node02         (64512)   172.30.1.4/24          \n",
    );
    expect(await run("calicoctl get wep -n kube-system")).toMatch(
      /^WORKLOAD +NODE +NETWORKS +INTERFACE +\ncalico-kube-controllers-7fbcdd998c-[a-z0-9]{5} +controlplane +192\.168\.151\.\d\/32 +cali[0-9a-f]{11} +\n(coredns-76fb8c86c9-[a-z0-9]{5} +controlplane +192\.168\.151\.\d\/32 +cali[0-9a-f]{11} +\n){2}$/,
    );
    expect(await run("calicoctl node status")).toBe(`Calico process is running.

IPv4 BGP status
+--------------+-------------------+-------+----------+-------------+
| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |
+--------------+-------------------+-------+----------+-------------+
| 172.30.1.3   | node-to-node mesh | up    | 08:52:41 | Established |
| 172.30.1.4   | node-to-node mesh | up    | 08:52:41 | Established |
+--------------+-------------------+-------+----------+-------------+

IPv6 BGP status
No IPv6 peers found.

`);
    expect(await run("calicoctl ipam show --show-blocks")).toBe(`+----------+--------------------+-----------+------------+--------------+
| GROUPING |        CIDR        | IPS TOTAL | IPS IN USE |   IPS FREE   |
+----------+--------------------+-----------+------------+--------------+
| IP Pool  | 192.168.0.0/16     |     65536 | 6 (0%)     | 65530 (100%) |
| Block    | 192.168.113.128/26 |        64 | 1 (2%)     | 63 (98%)     |
| Block    | 192.168.145.64/26  |        64 | 1 (2%)     | 63 (98%)     |
| Block    | 192.168.151.0/26   |        64 | 4 (6%)     | 60 (94%)     |
+----------+--------------------+-----------+------------+--------------+
`);
    expect(await run("calicoctl ipam show --ip=192.168.151.0")).toBe("IP 192.168.151.0 is in use\nAttributes:\n  node: controlplane\n  type: ipipTunnelAddress\n");
    expect(await run("calicoctl get bgppeers")).toBe("Failed to get resources: resource type 'bgppeers' is not supported\n");
  });

  it("drops a dead peer's session at once and withdraws its routes when graceful restart ends", async () => {
    const { run } = lab("three-node-calico");
    await run("ssh node02 poweroff", "sleep 1");
    expect(await run("calicoctl node status | grep 172.30.1.4")).toBe("| 172.30.1.4   | node-to-node mesh | start | 09:00:30 | Connect     |\n");
    await run("sleep 100");
    expect(await run("ip route | grep -c 192.168.113.128/26")).toBe("1\n");
    await run("sleep 20");
    expect(await run("ip route | grep -c 192.168.113.128/26")).toBe("0\n");
  });

  it("says calico-node is not running where it is not, and logs every ADD to cni.log", async () => {
    const { run } = lab("three-node-calico");
    // No pod has landed on node02 yet: the plugin never ran there, so it has no log.
    expect(await run("ssh node02 ls /var/log/calico/cni")).toBe("");
    await run(podOn("a", "node02"), podOn("b", "node02"), "sleep 5");
    expect(await run(`ssh node02 "grep -c 'Calico CNI using IPs' /var/log/calico/cni/cni.log"`)).toBe("2\n");
    await run("kubectl -n kube-system delete ds calico-node", "sleep 5");
    const status = await run("calicoctl node status; echo $?");
    expect(status).toBe("Calico process is not running.\n1\n");
  });

  it("fails a pod as the plugin does when calico-node never ran on the node", async () => {
    const { run } = lab("three-node-calico");
    await run("ssh node01 rm /var/lib/calico/nodename", podOn("a", "node01"), "sleep 2");
    expect(await run("kubectl get events --field-selector involvedObject.name=a,reason=FailedCreatePodSandBox -o custom-columns=M:.message --no-headers")).toMatch(
      /plugin type="calico" failed \(add\): stat \/var\/lib\/calico\/nodename: no such file or directory: check that the calico\/node container is running and has mounted \/var\/lib\/calico\/\n$/,
    );
  });
});

describe("Calico's other modes", () => {
  it("VXLAN: vxlan.calico (VNI 4096, port 4789) and Felix's routes, neighbours and FDB, no BGP", async () => {
    const { run, network } = lab({ base: "three-node-calico", cni: { plugin: "calico", backend: "vxlan" } });
    const dev = network.host("node01")!.link("vxlan.calico")!;
    expect(dev.vxlan).toMatchObject({ vni: 4096, port: 4789, learning: false, dev: "eth0" });
    expect(dev.mtu).toBe(1450);
    const vtep = (node: string) => network.host(node)!.link("vxlan.calico")!;
    const addr = (node: string) => formatIP(vtep(node).addrs[0].ip);
    expect(await run("ssh node01 ip route | grep vxlan.calico")).toBe(
      `192.168.113.128/26 via ${addr("node02")} dev vxlan.calico proto 80 onlink \n192.168.151.0/26 via ${addr("controlplane")} dev vxlan.calico proto 80 onlink \n`,
    );
    expect(await run("ssh node01 bridge fdb show dev vxlan.calico")).toBe(`${vtep("controlplane").mac} dst 172.30.1.2 self permanent\n${vtep("node02").mac} dst 172.30.1.4 self permanent\n`);
    expect(await run("ssh node01 ip route | grep blackhole")).toBe("blackhole 192.168.145.64/26 proto 80 \n");
    expect(await run("calicoctl node status")).toBe("Calico process is running.\n\nNone of the BGP backend processes (BIRD or GoBGP) are running.\n\n");
  });

  it("IPIP CrossSubnet: peers on the node's own subnet are routed through eth0, not tunl0", async () => {
    const { run } = lab({ base: "three-node-calico", cni: { plugin: "calico", backend: "ipip-cross-subnet" } });
    expect(await run("ssh node01 ip route | grep 'proto bird'")).toBe("192.168.113.128/26 via 172.30.1.4 dev eth0 proto bird \nblackhole 192.168.145.64/26 proto bird \n192.168.151.0/26 via 172.30.1.2 dev eth0 proto bird \n");
    expect(await run("calicoctl get ippool -o wide | awk '{print $4}'")).toBe("IPIPMODE\nCrossSubnet\n");
  });

  it("no encapsulation: BIRD routes straight through eth0, no tunnel address taken", async () => {
    const { run, network } = lab({ base: "three-node-calico", cni: { plugin: "calico", backend: "none" } });
    // No tunnel address to take: a node claims its block with its first pod (node01's first pod is this one).
    expect(await run("ssh node01 ip route | grep 'proto bird'")).toBe("192.168.151.0/26 via 172.30.1.2 dev eth0 proto bird \n");
    await run(podOn("a", "node01"), "sleep 15");
    expect(await run("ssh node01 ip route | grep 'proto bird'")).toBe("blackhole 192.168.145.64/26 proto bird \n192.168.151.0/26 via 172.30.1.2 dev eth0 proto bird \n");
    expect(network.host("node01")!.link("tunl0")).toBeUndefined();
    expect(await run("kubectl get pods -o wide | grep -c '192\\.168\\.145\\.64 '")).toBe("1\n");
  });

  it("WireGuard: wireguard.cali (MTU 1440) with a peer per node and the fwmark rule to table 1", async () => {
    const { run, network } = lab({ base: "three-node-calico", cni: { plugin: "calico", backend: "ipip", wireguard: true } });
    const wg = network.host("node01")!.link("wireguard.cali")!;
    expect(wg.mtu).toBe(1440);
    expect(wg.wireguard!.listenPort).toBe(51820);
    expect(wg.wireguard!.peers.map((p) => `${formatIP(p.endpoint!.ip)} ${p.allowedIps.map((c) => `${formatIP(c.base)}/${c.prefix}`).join(",")}`).sort()).toEqual([
      `172.30.1.2 192.168.151.0/26,${formatIP(network.host("controlplane")!.link("wireguard.cali")!.addrs[0].ip)}/32`,
      `172.30.1.4 192.168.113.128/26,${formatIP(network.host("node02")!.link("wireguard.cali")!.addrs[0].ip)}/32`,
    ]);
    expect(await run("ssh node01 ip rule")).toBe("0:\tfrom all lookup local\n99:\tnot from all fwmark 0x100000/0x100000 lookup 1\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n");
    expect(await run("ssh node01 ip route show table 1")).toBe("192.168.113.128/26 dev wireguard.cali proto 80 scope link \n192.168.151.0/26 dev wireguard.cali proto 80 scope link \n");
  });
});
