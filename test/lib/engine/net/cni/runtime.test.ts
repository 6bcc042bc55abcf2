import { describe, expect, it } from "vitest";
import { confFiles, loadNetwork, parseConfFile } from "@/lib/engine/net/cni/config";
import { caliVethName, cniChainName, workloadEndpointName } from "@/lib/engine/net/cni";
import { CalicoIpam, type IPPool } from "@/lib/engine/net/cni/calico/ipam";
import { findInPath } from "@/lib/engine/net/cni/runtime";
import { FileSystem } from "@/lib/engine/shell";
import { VirtualClock } from "@/lib/engine/util/clock";
import { formatIP, parseCIDR } from "@/lib/engine/util/ipv4";

const fsWith = (files: Record<string, string>) => {
  const fs = new FileSystem(new VirtualClock(0));
  for (const [path, text] of Object.entries(files)) fs.writeFile(path, text, { parents: true });
  return fs;
};

describe("containerd's choice of network configuration", () => {
  it("takes the first .conf/.conflist/.json by name and ignores other files", () => {
    const fs = fsWith({ "/etc/cni/net.d/99-loopback.conf": "{}", "/etc/cni/net.d/10-flannel.conflist": "{}", "/etc/cni/net.d/05-notes.txt": "x", "/etc/cni/net.d/20-x.json": "{}" });
    expect(confFiles(fs)).toEqual(["/etc/cni/net.d/10-flannel.conflist", "/etc/cni/net.d/20-x.json", "/etc/cni/net.d/99-loopback.conf"]);
  });

  it("is not initialized without a file, and says why a file does not load", () => {
    expect(loadNetwork(fsWith({}))).toEqual({ error: "no network config found in /etc/cni/net.d: cni plugin not initialized" });
    expect(loadNetwork(fsWith({ "/etc/cni/net.d/10-a.conflist": '{"name":"a","plugins":[]}' }))).toEqual({
      error: "failed to load CNI config list file /etc/cni/net.d/10-a.conflist: error parsing configuration list: no plugins in list: invalid cni config: failed to load cni config",
    });
    expect(parseConfFile("/x.conflist", "")).toEqual({ error: "error parsing configuration list: unexpected end of JSON input" });
    expect(parseConfFile("/x.conflist", '{"plugins":[{"type":"bridge"}]}')).toEqual({ error: "error parsing configuration list: no name" });
  });

  it("turns a single-plugin .conf into a list of one", () => {
    const out = parseConfFile("/etc/cni/net.d/10-bridge.conf", '{"cniVersion":"1.0.0","name":"bridge","type":"bridge","bridge":"cni0"}');
    expect("list" in out && out.list.plugins.map((p) => p.type)).toEqual(["bridge"]);
    expect("list" in out && out.list.name).toBe("bridge");
  });

  it("finds plugins on CNI_PATH as invoke.FindInPath does", () => {
    const fs = fsWith({ "/opt/cni/bin/bridge": "" });
    expect(findInPath(fs, "bridge", ["/opt/cni/bin"])).toBe("/opt/cni/bin/bridge");
    expect(findInPath(fs, "macvlan", ["/opt/cni/bin", "/usr/lib/cni"])).toEqual({ error: 'failed to find plugin "macvlan" in path [/opt/cni/bin /usr/lib/cni]' });
  });
});

describe("derived names", () => {
  it("are the plugins' hashes", () => {
    // sha512("cbr0" + "abc") and sha1("default.web"), as the Go plugins compute them.
    expect(cniChainName("cbr0", "abc")).toBe("CNI-64e75f641d11615844d681b7");
    expect(caliVethName("default", "web")).toBe("cali68caf03a5f4");
    expect(workloadEndpointName("node01", "k8s", "web-7c5dd-x2k4q", "eth0")).toBe("node01-k8s-web--7c5dd--x2k4q-eth0");
  });
});

describe("Calico IPAM", () => {
  const pool: IPPool = { name: "p", cidr: parseCIDR("10.0.0.0/25")!, blockSize: 26, ipipMode: "Never", vxlanMode: "Never", natOutgoing: true, disabled: false, disableBGPExport: false, nodeSelector: "all()", created: 0 };
  const req = (handle: string, host: string) => ({ handle, host, attrs: { node: host } });

  it("assigns in order from the host's block and puts freed addresses last", () => {
    const ipam = new CalicoIpam();
    const a = ipam.autoAssign(pool, req("a", "n1"))!;
    const b = ipam.autoAssign(pool, req("b", "n1"))!;
    expect(b).toBe(a + 1);
    expect(ipam.releaseByHandle("a")).toEqual([a]);
    const c = ipam.autoAssign(pool, req("c", "n1"))!;
    expect(c).toBe(b + 1);
    expect(ipam.attributesOf(c)).toEqual({ handle: "c", attrs: { node: "n1" } });
  });

  it("claims another block when the host's are full, then borrows when the pool has none left", () => {
    const ipam = new CalicoIpam();
    for (let i = 0; i < 64; i++) ipam.autoAssign(pool, req(`a${i}`, "n1"));
    ipam.autoAssign(pool, req("x", "n2"));
    expect(ipam.affineBlocks("n1")).toHaveLength(1);
    expect(ipam.affineBlocks("n2")).toHaveLength(1);
    // n1's block is full and the /25 has only two blocks: n1 borrows from n2's.
    const borrowed = ipam.autoAssign(pool, req("y", "n1"))!;
    expect(ipam.blockOf(borrowed)!.affinity).toBe("host:n2");
    expect(formatIP(ipam.affineBlocks("n2")[0].cidr.base)).toBe(formatIP(borrowed & ~63));
  });
});
