import { describe, expect, it } from "vitest";
import { lab } from "./helpers";

describe("ip route", () => {
  it("lists the main table, and every table with table all, in dump order with trailing spaces", async () => {
    const { run } = lab();
    const main = await run("ip route");
    expect(main.split("\n")[0]).toBe("default via 172.30.1.1 dev eth0 proto dhcp metric 100 ");
    expect(main).toMatch(/\n172\.30\.1\.0\/24 dev eth0 proto kernel scope link src 172\.30\.1\.2 \n$/);
    const all = await run("ip route show table all");
    expect(all).toContain("local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 \nlocal 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 \nbroadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 \n");
    expect(await run("ip route show table local | grep eth0")).toBe("local 172.30.1.2 dev eth0 proto kernel scope host src 172.30.1.2 \nbroadcast 172.30.1.255 dev eth0 proto kernel scope link src 172.30.1.2 \n");
    expect(await run("ip route show dev eth0 proto kernel")).toBe("172.30.1.0/24 scope link src 172.30.1.2 \n");
    expect(await run("ip -d route show 172.30.1.0/24")).toBe("unicast 172.30.1.0/24 dev eth0 proto kernel scope link src 172.30.1.2 \n");
    expect(await run("ip -d route show table all 172.30.1.0/24")).toBe("unicast 172.30.1.0/24 dev eth0 table main proto kernel scope link src 172.30.1.2 \n");
    expect(await run("ip -6 route show dev lo")).toBe("::1 proto kernel metric 256 pref medium\n");
  });

  it("adds routes through the kernel's next-hop checks", async () => {
    const { run, sh } = lab();
    expect(await sh.run("ip route add 10.50.0.0/16 via 172.30.1.20")).toMatchObject({ stderr: "", exitCode: 0 });
    expect(await run("ip route show 10.50.0.0/16")).toBe("10.50.0.0/16 via 172.30.1.20 dev eth0 \n");
    expect(await sh.run("ip route add 10.50.0.0/16 via 172.30.1.21")).toMatchObject({ stderr: "RTNETLINK answers: File exists\n", exitCode: 2 });
    expect(await sh.run("ip route replace 10.50.0.0/16 via 172.30.1.21 proto static metric 0")).toMatchObject({ exitCode: 0 });
    expect(await run("ip route show 10.50.0.0/16")).toBe("10.50.0.0/16 via 172.30.1.21 dev eth0 proto static \n");
    expect(await sh.run("ip route add 10.50.0.0/16 via 172.30.1.22 metric 50")).toMatchObject({ exitCode: 0 });
    expect(await run("ip route show 10.50.0.0/16")).toBe("10.50.0.0/16 via 172.30.1.21 dev eth0 proto static \n10.50.0.0/16 via 172.30.1.22 dev eth0 metric 50 \n");
    // A gateway not on a connected subnet, a host-bits prefix, a missing device, a down device.
    expect(await sh.run("ip route add 10.60.0.0/16 via 10.99.0.1")).toMatchObject({ stderr: "Error: Nexthop has invalid gateway.\n", exitCode: 2 });
    expect(await sh.run("ip route add 10.60.0.0/16 via 10.50.0.1")).toMatchObject({ stderr: "Error: Nexthop has invalid gateway.\n", exitCode: 2 });
    expect(await sh.run("ip route add 10.60.0.1/16 dev eth0")).toMatchObject({ stderr: "Error: Invalid prefix for given prefix length.\n", exitCode: 2 });
    expect(await sh.run("ip route add 10.60.0.0/16")).toMatchObject({ stderr: "RTNETLINK answers: No such device\n", exitCode: 2 });
    await sh.run("ip link add d0 type dummy");
    expect(await sh.run("ip route add 10.60.0.0/16 dev d0")).toMatchObject({ stderr: "Error: Device for nexthop is not up.\n", exitCode: 2 });
    expect(await sh.run("ip route add 10.60.0.0/16 via 10.9.9.9 dev d0 onlink")).toMatchObject({ stderr: "Error: Nexthop device is not up.\n", exitCode: 2 });
    await sh.run("ip link set d0 up");
    expect(await sh.run("ip route add 10.60.0.0/16 via 10.9.9.9 dev d0 onlink")).toMatchObject({ exitCode: 0 });
    expect(await run("ip route show dev d0")).toBe("10.60.0.0/16 via 10.9.9.9 onlink \n");
    expect(await sh.run("ip route add 10.61.0.0/16 dev d0 src 10.1.1.1")).toMatchObject({ stderr: "Error: Invalid prefsrc address.\n", exitCode: 2 });
    expect(await sh.run("ip route add blackhole 10.70.0.0/16")).toMatchObject({ exitCode: 0 });
    expect(await run("ip route show type blackhole")).toBe("blackhole 10.70.0.0/16 \n");
    expect(await sh.run("ip route add 10.80.0.0/16 via nowhere")).toMatchObject({ stderr: 'Error: inet address is expected rather than "nowhere".\n', exitCode: 1 });
    expect(await sh.run("ip route add x")).toMatchObject({ stderr: 'Error: any valid prefix is expected rather than "x".\n', exitCode: 1 });
    expect(await sh.run("ip route frob")).toMatchObject({ stderr: 'Command "frob" is unknown, try "ip route help".\n', exitCode: 255 });
  });

  it("deletes what matches and says No such process otherwise", async () => {
    const { run, sh } = lab();
    await sh.run("ip route add 10.50.0.0/16 via 172.30.1.20");
    expect(await sh.run("ip route del 10.50.0.0/16 via 172.30.1.99")).toMatchObject({ stderr: "RTNETLINK answers: No such process\n", exitCode: 2 });
    expect(await sh.run("ip route del 10.50.0.0/16")).toMatchObject({ exitCode: 0 });
    expect(await run("ip route show 10.50.0.0/16")).toBe("");
    // Deleting the default route cuts the node off the internet: route get says so.
    await sh.run("ip route del default");
    expect(await sh.run("ip route get 8.8.8.8")).toMatchObject({ stderr: "RTNETLINK answers: Network is unreachable\n", exitCode: 2 });
  });

  it("answers ip route get with the chosen route, its source and uid, as a cache entry", async () => {
    const { run, sh } = lab();
    expect(await run("ip route get 8.8.8.8")).toBe("8.8.8.8 via 172.30.1.1 dev eth0 src 172.30.1.2 uid 0 \n    cache \n");
    expect(await run("ip route get 172.30.1.3")).toBe("172.30.1.3 dev eth0 src 172.30.1.2 uid 0 \n    cache \n");
    expect(await run("ip route get 172.30.1.2")).toBe("local 172.30.1.2 dev lo table local src 172.30.1.2 uid 0 \n    cache <local> \n");
    expect(await run("ip route get 172.30.1.255")).toBe("broadcast 172.30.1.255 dev eth0 table local src 172.30.1.2 uid 0 \n    cache <local,brd> \n");
    expect(await run("ip route get 8.8.8.8 from 172.30.1.2")).toBe("8.8.8.8 via 172.30.1.1 dev eth0 src 172.30.1.2 uid 0 \n    cache \n");
    await sh.run("ip route add blackhole 10.70.0.0/16");
    expect(await sh.run("ip route get 10.70.1.1")).toMatchObject({ stderr: "RTNETLINK answers: Invalid argument\n", exitCode: 2 });
    await sh.run("ip route add unreachable 10.71.0.0/16");
    expect(await sh.run("ip route get 10.71.1.1")).toMatchObject({ stderr: "RTNETLINK answers: No route to host\n", exitCode: 2 });
    expect(await sh.run("ip route get")).toMatchObject({ stderr: "need at least a destination address\n", exitCode: 1 });
  });

  it("follows policy rules: a fwmark rule sends marked packets to another table", async () => {
    const { run, sh } = lab();
    expect(await run("ip rule")).toBe("0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n");
    await sh.run("ip route add 8.8.0.0/16 via 172.30.1.30 table 100");
    await sh.run("ip rule add fwmark 0x1 table 100");
    await sh.run("ip rule add from 10.0.0.0/8 lookup main");
    expect(await run("ip rule")).toBe("0:\tfrom all lookup local\n32764:\tfrom 10.0.0.0/8 lookup main\n32765:\tfrom all fwmark 0x1 lookup 100\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n");
    expect(await run("ip route get 8.8.8.8 mark 1")).toBe("8.8.8.8 via 172.30.1.30 dev eth0 table 100 src 172.30.1.2 uid 0 \n    cache \n");
    expect(await run("ip route get 8.8.8.8")).toBe("8.8.8.8 via 172.30.1.1 dev eth0 src 172.30.1.2 uid 0 \n    cache \n");
    expect(await run("ip route show table 100")).toBe("8.8.0.0/16 via 172.30.1.30 dev eth0 \n");
    expect(await sh.run("ip rule add fwmark 0x1 table 100 pref 32765")).toMatchObject({ stderr: "RTNETLINK answers: File exists\n", exitCode: 2 });
    await sh.run("ip rule del fwmark 0x1");
    expect(await sh.run("ip rule del fwmark 0x1")).toMatchObject({ stderr: "RTNETLINK answers: No such file or directory\n", exitCode: 2 });
    await sh.run("ip rule add not fwmark 0x100000/0x100000 table 1 pref 99");
    expect(await run("ip rule show | head -2")).toBe("0:\tfrom all lookup local\n99:\tnot from all fwmark 0x100000/0x100000 lookup 1\n");
  });

  it("keeps ARP entries: add, replace, show, delete", async () => {
    const { run, sh } = lab();
    await sh.run("ip neigh add 172.30.1.9 lladdr 02:00:00:00:00:09 dev eth0");
    await sh.run("ip neigh add 172.30.1.8 dev eth0 nud incomplete");
    expect(await run("ip neigh show dev eth0")).toBe("172.30.1.9 lladdr 02:00:00:00:00:09 PERMANENT\n172.30.1.8  INCOMPLETE\n");
    expect(await run("ip neigh")).toContain("172.30.1.9 dev eth0 lladdr 02:00:00:00:00:09 PERMANENT\n");
    expect(await sh.run("ip neigh add 172.30.1.9 lladdr 02:00:00:00:00:0a dev eth0")).toMatchObject({ stderr: "RTNETLINK answers: File exists\n", exitCode: 2 });
    await sh.run("ip neigh replace 172.30.1.9 lladdr 02:00:00:00:00:0a dev eth0 nud reachable");
    expect(await run("ip neigh show 172.30.1.9")).toBe("172.30.1.9 dev eth0 lladdr 02:00:00:00:00:0a REACHABLE\n");
    await sh.run("ip neigh flush dev eth0");
    expect(await run("ip neigh show dev eth0")).toBe("");
    expect(await sh.run("ip neigh del 172.30.1.9 dev eth0")).toMatchObject({ stderr: "RTNETLINK answers: No such file or directory\n", exitCode: 2 });
    expect(await sh.run("ip neigh add 172.30.1.9")).toMatchObject({ stderr: "Device and destination are required arguments.\n", exitCode: 255 });
  });
});
