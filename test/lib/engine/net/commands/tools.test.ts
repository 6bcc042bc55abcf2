import { describe, expect, it } from "vitest";
import { lab } from "./helpers";

describe("sysctl and /proc/sys/net", () => {
  it("reads and writes the namespace's keys, and the /proc file agrees both ways", async () => {
    const { run, sh, host } = lab();
    expect(await run("sysctl net.ipv4.ip_forward")).toBe("net.ipv4.ip_forward = 1\n");
    expect(await run("sysctl -n net/ipv4/ip_forward")).toBe("1\n");
    expect(await run("sysctl -w net.ipv4.ip_forward=0")).toBe("net.ipv4.ip_forward = 0\n");
    expect(host().sysctl("net.ipv4.ip_forward")).toBe("0");
    expect(await run("cat /proc/sys/net/ipv4/ip_forward")).toBe("0\n");
    await sh.run("echo 1 > /proc/sys/net/ipv4/ip_forward");
    expect(await run("sysctl net.ipv4.ip_forward net.ipv4.conf.all.forwarding")).toBe("net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.forwarding = 1\n");
    expect(await run("sysctl net.ipv4.ip_local_port_range")).toBe("net.ipv4.ip_local_port_range = 32768\t60999\n");
    expect(await run("sysctl -a | grep 'conf.eth0.forwarding'")).toBe("net.ipv4.conf.eth0.forwarding = 1\n");
  });

  it("fails as procps does", async () => {
    const { sh } = lab();
    expect(await sh.run("sysctl net.ipv4.nope")).toMatchObject({ stderr: "sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n", exitCode: 1 });
    expect(await sh.run("sysctl -w net.ipv4.ip_forward=yes")).toMatchObject({ stderr: 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n', exitCode: 1 });
    expect(await sh.run("sysctl -w net.ipv4.ip_forward")).toMatchObject({ stderr: 'sysctl: "net.ipv4.ip_forward" must be of the form name=value\n', exitCode: 1 });
  });

  it("answers for the namespace it runs in: a fresh one forwards nothing", async () => {
    const { run, sh } = lab();
    await sh.run("ip netns add red");
    expect(await run("ip netns exec red sysctl net.ipv4.ip_forward")).toBe("net.ipv4.ip_forward = 0\n");
    await sh.run("ip netns exec red sysctl -w net.ipv4.ip_forward=1");
    expect(await run("ip netns exec red sysctl -n net.ipv4.ip_forward")).toBe("1\n");
    await sh.run("sysctl -w net.ipv4.ip_forward=0");
    expect(await run("ip netns exec red sysctl -n net.ipv4.ip_forward")).toBe("1\n");
  });

  it("applies a file with -p", async () => {
    const { run, sh } = lab();
    await sh.run("printf 'net.ipv4.ip_forward = 0\\n# comment\\nnet.bridge.bridge-nf-call-iptables=1\\n' > /root/lab.conf");
    expect(await run("sysctl -p /root/lab.conf")).toBe("net.ipv4.ip_forward = 0\nnet.bridge.bridge-nf-call-iptables = 1\n");
  });
});

describe("bridge, brctl and ethtool", () => {
  it("dumps the forwarding database as the kernel does: ports' MACs, the bridge's, multicast groups", async () => {
    const { run, sh, host, ll } = lab();
    for (const line of ["ip link add br0 type bridge", "ip link set br0 up", "ip link add v0 type veth peer name v1", "ip link set v0 master br0", "ip link set v0 up", "ip link set v1 up"]) await sh.run(line);
    const h = host();
    const v0 = h.link("v0")!;
    const solicited = (name: string) => `33:33:ff:${ll(h, name).split(":").slice(-2).map((g) => g.padStart(4, "0")).join("").slice(2).match(/../g)!.join(":")}`;
    expect(await run("bridge fdb show br br0")).toBe(
      "33:33:00:00:00:01 dev br0 self permanent\n01:00:5e:00:00:6a dev br0 self permanent\n33:33:00:00:00:6a dev br0 self permanent\n01:00:5e:00:00:01 dev br0 self permanent\n" +
        `${solicited("br0")} dev br0 self permanent\n${h.link("br0")!.mac} dev br0 vlan 1 master br0 permanent\n${h.link("br0")!.mac} dev br0 master br0 permanent\n` +
        `${v0.mac} dev v0 vlan 1 master br0 permanent\n${v0.mac} dev v0 master br0 permanent\n` +
        `33:33:00:00:00:01 dev v0 self permanent\n01:00:5e:00:00:01 dev v0 self permanent\n${solicited("v0")} dev v0 self permanent\n`,
    );
    expect(await run("bridge fdb show dev v0 | head -1")).toBe(`${v0.mac} vlan 1 master br0 permanent\n`);
    expect(await sh.run("bridge fdb show br nope")).toMatchObject({ stderr: 'Cannot find bridge device "nope"\n', exitCode: 1 });
    expect(await run("brctl showmacs br0")).toBe(`port no\tmac addr\t\tis local?\tageing timer\n  1\t${v0.mac}\tyes\t\t   0.00\n`);
    expect(await run("bridge -V")).toBe("bridge utility, 5.15.0\n");
  });

  it("ethtool tells a veth's peer index and drivers", async () => {
    const { run, sh, host } = lab();
    await sh.run("ip link add v0 type veth peer name v1");
    expect(await run("ethtool -S v0 | head -2")).toBe(`NIC statistics:\n     peer_ifindex: ${host().link("v1")!.index}\n`);
    expect(await run("ethtool -i v0 | head -2")).toBe("driver: veth\nversion: 1.0\n");
    expect(await sh.run("ethtool -S lo")).toMatchObject({ stderr: "no stats available\n", exitCode: 94 });
    expect(await sh.run("ethtool -i lo")).toMatchObject({ stderr: "Cannot get driver information: Operation not supported\n", exitCode: 71 });
    expect(await sh.run("ethtool -S eth9")).toMatchObject({ stderr: "Cannot get stats strings information: No such device\n", exitCode: 71 });
  });
});

describe("unshare", () => {
  it("runs a program in a fresh network namespace that dies with it", async () => {
    const { run, sh, network } = lab();
    const before = [...network.all()].length;
    expect(await run("unshare --net ip -br link")).toBe("lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n");
    expect(await run("unshare -n sh -c 'ip link set lo up; ip -br -4 a'")).toBe("lo               UNKNOWN        127.0.0.1/8 \n");
    expect([...network.all()].length).toBe(before);
    expect(await sh.run("unshare -n nosuch")).toMatchObject({ stderr: "unshare: failed to execute nosuch: No such file or directory\n", exitCode: 127 });
    // Accepted like util-linux: the other namespaces change nothing the network tools see.
    expect(await run("unshare -m -u -i -p -f -n ip -br link | wc -l")).toBe("1\n");
  });

  it("starts a shell in the new namespace when no program is given, and ends the namespace on exit", async () => {
    const { run, sh, network } = lab();
    const before = [...network.all()].length;
    await sh.run("unshare -n");
    expect(await run("ip -br link")).toBe("lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n");
    expect([...network.all()].length).toBe(before + 1);
    await sh.run("exit");
    expect([...network.all()].length).toBe(before);
    expect(await run("ip -br link show eth0")).toMatch(/^eth0 +UP /);
  });

  it("pins a namespace to a file under /run/netns", async () => {
    const { run, sh } = lab();
    await sh.run("mkdir -p /run/netns && touch /run/netns/pinned");
    await sh.run("unshare --net=/run/netns/pinned true");
    expect(await run("ip -n pinned -br link")).toBe("lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n");
    expect(await sh.run("unshare --net=/run/netns/missing true")).toMatchObject({ stderr: "unshare: mount /proc/self/ns/net on /run/netns/missing failed: No such file or directory\n", exitCode: 1 });
  });
});

describe("BusyBox's ip in a busybox container", () => {
  it("prints the pod's namespace in busybox's format, and cannot change it", async () => {
    const { run, cluster } = lab();
    await run("kubectl run bb --image=busybox:1.36 -- sleep 3600");
    cluster.internals.advance(60_000);
    const a = await run("kubectl exec bb -- ip a");
    expect(a).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n {4}link\/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n {4}inet 127\.0\.0\.1\/8 scope host lo\n/);
    expect(a).toMatch(/\n\d+: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu \d+ qdisc noqueue state UP qlen 1000\n {4}link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff\n {4}inet 10\.244\.0\.\d+\/24 brd 10\.244\.0\.255 scope global eth0\n/);
    expect(await run("kubectl exec bb -- ip route")).toMatch(/^default via 10\.244\.0\.1 dev eth0 \n10\.244\.0\.0\/24 dev eth0 scope link  src 10\.244\.0\.\d+ \n$/);
    expect(await run("kubectl exec bb -- ip link set lo down")).toBe("ip: RTNETLINK answers: Operation not permitted\ncommand terminated with exit code 2\n");
    expect(await run("kubectl exec bb -- ip frob")).toMatch(/^BusyBox v1\.36\.1 .* multi-call binary\.\n\nUsage: ip \[OPTIONS\] address\|route\|link\|tunnel\|neigh\|rule \[ARGS\]\n/);
  });
});
