import { describe, expect, it } from "vitest";
import type { Node } from "@/lib/engine/api";
import { saveTables } from "@/lib/engine/net/netfilter";
import { formatIP } from "@/lib/engine/util/ipv4";
import { lab, podOn } from "./helpers";

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

describe("flannel (VXLAN)", () => {
  it("installs its plugin and conflist from the DaemonSet's init containers", async () => {
    const { run } = lab("three-node-flannel");
    expect(await run("ssh node01 ls -l /opt/cni/bin/flannel")).toMatch(/^-rwxr-xr-x 1 root root 0 .* \/opt\/cni\/bin\/flannel\n$/);
    expect(await run("ssh node01 cat /etc/cni/net.d/10-flannel.conflist")).toBe(`{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`);
  });

  it("writes the lease to subnet.env and publishes its VTEP on the Node", async () => {
    const { run, network, internals } = lab("three-node-flannel");
    expect(await run("ssh node01 cat /run/flannel/subnet.env")).toBe("FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    const annotations = internals.store.find<Node>("Node", undefined, "node01")!.metadata.annotations!;
    const vtep = network.host("node01")!.link("flannel.1")!;
    expect(annotations["flannel.alpha.coreos.com/backend-data"]).toBe(`{"VNI":1,"VtepMAC":"${vtep.mac}"}`);
    expect(annotations["flannel.alpha.coreos.com/backend-type"]).toBe("vxlan");
    expect(annotations["flannel.alpha.coreos.com/kube-subnet-manager"]).toBe("true");
    expect(annotations["flannel.alpha.coreos.com/public-ip"]).toBe("172.30.1.3");
  });

  it("makes flannel.1 (VNI 1, port 8472, nolearning, MTU 1450) with its subnet's /32", async () => {
    const { network } = lab("three-node-flannel");
    const vtep = network.host("node01")!.link("flannel.1")!;
    expect(vtep.kind).toBe("vxlan");
    expect(vtep.mac).toMatch(MAC);
    expect(vtep.mtu).toBe(1450);
    expect(vtep.up).toBe(true);
    expect(vtep.vxlan).toMatchObject({ vni: 1, port: 8472, dev: "eth0", learning: false, local: 0xac1e0103 });
    expect(vtep.addrs.map((a) => `${formatIP(a.ip)}/${a.prefix}`)).toEqual(["10.244.1.0/32"]);
  });

  it("routes each other node's subnet through flannel.1 onlink, with a permanent neighbour and FDB entry per VTEP", async () => {
    const { run, network } = lab("three-node-flannel");
    // No pod runs on node01 yet (CoreDNS went to the control plane, Ready first): no cni0, no route to its own subnet.
    expect(await run("ssh node01 ip route")).toBe(
      "default via 172.30.1.1 dev eth0 proto dhcp metric 100 \n10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink \n10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink \n172.30.1.0/24 dev eth0 proto kernel scope link src 172.30.1.3 \n",
    );
    const mac = (node: string) => network.host(node)!.link("flannel.1")!.mac;
    expect(await run("ssh node01 ip neigh show dev flannel.1")).toBe(`10.244.0.0 lladdr ${mac("controlplane")} PERMANENT\n10.244.2.0 lladdr ${mac("node02")} PERMANENT\n`);
    expect(await run("ssh node01 bridge fdb show dev flannel.1")).toBe(`${mac("controlplane")} dst 172.30.1.2 self permanent\n${mac("node02")} dst 172.30.1.4 self permanent\n`);
  });

  it("delegates to bridge: cni0 with MTU 1450, the pod's routes to the gateway and the flannel network", async () => {
    const { run, internals } = lab("three-node-flannel");
    await run(podOn("a", "node01"), "sleep 5");
    expect(await run("kubectl exec a -- ip route")).toBe("default via 10.244.1.1 dev eth0 \n10.244.0.0/16 via 10.244.1.1 dev eth0 \n10.244.1.0/24 dev eth0 scope link  src 10.244.1.2 \n");
    const node = internals.network.host("node01")!;
    expect(node.link("cni0")!.mtu).toBe(1450);
    const fs = internals.nodes.get("node01")!.fs;
    const saved = fs.list("/var/lib/cni/flannel").map((f) => fs.readFile(`/var/lib/cni/flannel/${f}`));
    expect(saved).toContain(
      '{"cniVersion":"0.3.1","hairpinMode":true,"ipMasq":false,"ipam":{"ranges":[[{"subnet":"10.244.1.0/24"}]],"routes":[{"dst":"10.244.0.0/16"}],"type":"host-local"},"isDefaultGateway":true,"isGateway":true,"mtu":1450,"name":"cbr0","type":"bridge"}',
    );
  });

  it("keeps its FLANNEL-POSTRTG and FLANNEL-FWD chains", () => {
    const { network } = lab("three-node-flannel");
    const host = network.host("node01")!;
    const nat = saveTables(host.netfilter, { now: 0, table: "nat" })!;
    expect(nat).toContain('-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG\n');
    expect(nat).toContain(
      '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN\n' +
      '-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN\n' +
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN\n' +
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN\n' +
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n' +
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n',
    );
    const filter = saveTables(host.netfilter, { now: 0, table: "filter" })!;
    expect(filter).toContain('-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT\n-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT\n');
  });

  it("withdraws a node's route, neighbour and FDB entry when the node leaves, and puts back a route deleted by hand", async () => {
    const { run } = lab("three-node-flannel");
    await run("ssh node02 poweroff", "kubectl delete node node02", "sleep 1");
    expect(await run("ssh node01 ip route | grep flannel.1")).toBe("10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink \n");
    expect(await run("ssh node01 bridge fdb show dev flannel.1")).toMatch(/^[0-9a-f:]{17} dst 172\.30\.1\.2 self permanent\n$/);
    await run("ssh node01 ip route del 10.244.0.0/24");
    expect(await run("ssh node01 ip route | grep -c flannel.1")).toBe("0\n");
    await run("sleep 10");
    expect(await run("ssh node01 ip route | grep flannel.1")).toBe("10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink \n");
  });

  it("fails pods as the flannel plugin does while flanneld has not written subnet.env", async () => {
    const { run } = lab("three-node-flannel");
    await run("ssh node01 rm /run/flannel/subnet.env", podOn("a", "node01"), "sleep 2");
    expect(await run("kubectl get events --field-selector involvedObject.name=a,reason=FailedCreatePodSandBox -o custom-columns=M:.message --no-headers")).toMatch(
      /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): failed to load flannel 'subnet\.env' file: open \/run\/flannel\/subnet\.env: no such file or directory\. Check the flannel pod log for this node\.\n$/,
    );
  });

  it("comes back after a reboot: new devices, a new lease file, the pods re-wired", async () => {
    const { run, pod } = lab("three-node-flannel");
    await run(podOn("a", "node01"), "sleep 5");
    const before = pod("a").status!.podIP;
    await run("ssh node01 reboot", "sleep 90");
    expect(await run("ssh node01 cat /run/flannel/subnet.env")).toContain("FLANNEL_SUBNET=10.244.1.1/24\n");
    expect(await run("ssh node01 ip route | grep -c flannel.1")).toBe("2\n");
    // The old sandbox's DEL gave its address back; the new sandbox gets the next one.
    expect(pod("a").status!.podIP).not.toBe(before);
    expect(pod("a").status!.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(await run("ssh node01 ls /run/netns | wc -l")).toBe("1\n");
  });
});

describe("flannel (host-gw)", () => {
  it("routes other nodes' subnets straight through eth0, with no VXLAN device and MTU 1500", async () => {
    const { run, network } = lab({ base: "three-node-flannel", cni: { plugin: "flannel", backend: "host-gw" } });
    // No pod on node01 yet: no cni0 (the bridge plugin makes it at the first pod's ADD).
    expect(await run("ssh node01 ip route")).toBe(
      "default via 172.30.1.1 dev eth0 proto dhcp metric 100 \n10.244.0.0/24 via 172.30.1.2 dev eth0 \n10.244.2.0/24 via 172.30.1.4 dev eth0 \n172.30.1.0/24 dev eth0 proto kernel scope link src 172.30.1.3 \n",
    );
    expect(await run("ssh node01 cat /run/flannel/subnet.env")).toContain("FLANNEL_MTU=1500\n");
    expect(await run("kubectl get node node01 -o jsonpath='{.metadata.annotations.flannel\\.alpha\\.coreos\\.com/backend-data}'")).toBe("null");
    expect(network.host("node01")!.link("flannel.1")).toBeUndefined();
  });
});
