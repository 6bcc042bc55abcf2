import { describe, expect, it } from "vitest";
import type { Pod } from "@/lib/engine/api";
import type { Cluster } from "@/lib/engine/cluster/cluster";
import { cniChainName } from "@/lib/engine/net/cni";
import { saveTables } from "@/lib/engine/net/netfilter";
import { formatIP } from "@/lib/engine/util/ipv4";
import { lab, podOn } from "./helpers";

const CONFLIST = `{
  "cniVersion": "1.0.0",
  "name": "bridge",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [
          [{ "subnet": "10.244.0.0/24" }]
        ],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    {
      "type": "portmap",
      "capabilities": { "portMappings": true }
    }
  ]
}
`;

/** The pod's sandbox id (CNI_CONTAINERID), from libcni's result cache on the node, which records the CNI_ARGS it ran with. */
function sandboxOf(cluster: Cluster, node: string, podUid: string): string {
  const fs = cluster.nodes.get(node)!.fs;
  const dir = "/var/lib/cni/results";
  const entries = fs.list(dir).filter((f) => f.endsWith("-eth0")).map((f) => JSON.parse(fs.readFile(`${dir}/${f}`)) as { containerId: string; cniArgs: [string, string][] });
  return entries.find((e) => e.cniArgs.some(([k, v]) => k === "K8S_POD_UID" && v === podUid))!.containerId;
}

