import { describe, expect, it } from "vitest";
import { lab } from "./helpers";

/** Lesson 1's hand-built network: two namespaces joined by a veth pair, then by a bridge. */
async function redAndBlue() {
  const l = lab();
  for (const line of [
    "ip netns add red",
    "ip netns add blue",
    "ip link add veth-red type veth peer name veth-blue",
    "ip link set veth-red netns red",
    "ip link set veth-blue netns blue",
    "ip -n red addr add 10.200.0.1/24 dev veth-red",
    "ip -n blue addr add 10.200.0.2/24 dev veth-blue",
  ]) {
    expect(await l.sh.run(line)).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
  }
  return l;
}

describe("ip netns: namespaces built by hand", () => {
  it("adds named namespaces that hold only a loopback, down, and no routes", async () => {
    const { run, sh } = lab();
    await sh.run("ip netns add red");
    await sh.run("ip netns add blue");
    expect(await run("ip netns list | grep -v cni-")).toBe("blue\nred\n");
    expect(await run("ls -l /run/netns/red")).toMatch(/^---------- 1 root root 0 .* \/run\/netns\/red\n$/);
    expect(await run("ip netns exec red ip link")).toBe(
      "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n",
    );
    expect(await run("ip netns exec red ip route")).toBe("");
    expect(await run("ip netns exec red ip route get 127.0.0.1")).toBe("RTNETLINK answers: Network is unreachable\n");
    expect(await sh.run("ip netns add red")).toMatchObject({ stderr: 'Cannot create namespace file "/var/run/netns/red": File exists\n', exitCode: 1 });
  });

  it("moves each end of a veth pair into its namespace: the host loses them, addresses and states follow the kernel", async () => {
    const { run, netns, macOf, host, ll } = await redAndBlue();
    const red = netns("red");
    const blue = netns("blue");
    expect(host().link("veth-red")).toBeUndefined();
    expect(await run("ip link show veth-red")).toBe('Device "veth-red" does not exist.\n');
    // Up on one side only: no carrier until the peer is up too.
    await run("ip -n red link set veth-red up");
    const redIndex = red.link("veth-red")!.index;
    const blueIndex = blue.link("veth-blue")!.index;
    expect(await run("ip -n red addr show veth-red")).toBe(
      `${redIndex}: veth-red@if${blueIndex}: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000\n` +
        `    link/ether ${macOf(red, "veth-red")} brd ff:ff:ff:ff:ff:ff link-netns blue\n` +
        "    inet 10.200.0.1/24 scope global veth-red\n       valid_lft forever preferred_lft forever\n",
    );
    expect(await run("ip -n red route")).toBe("10.200.0.0/24 dev veth-red proto kernel scope link src 10.200.0.1 linkdown \n");
    await run("ip -n blue link set veth-blue up");
    await run("ip -n red link set lo up");
    expect(await run("ip netns exec red ip addr")).toBe(
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n" +
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
        "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n" +
        "    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n" +
        `${redIndex}: veth-red@if${blueIndex}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n` +
        `    link/ether ${macOf(red, "veth-red")} brd ff:ff:ff:ff:ff:ff link-netns blue\n` +
        "    inet 10.200.0.1/24 scope global veth-red\n       valid_lft forever preferred_lft forever\n" +
        `    inet6 ${ll(red, "veth-red")}/64 scope link \n       valid_lft forever preferred_lft forever\n`,
    );
    expect(await run("ip netns exec red ip route")).toBe("10.200.0.0/24 dev veth-red proto kernel scope link src 10.200.0.1 \n");
    expect(await run("ip -n red route get 10.200.0.2")).toBe("10.200.0.2 dev veth-red src 10.200.0.1 uid 0 \n    cache \n");
    expect(await run("ip -n red -br a")).toBe(
      `lo               UNKNOWN        127.0.0.1/8 ::1/128 \n${`veth-red@if${blueIndex}`.padEnd(16)} UP             10.200.0.1/24 ${ll(red, "veth-red")}/64 \n`,
    );
  });

  it("gives each namespace an id in the host's eyes once a link names it", async () => {
    const { run, sh } = await redAndBlue();
    const list = await run("ip netns list");
    const ids = [...list.matchAll(/\(id: (\d+)\)/g)].map((m) => Number(m[1]));
    // Every id distinct; red and blue got theirs when their veth ends moved in.
    expect(new Set(ids).size).toBe(ids.length);
    expect(list).toMatch(/^red \(id: \d+\)$/m);
    expect(list).toMatch(/^blue \(id: \d+\)$/m);
    expect(await run("ip netns exec red ip netns identify")).toBe("red\n");
    expect(await run("ip netns identify")).toBe("");
    expect(await sh.run("ip netns identify x1")).toMatchObject({ stderr: "Specified string 'x1' is not a pid\n", exitCode: 1 });
  });

  it("runs programs in a namespace and fails as iproute2 does", async () => {
    const { sh, run } = await redAndBlue();
    expect(await run("ip netns exec red hostname -I")).toBe("10.200.0.1 \n");
    expect(await sh.run("ip netns exec green ip a")).toMatchObject({ stderr: 'Cannot open network namespace "green": No such file or directory\n', exitCode: 255 });
    expect(await sh.run("ip netns exec red")).toMatchObject({ stderr: "No command specified\n", exitCode: 1 });
    expect(await sh.run("ip netns exec red nosuchprogram")).toMatchObject({ stderr: 'exec of "nosuchprogram" failed: No such file or directory\n', exitCode: 1 });
    expect(await sh.run("ip -n green link")).toMatchObject({ stderr: 'Cannot open network namespace "green": No such file or directory\n', exitCode: 255 });
    expect(await sh.run("ip netns exec red ip link set veth-red down; echo $?")).toMatchObject({ stdout: "0\n" });
    // A lone shell stays open in the namespace until exit.
    await sh.run("ip netns exec red bash");
    const peer = (await run("ip -o link show veth-red")).match(/@if(\d+)/)![1];
    expect(await run("ip -br -4 a")).toBe(`${`veth-red@if${peer}`.padEnd(16)} DOWN           10.200.0.1/24 \n`);
    expect(await sh.run("exit")).toMatchObject({ stderr: "exit\n" });
    expect(await run("ip -br -4 a show eth0")).toMatch(/^eth0 +UP +172\.30\.1\.2\/24 \n$/);
  });

  it("carries pings across the pair once both ends and lo are up, and not once one end goes down", async () => {
    const { run, sh } = await redAndBlue();
    expect(await sh.run("ip netns exec red ping -c 1 127.0.0.1")).toMatchObject({ stderr: "ping: connect: Network is unreachable\n", exitCode: 2 });
    for (const line of ["ip -n red link set veth-red up", "ip -n blue link set veth-blue up", "ip -n red link set lo up", "ip -n blue link set lo up"]) await sh.run(line);
    expect(await run("ip netns exec red ping -c 2 10.200.0.2")).toMatch(/\n2 packets transmitted, 2 received, 0% packet loss/);
    expect(await run("ip netns exec red ip neigh")).toMatch(/^10\.200\.0\.2 dev veth-red lladdr [0-9a-f:]{17} REACHABLE\n$/);
    await sh.run("ip -n blue link set veth-blue down");
    expect(await run("ip netns exec red ping -c 1 -W 1 10.200.0.2")).toMatch(/1 packets transmitted, 0 received/);
  });

  it("deletes a namespace with its veth, and the veth's other end with it", async () => {
    const { run, sh, netns, network } = await redAndBlue();
    const blue = netns("blue");
    await sh.run("ip netns del red");
    expect(network.stacksOn("controlplane").some((s) => s.name === "red")).toBe(false);
    expect(blue.link("veth-blue")).toBeUndefined();
    expect(await run("ip netns list | grep -v cni-")).toMatch(/^blue \(id: \d+\)\n$/);
    expect(await sh.run("ip netns del red")).toMatchObject({ stderr: 'Cannot remove namespace file "/var/run/netns/red": No such file or directory\n', exitCode: 1 });
  });

  it("joins namespaces through a bridge in the host, as the CNI bridge plugin does", async () => {
    const { run, sh, host, macOf } = lab();
    for (const line of [
      "ip netns add red",
      "ip netns add blue",
      "ip link add br0 type bridge",
      "ip link set br0 up",
      "ip link add veth-red type veth peer name eth0 netns red",
      "ip link add veth-blue type veth peer name eth0 netns blue",
      "ip link set veth-red master br0",
      "ip link set veth-blue master br0",
      "ip link set veth-red up",
      "ip link set veth-blue up",
      "ip -n red link set eth0 up",
      "ip -n blue link set eth0 up",
      "ip -n red addr add 10.201.0.2/24 dev eth0",
      "ip -n blue addr add 10.201.0.3/24 dev eth0",
      "ip addr add 10.201.0.1/24 dev br0",
      "ip -n red route add default via 10.201.0.1",
    ]) {
      expect(await sh.run(line)).toMatchObject({ stderr: "", exitCode: 0 });
    }
    const br0 = host().link("br0")!;
    // The bridge has carrier through its ports and took the lowest port MAC.
    expect(await run("ip -br link show br0")).toBe(`br0              UP             ${br0.mac} <BROADCAST,MULTICAST,UP,LOWER_UP> \n`);
    expect(br0.mac).toBe([macOf(host(), "veth-red"), macOf(host(), "veth-blue")].sort()[0]);
    expect(await run("ip link show master br0 | grep -c 'master br0 state UP'")).toBe("2\n");
    expect(await run("ip -n red route")).toBe("default via 10.201.0.1 dev eth0 \n10.201.0.0/24 dev eth0 proto kernel scope link src 10.201.0.2 \n");
    expect(await run("bridge link show dev veth-red")).toMatch(/^\d+: veth-red@\S+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n$/);
    expect(await run("brctl show br0")).toBe(`bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.${br0.mac.replace(/:/g, "")}\tno\t\tveth-blue\n\t\t\t\t\t\t\tveth-red\n`);
    // Taking a port away leaves the other; an empty bridge loses its carrier.
    await run("ip link set veth-red nomaster");
    await run("ip link del veth-blue");
    expect(await run("ip link show br0")).toMatch(/^\d+: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n/);
    expect(await run("ip route show dev br0")).toBe("10.201.0.0/24 proto kernel scope link src 10.201.0.1 linkdown \n");
  });

  it("shows a pod built by the CNI the same way: eth0@ifN with link-netnsid 0, the host end with link-netns cni-…", async () => {
    const { run, cluster } = lab();
    await run("kubectl run web --image=nginx:1.27");
    cluster.internals.advance(60_000);
    const pid = (await run("crictl inspectp -o go-template --template '{{.info.pid}}' $(crictl pods --name web -q)")).trim();
    const inside = await run(`nsenter -t ${pid} -n ip -d link show eth0`);
    const m = /^(\d+): eth0@if(\d+): <BROADCAST,MULTICAST,UP,LOWER_UP> mtu \d+ qdisc noqueue state UP mode DEFAULT group default qlen 1000\n    link\/ether (\S+) brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0 minmtu 68 maxmtu 65535 \n    veth addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 \n$/.exec(inside);
    expect(m).not.toBeNull();
    const [, podIndex, hostIndex] = m!;
    const name = (await run(`nsenter -t ${pid} -n ip netns identify ${pid}`)).trim();
    expect(name).toMatch(/^cni-[0-9a-f-]{36}$/);
    const outside = await run(`ip -o link | grep '^${hostIndex}: '`);
    expect(outside).toMatch(new RegExp(`^${hostIndex}: \\S+@if${podIndex}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu \\d+ qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000\\\\    link/ether \\S+ brd ff:ff:ff:ff:ff:ff link-netns ${name}\n$`));
    // ethtool on the pod's eth0 names the host end's index: how one finds a pod's veth.
    expect(await run(`nsenter -t ${pid} -n ethtool -S eth0 | grep peer_ifindex`)).toBe(`     peer_ifindex: ${hostIndex}\n`);
  });
});
