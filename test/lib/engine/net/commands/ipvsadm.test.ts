// `ipvsadm` v1.31 on a node: hand edits and every listing format, byte for byte (ipvsadm pads
// its columns with printf, trailing spaces included), and its errors with their exit codes.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

async function node() {
  const sh = createCluster({ scenario: "three-node-flannel", seed: 7 }).shell();
  await sh.run("ssh node01");
  return sh;
}

const SETUP = [
  "ipvsadm -A -t 10.96.0.100:80 -s rr",
  "ipvsadm -a -t 10.96.0.100:80 -r 10.244.1.5:8080 -m",
  "ipvsadm -a -t 10.96.0.100:80 -r 10.244.2.7:8080 -m -w 3",
  "ipvsadm -A -u 10.96.0.10:53",
  "ipvsadm -a -u 10.96.0.10:53 -r 10.244.0.2",
  "ipvsadm -A -t 10.96.0.1:443 -s sh -p",
];

describe("ipvsadm", () => {
  it("lists the table sorted, numerically with -n and by name without", async () => {
    const sh = await node();
    for (const line of SETUP) expect(await sh.run(line)).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect((await sh.run("ipvsadm -Ln")).stdout).toBe(
      "IP Virtual Server version 1.2.1 (size=4096)\n" +
      "Prot LocalAddress:Port Scheduler Flags\n" +
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
      "TCP  10.96.0.1:443 sh persistent 300\n" +
      "TCP  10.96.0.100:80 rr\n" +
      "  -> 10.244.1.5:8080              Masq    1      0          0         \n" +
      "  -> 10.244.2.7:8080              Masq    3      0          0         \n" +
      "UDP  10.96.0.10:53 wlc\n" +
      "  -> 10.244.0.2:53                Route   1      0          0         \n",
    );
    expect((await sh.run("ipvsadm -L -t 10.96.0.100:80")).stdout).toBe(
      "Prot LocalAddress:Port Scheduler Flags\n" +
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
      "TCP  10.96.0.100:http rr\n" +
      "  -> 10.244.1.5:http-alt          Masq    1      0          0         \n" +
      "  -> 10.244.2.7:http-alt          Masq    3      0          0         \n",
    );
    expect((await sh.run("ipvsadm -Sn")).stdout).toBe(
      "-A -t 10.96.0.1:443 -s sh -p 300\n" +
      "-A -t 10.96.0.100:80 -s rr\n" +
      "-a -t 10.96.0.100:80 -r 10.244.1.5:8080 -m -w 1\n" +
      "-a -t 10.96.0.100:80 -r 10.244.2.7:8080 -m -w 3\n" +
      "-A -u 10.96.0.10:53 -s wlc\n" +
      "-a -u 10.96.0.10:53 -r 10.244.0.2:53 -g -w 1\n",
    );
  });

  it("prints --stats, --rate, --thresholds, --persistent-conn, --timeout and -c in their columns", async () => {
    const sh = await node();
    for (const line of SETUP.slice(0, 3)) await sh.run(line);
    expect((await sh.run("ipvsadm -Ln --stats")).stdout).toBe(
      "IP Virtual Server version 1.2.1 (size=4096)\n" +
      "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n" +
      "  -> RemoteAddress:Port\n" +
      "TCP  10.96.0.100:80                      0        0        0        0        0\n" +
      "  -> 10.244.1.5:8080                     0        0        0        0        0\n" +
      "  -> 10.244.2.7:8080                     0        0        0        0        0\n",
    );
    expect((await sh.run("ipvsadm -Ln --rate")).stdout.split("\n")[1]).toBe("Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS");
    expect((await sh.run("ipvsadm -Ln --thresholds")).stdout.split("\n").slice(1, 4)).toEqual([
      "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ",
      "  -> RemoteAddress:Port",
      "TCP  10.96.0.100:80 rr",
    ]);
    expect((await sh.run("ipvsadm -Ln --persistent-conn")).stdout.split("\n")[4]).toBe("  -> 10.244.1.5:8080              1         0           0          0         ");
    expect((await sh.run("ipvsadm -L --timeout")).stdout).toBe("Timeout (tcp tcpfin udp): 900 120 300\n");
    await sh.run("ipvsadm --set 3600 60 30");
    expect((await sh.run("ipvsadm -L --timeout")).stdout).toBe("Timeout (tcp tcpfin udp): 3600 60 30\n");
    expect((await sh.run("ipvsadm -Lnc")).stdout).toBe("IPVS connection entries\npro expire state       source             virtual            destination\n");
  });

  it("edits, deletes and clears", async () => {
    const sh = await node();
    for (const line of SETUP.slice(0, 3)) await sh.run(line);
    await sh.run("ipvsadm -e -t 10.96.0.100:80 -r 10.244.2.7:8080 -m -w 0");
    await sh.run("ipvsadm -E -t 10.96.0.100:80 -s wrr -p 60");
    await sh.run("ipvsadm -d -t 10.96.0.100:80 -r 10.244.1.5:8080");
    expect((await sh.run("ipvsadm -Ln")).stdout.split("\n").slice(3)).toEqual(["TCP  10.96.0.100:80 wrr persistent 60", "  -> 10.244.2.7:8080              Masq    0      0          0         ", ""]);
    await sh.run("ipvsadm -D -t 10.96.0.100:80");
    expect((await sh.run("ipvsadm -Ln")).stdout.split("\n")).toHaveLength(4);
    await sh.run("ipvsadm -A -t 10.1.1.1:80");
    await sh.run("ipvsadm -C");
    expect((await sh.run("ipvsadm -Sn")).stdout).toBe("");
  });

  it("fails as ipvsadm fails", async () => {
    const sh = await node();
    await sh.run("ipvsadm -A -t 10.96.0.100:80 -s rr");
    const cases: [string, string, number][] = [
      ["ipvsadm -A -t 10.96.0.100:80", "Service already exists\n", 255],
      ["ipvsadm -a -t 10.9.9.9:80 -r 10.244.1.5", "Service not defined\n", 255],
      ["ipvsadm -d -t 10.96.0.100:80 -r 10.244.1.5", "No such destination\n", 255],
      ["ipvsadm -A -t 10.96.0.101:80 -s foo", "Scheduler or persistence engine not found\n", 255],
      ["ipvsadm -D -t 10.9.9.9:80", "No such service\n", 255],
      ["ipvsadm -L -t 10.9.9.9:80", "No such service\n", 1],
      ["ipvsadm -A", "You need to supply the 'service-address' option for the 'add-service' command\n", 2],
      ["ipvsadm -A -t 10.1.1.1:80 -r 10.1.1.2", "Illegal 'real-server' option with the 'add-service' command\n", 2],
      ["ipvsadm -Lnc --stats", "options conflicts in the list command\n", 2],
      ["ipvsadm -L -c -t 10.96.0.100:80", "The option 'service-address' conflicts with the 'connection' option in the 'list' command\n", 2],
      ["ipvsadm -A -t nosuchhost:80", "illegal virtual server address[:port] specified\n", 2],
      ["ipvsadm -a -t 10.96.0.100:80 -r 10.244.1.5 -w 70000", "illegal weight specified\n", 2],
      ["ipvsadm -A -t 10.1.1.1:0", "Zero port specified for non-persistent service\n", 2],
      ["ipvsadm -A -t 10.1.1.1:80 -C", "multiple commands specified\n", 2],
      ["ipvsadm -L foo", "unexpected argument foo\n", 2],
      ["ipvsadm -Q", "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", 255],
      ["ipvsadm -L --bogus", "--bogus: unknown option\n", 255],
      ["ipvsadm -A -t", "-t: missing argument\n", 255],
    ];
    for (const [line, stderr, exitCode] of cases) expect(await sh.run(line), line).toMatchObject({ stdout: "", stderr, exitCode });
    expect(await sh.run("ipvsadm -v")).toMatchObject({ stdout: "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n", exitCode: 0 });
  });

  it("restores what -S saved", async () => {
    const sh = await node();
    for (const line of SETUP) await sh.run(line);
    const saved = (await sh.run("ipvsadm -Sn")).stdout;
    await sh.run("ipvsadm -Sn > /tmp/rules; ipvsadm -C");
    expect(await sh.run("ipvsadm -R < /tmp/rules")).toMatchObject({ stderr: "", exitCode: 0 });
    expect((await sh.run("ipvsadm -Sn")).stdout).toBe(saved);
  });
});