describe("bridge + host-local (single-node)", () => {
  it("has the reference plugins and the lab's conflist with the node's pod CIDR", async () => {
    const { run } = lab("single-node");
    expect(await run("ls -1 /opt/cni/bin")).toBe(
      "LICENSE\nREADME.md\nbandwidth\nbridge\ndhcp\ndummy\nfirewall\nhost-device\nhost-local\nipvlan\nloopback\nmacvlan\nportmap\nptp\nsbr\nstatic\ntap\ntuning\nvlan\nvrf\n",
    );
    expect(await run("cat /etc/cni/net.d/10-bridge.conflist")).toBe(CONFLIST);
  });

  it("wires a pod: veth into cni0, the gateway on the bridge, eth0 with the pod's routes, lo up", async () => {
    const { run, pod, podStack, network } = lab("single-node");
    await run(podOn("a", "controlplane"), "sleep 5");
    expect(pod("a").status!.podIP).toBe("10.244.0.4");
    const netns = podStack("a");
    expect(netns.id).toMatch(/^controlplane\/cni-[0-9a-f-]{36}$/);
    const eth0 = netns.link("eth0")!;
    expect(eth0.addrs.map((a) => `${formatIP(a.ip)}/${a.prefix}`)).toEqual(["10.244.0.4/24"]);
    expect(netns.link("lo")!.up).toBe(true);
    const routes = netns.routing.routes.filter((r) => r.table === 254).map((r) => `${formatIP(r.dst.base)}/${r.dst.prefix} ${r.via === undefined ? "" : `via ${formatIP(r.via)} `}${r.proto}`);
    expect(routes.sort()).toEqual(["0.0.0.0/0 via 10.244.0.1 boot", "10.244.0.0/24 kernel"]);
    // The host end: vethXXXXXXXX, a port of cni0 in hairpin mode, the peer eth0 names.
    const peer = network.peerOf(eth0)!;
    expect(peer.stack.id).toBe("controlplane");
    expect(peer.link.name).toMatch(/^veth[0-9a-f]{8}$/);
    const cni0 = peer.stack.link("cni0")!;
    expect(peer.link.master).toBe(cni0.index);
    expect(peer.link.hairpin).toBe(true);
    expect(cni0.addrs.map((a) => `${formatIP(a.ip)}/${a.prefix}`)).toEqual(["10.244.0.1/24"]);
    // The peer is created first inside the pod's namespace, so eth0 takes the next index there.
    expect(eth0.index).toBe(3);
  });

  it("keeps host-local's reservations on disk and moves on after the last reserved address", async () => {
    const { run, pod, internals } = lab("single-node");
    await run(podOn("a", "controlplane"), "sleep 5");
    const sandbox = [...internals.nodes.values()][0].fs;
    expect(await run("ls -1 /var/lib/cni/networks/bridge")).toBe("10.244.0.2\n10.244.0.3\n10.244.0.4\nlast_reserved_ip.0\nlock\n");
    expect(sandbox.readFile("/var/lib/cni/networks/bridge/10.244.0.4")).toMatch(/^[0-9a-f]{64}\r\neth0$/);
    expect(await run("cat /var/lib/cni/networks/bridge/last_reserved_ip.0; echo")).toBe("10.244.0.4\n");
    // DEL frees .4, yet the next pod gets .5: the iterator starts after the last reserved address.
    await run("kubectl delete pod a --grace-period=0 --force", "sleep 2", podOn("b", "controlplane"), "sleep 5");
    expect(await run("ls -1 /var/lib/cni/networks/bridge")).toBe("10.244.0.2\n10.244.0.3\n10.244.0.5\nlast_reserved_ip.0\nlock\n");
    expect(pod("b").status!.podIP).toBe("10.244.0.5");
  });

  it("removes the pod's namespace, veth, reservation and cached result on delete", async () => {
    const { run, podStack, network, internals } = lab("single-node");
    await run(podOn("a", "controlplane"), "sleep 5");
    const netns = podStack("a");
    const hostVeth = network.peerOf(netns.link("eth0")!)!.link.name;
    const before = (await run("ls -1 /var/lib/cni/results")).split("\n").length;
    await run("kubectl delete pod a", "sleep 35");
    expect(network.stack(netns.id)).toBeUndefined();
    expect(network.host("controlplane")!.link(hostVeth)).toBeUndefined();
    expect(await run("ls /var/lib/cni/networks/bridge")).not.toContain("10.244.0.4");
    expect((await run("ls -1 /var/lib/cni/results")).split("\n").length).toBe(before - 2);
    expect(await run(`ls /run/netns`)).not.toContain(netns.name);
    expect(internals.nodes.get("controlplane")!.fs.exists(`/run/netns/${netns.name}`)).toBe(false);
  });

  it("fails the sandbox as containerd reports a plugin missing from /opt/cni/bin", async () => {
    const { run } = lab("single-node");
    await run("rm /opt/cni/bin/bridge", podOn("a", "controlplane"), "sleep 2");
    const events = await run("kubectl get events --field-selector involvedObject.name=a -o custom-columns=R:.reason,M:.message --no-headers");
    expect(events).toMatch(/FailedCreatePodSandBox +Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="bridge" failed \(add\): failed to find plugin "bridge" in path \[\/opt\/cni\/bin\]/);
    expect(await run("journalctl -u containerd | grep RunPodSandbox")).toMatch(
      /level=error msg="RunPodSandbox for &PodSandboxMetadata\{Name:a,Uid:[0-9a-f-]+,Namespace:default,Attempt:0,\} failed, error" error="failed to setup network for sandbox \\"[0-9a-f]{64}\\": plugin type=\\"bridge\\" failed \(add\): failed to find plugin \\"bridge\\" in path \[\/opt\/cni\/bin\]"/,
    );
    expect(await run("kubectl get pod a --no-headers")).toMatch(/^a +0\/1 +ContainerCreating/);
  });

  it("holds pods back with NetworkNotReady once the conflist is gone, and runs them when it is back", async () => {
    const { run, pod } = lab("single-node");
    await run("mv /etc/cni/net.d/10-bridge.conflist /root/", podOn("a", "controlplane"), "sleep 2");
    expect(await run("kubectl get events --field-selector involvedObject.name=a,reason=NetworkNotReady -o custom-columns=M:.message --no-headers")).toBe(
      "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized\n",
    );
    await run("mv /root/10-bridge.conflist /etc/cni/net.d/", "sleep 15");
    expect(pod("a").status!.phase).toBe("Running");
  });

  it("masquerades through a CNI-<hash> chain when the conflist asks for ipMasq, and removes it on delete", async () => {
    const { run, internals } = lab("single-node");
    await run("sed -i 's/\"ipMasq\": false/\"ipMasq\": true/' /etc/cni/net.d/10-bridge.conflist", podOn("a", "controlplane"), "sleep 5");
    const nat = () => saveTables(internals.network.host("controlplane")!.netfilter, { now: 0, table: "nat" })!;
    const id = internals.store.find<Pod>("Pod", "default", "a")!.metadata.uid;
    const sandbox = sandboxOf(internals, "controlplane", id);
    const comment = `-m comment --comment "name: \\"bridge\\" id: \\"${sandbox}\\""`;
    const chain = cniChainName("bridge", sandbox);
    expect(nat()).toContain(`-A POSTROUTING -s 10.244.0.4/32 ${comment} -j ${chain}\n`);
    expect(nat()).toContain(`-A ${chain} -d 10.244.0.0/24 ${comment} -j ACCEPT\n-A ${chain} ! -d 224.0.0.0/4 ${comment} -j MASQUERADE\n`);
    await run("kubectl delete pod a", "sleep 35");
    expect(nat()).not.toContain(chain!);
  });
});

