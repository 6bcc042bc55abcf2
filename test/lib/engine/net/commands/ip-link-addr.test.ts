import { describe, expect, it } from "vitest";
import { lab } from "./helpers";

describe("ip address and ip link on a node", () => {
  it("prints the node's interfaces as iproute2 5.15 does", async () => {
    const { run, host, macOf, ll } = lab();
    const h = host();
    const eth0 = h.link("eth0")!;
    expect(await run("ip addr show dev eth0")).toBe(
      `${eth0.index}: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n` +
        `    link/ether ${macOf(h, "eth0")} brd ff:ff:ff:ff:ff:ff\n` +
        "    inet 172.30.1.2/24 brd 172.30.1.255 scope global eth0\n       valid_lft forever preferred_lft forever\n" +
        `    inet6 ${ll(h, "eth0")}/64 scope link \n       valid_lft forever preferred_lft forever\n`,
    );
    expect(await run("ip a show eth0")).toBe(await run("ip address show dev eth0"));
    expect(await run("ip -4 a show eth0")).toBe(
      `${eth0.index}: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    inet 172.30.1.2/24 brd 172.30.1.255 scope global eth0\n       valid_lft forever preferred_lft forever\n`,
    );
    expect(await run("ip -o -4 a show lo")).toBe("1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n");
    expect(await run("ip -br -4 a show eth0")).toBe("eth0             UP             172.30.1.2/24 \n");
    expect(await run("ip -br link show lo")).toBe("lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n");
    expect(await run("ip -o link show eth0")).toBe(
      `${eth0.index}: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\\    link/ether ${macOf(h, "eth0")} brd ff:ff:ff:ff:ff:ff\n`,
    );
    expect(await run("ip -c -br a show eth0")).toBe(`eth0             \x1b[32mUP             \x1b[0m\x1b[35m172.30.1.2\x1b[0m/24 \x1b[34m${ll(h, "eth0")}\x1b[0m/64 \n`);
    expect(await run("ip -V")).toBe("ip utility, iproute2-5.15.0, libbpf 0.5.0\n");
  });

  it("shows counters with -s in 5.15's right-aligned columns", async () => {
    const { run, host } = lab();
    const eth0 = host().link("eth0")!;
    Object.assign(eth0.stats, { rxBytes: 85374894, rxPackets: 103446, txBytes: 6036590, txPackets: 52547 });
    expect((await run("ip -s link show eth0")).split("\n").slice(2).join("\n")).toBe(
      "    RX:  bytes packets errors dropped  missed   mcast           \n" +
        "      85374894  103446      0       0       0       0 \n" +
        "    TX:  bytes packets errors dropped carrier collsns           \n" +
        "       6036590   52547      0       0       0       0 \n",
    );
  });

  it("creates links of each type and details them with -d", async () => {
    const { run, sh, host } = lab();
    await sh.run("ip link add dummy0 type dummy");
    await sh.run("ip link add br0 type bridge");
    const vx = await sh.run("ip link add vx0 type vxlan id 42 dev eth0");
    expect(vx.stderr).toBe("vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
    const h = host();
    expect(await run("ip -d link show dummy0")).toBe(
      `${h.link("dummy0")!.index}: dummy0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n` +
        `    link/ether ${h.link("dummy0")!.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 0 maxmtu 0 \n    dummy addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 \n`,
    );
    expect(await run("ip -d link show vx0")).toMatch(/\n {4}vxlan id 42 dev eth0 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 /);
    expect(h.link("vx0")!.mtu).toBe(1450);
    expect(await run("ip -d link show br0")).toMatch(/\n {4}bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802\.1Q bridge_id 8000\.[0-9a-f:]{17} /);
    expect(await run("ip link show type dummy")).toMatch(/^\d+: dummy0: /);
    expect(await run("ip -br link show type veth | wc -l")).toBe(`${[...h.links.values()].filter((l) => l.kind === "veth").length}\n`);
  });

  it("keeps a veth pair's states tied: M-DOWN and LOWERLAYERDOWN while the peer is down, both gone on delete", async () => {
    const { run, sh, host } = lab();
    await sh.run("ip link add v0 type veth peer name v1");
    const h = host();
    const [v0, v1] = [h.link("v0")!, h.link("v1")!];
    expect(v1.index).toBe(v0.index + 1);
    expect(await run("ip link show v0")).toMatch(new RegExp(`^${v0.index}: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n`));
    await sh.run("ip link set v0 up");
    expect(await run("ip link show v0")).toMatch(/^\d+: v0@v1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN /);
    await sh.run("ip link set v1 up");
    expect(await run("ip link show v0")).toMatch(/^\d+: v0@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP /);
    await sh.run("ip link del v1");
    expect(h.link("v0")).toBeUndefined();
  });

  it("changes links as the kernel allows", async () => {
    const { sh, host } = lab();
    await sh.run("ip link add v0 type veth peer name v1");
    expect(await sh.run("ip link set v0 mtu 70000")).toMatchObject({ stderr: "Error: mtu greater than device maximum.\n", exitCode: 2 });
    expect(await sh.run("ip link set v0 mtu 60")).toMatchObject({ stderr: "Error: mtu less than device minimum.\n", exitCode: 2 });
    expect(await sh.run("ip link set v0 mtu 1450 address 02:00:00:00:00:01 name vv")).toMatchObject({ exitCode: 0 });
    expect(host().link("vv")).toMatchObject({ mtu: 1450, mac: "02:00:00:00:00:01" });
    await sh.run("ip link set vv up");
    expect(await sh.run("ip link set vv name v9")).toMatchObject({ stderr: "RTNETLINK answers: Device or resource busy\n", exitCode: 2 });
    expect(await sh.run("ip link set vv address 01:00:00:00:00:01")).toMatchObject({ stderr: "RTNETLINK answers: Cannot assign requested address\n", exitCode: 2 });
    expect(await sh.run("ip link set vv address zz")).toMatchObject({ stderr: '"zz" is invalid lladdr.\n', exitCode: 1 });
    expect(await sh.run("ip link add vv type dummy")).toMatchObject({ stderr: "RTNETLINK answers: File exists\n", exitCode: 2 });
    expect(await sh.run("ip link add thisnameistoolong type dummy")).toMatchObject({ stderr: 'Error: argument "thisnameistoolong" is wrong: "name" not a valid ifname\n', exitCode: 255 });
    expect(await sh.run("ip link add x0")).toMatchObject({ stderr: "RTNETLINK answers: Operation not supported\n", exitCode: 2 });
    expect(await sh.run("ip link add x0 type nonsense")).toMatchObject({ stderr: "Error: Unknown device type.\n", exitCode: 2 });
    expect(await sh.run("ip link set vv master eth0")).toMatchObject({ stderr: "RTNETLINK answers: Operation not supported\n", exitCode: 2 });
    expect(await sh.run("ip link set vv master br9")).toMatchObject({ stderr: 'Error: argument "br9" is wrong: Device does not exist\n\n', exitCode: 255 });
    expect(await sh.run("ip link set vv netns nowhere")).toMatchObject({ stderr: 'Error: argument "nowhere" is wrong: Invalid "netns" value\n\n', exitCode: 255 });
    expect(await sh.run("ip link set vv netns 99999")).toMatchObject({ stderr: "RTNETLINK answers: No such process\n", exitCode: 2 });
    expect(await sh.run("ip link set lo netns 1")).toMatchObject({ exitCode: 0 });
    expect(await sh.run("ip link set eth9 up")).toMatchObject({ stderr: 'Cannot find device "eth9"\n', exitCode: 1 });
    expect(await sh.run("ip link del eth0")).toMatchObject({ stderr: "RTNETLINK answers: Operation not supported\n", exitCode: 2 });
    expect(await sh.run("ip link frob")).toMatchObject({ stderr: 'Command "frob" is unknown, try "ip link help".\n', exitCode: 255 });
    expect(await sh.run("ip link set")).toMatchObject({ stderr: 'Not enough information: "dev" argument is required.\n', exitCode: 255 });
    expect(await sh.run("ip link set vv mtu")).toMatchObject({ stderr: 'Command line is not complete. Try option "help"\n', exitCode: 255 });
  });

  it("moves a link into the namespace of a process by PID (through /proc/PID/ns/net)", async () => {
    const { run, sh } = lab();
    await sh.run("ip link add v0 type veth peer name v1");
    const pid = (await run("crictl inspectp -o go-template --template '{{.info.pid}}' $(crictl pods --name coredns -q | head -1)")).trim();
    expect(await sh.run(`ip link set v1 netns ${pid}`)).toMatchObject({ stderr: "", exitCode: 0 });
    expect(await run("ip link show v1")).toBe('Device "v1" does not exist.\n');
    // The peer is in another namespace (link-netnsid), so print_name_and_link says `@ifN` and never M-DOWN.
    expect(await run(`nsenter -t ${pid} -n ip -br link show v1`)).toMatch(/^v1@if\d+ +DOWN +[0-9a-f:]{17} <BROADCAST,MULTICAST> \n$/);
    expect(await run(`ip netns identify ${pid}`)).toMatch(/^cni-[0-9a-f-]{36}\n$/);
  });

  it("adds, replaces and deletes addresses with the kernel's routes", async () => {
    const { run, sh } = lab();
    await sh.run("ip link add d0 type dummy");
    await sh.run("ip addr add 10.9.0.1/24 dev d0");
    // Down: the local routes exist, the prefix route waits for the link.
    expect(await run("ip route show table all | grep d0")).toBe("local 10.9.0.1 dev d0 table local proto kernel scope host src 10.9.0.1 \n");
    await sh.run("ip link set d0 up");
    expect(await run("ip route show dev d0")).toBe("10.9.0.0/24 proto kernel scope link src 10.9.0.1 \n");
    await sh.run("ip addr add 10.9.0.2/24 brd + dev d0");
    expect(await run("ip -4 -o a show d0")).toBe(
      "3: d0    inet 10.9.0.1/24 scope global d0\\       valid_lft forever preferred_lft forever\n3: d0    inet 10.9.0.2/24 brd 10.9.0.255 scope global secondary d0\\       valid_lft forever preferred_lft forever\n".replace(/3: /g, `${(await run("ip -o link show d0")).split(":")[0]}: `),
    );
    expect(await sh.run("ip addr add 10.9.0.2/24 dev d0")).toMatchObject({ stderr: "RTNETLINK answers: File exists\n", exitCode: 2 });
    // Deleting the primary promotes the secondary; its subnet route stays, now from it.
    await sh.run("ip addr del 10.9.0.1/24 dev d0");
    expect(await run("ip route show dev d0")).toBe("10.9.0.0/24 proto kernel scope link src 10.9.0.2 \n");
    expect(await sh.run("ip addr del 10.9.0.1/24 dev d0")).toMatchObject({ stderr: "RTNETLINK answers: Cannot assign requested address\n", exitCode: 2 });
    const wild = await sh.run("ip addr del 10.9.0.2 dev d0");
    expect(wild).toMatchObject({ exitCode: 0, stderr: "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (10.9.0.2/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n" });
    expect(await run("ip route show dev d0")).toBe("");
    expect(await sh.run("ip addr add x dev d0")).toMatchObject({ stderr: 'Error: any valid prefix is expected rather than "x".\n', exitCode: 1 });
    expect(await sh.run("ip addr add 10.9.0.3/24")).toMatchObject({ stderr: 'Not enough information: "dev" argument is required.\n', exitCode: 1 });
    expect(await sh.run("ip addr add 10.9.0.3/24 dev eth9")).toMatchObject({ stderr: 'Cannot find device "eth9"\n', exitCode: 1 });
    expect(await sh.run("ip a show eth9")).toMatchObject({ stderr: 'Device "eth9" does not exist.\n', exitCode: 1 });
    expect(await sh.run("ip foo")).toMatchObject({ stderr: 'Object "foo" is unknown, try "ip help".\n', exitCode: 1 });
    expect(await sh.run("ip -z a")).toMatchObject({ stderr: 'Option "-z" is unknown, try "ip -help".\n', exitCode: 255 });
  });

  it("takes the routes through a link that goes down, static ones for good", async () => {
    const { run, sh } = lab();
    await sh.run("ip link add d0 type dummy");
    await sh.run("ip addr add 10.9.0.1/24 dev d0");
    await sh.run("ip link set d0 up");
    await sh.run("ip route add 10.10.0.0/16 via 10.9.0.254");
    expect(await run("ip route show dev d0")).toBe("10.9.0.0/24 proto kernel scope link src 10.9.0.1 \n10.10.0.0/16 via 10.9.0.254 \n");
    await sh.run("ip link set d0 down");
    expect(await run("ip route show dev d0")).toBe("");
    await sh.run("ip link set d0 up");
    expect(await run("ip route show dev d0")).toBe("10.9.0.0/24 proto kernel scope link src 10.9.0.1 \n");
  });
});