describe("portmap", () => {
  it("turns a hostPort into CNI-HOSTPORT-DNAT → CNI-DN-<hash> rules, reachable on the node, gone with the pod", async () => {
    const { run, internals, sh } = lab("single-node");
    await run(`cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: hp
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
      hostPort: 8080
EOF`, "sleep 5");
    const uid = internals.store.find<Pod>("Pod", "default", "hp")!.metadata.uid;
    const id = sandboxOf(internals, "controlplane", uid);
    const chain = cniChainName("bridge", id, "DN-");
    expect(chain).toMatch(/^CNI-DN-[0-9a-f]{21}$/);
    const nat = saveTables(internals.network.host("controlplane")!.netfilter, { now: 0, table: "nat" })!;
    expect(nat).toContain("-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT\n");
    expect(nat).toContain('-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ\n');
    expect(nat).toContain(
      `-A ${chain} -s 10.244.0.4/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK\n` +
      `-A ${chain} -s 127.0.0.1/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK\n` +
      `-A ${chain} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.244.0.4:80\n`,
    );
    expect(nat).toContain(`-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"bridge\\" id: \\"${id}\\"" -m multiport --dports 8080 -j ${chain}\n`);
    expect((await sh.run("curl -s -o /dev/null -w '%{http_code}' 172.30.1.2:8080")).stdout).toBe("200");
    await run("kubectl delete pod hp", "sleep 35");
    expect(saveTables(internals.network.host("controlplane")!.netfilter, { now: 0, table: "nat" })).not.toContain(chain);
  });
});

describe("three-node-bridge: no overlay, routes by hand", () => {
  it("gives each node a /24 of 10.244.0.0/16 and no route to the others' pods until the learner adds one", async () => {
    const { run, sh } = lab("three-node-bridge");
    await run(podOn("a", "node01"), podOn("b", "node02"), "sleep 10");
    const ipB = (await run("kubectl get pod b -o jsonpath='{.status.podIP}'")).trim();
    expect(ipB).toMatch(/^10\.244\.2\.\d+$/);
    expect(await run("ssh node01 ip route")).toBe(
      "default via 172.30.1.1 dev eth0 proto dhcp metric 100 \n10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 \n172.30.1.0/24 dev eth0 proto kernel scope link src 172.30.1.3 \n",
    );
    expect((await sh.run(`kubectl exec a -- ping -c 1 -W 1 ${ipB}`)).exitCode).toBe(1);
    await run("ssh node01 ip route add 10.244.2.0/24 via 172.30.1.4", "ssh node02 ip route add 10.244.1.0/24 via 172.30.1.3");
    expect((await sh.run(`kubectl exec a -- ping -c 1 -W 1 ${ipB}`)).exitCode).toBe(0);
  });

  it("masquerades only what leaves the pod network", async () => {
    const { internals } = lab("three-node-bridge");
    const nat = saveTables(internals.network.host("node01")!.netfilter, { now: 0, table: "nat" })!;
    expect(nat).toContain('-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -m comment --comment "pod network masquerade" -j MASQUERADE\n');
  });
});
