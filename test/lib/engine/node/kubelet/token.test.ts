// The projected service account token: a recipe written into the kube-api-access volume and
// signed when first read. The bytes are the eager kubelet's (the digest below was taken before
// the token became lazy), the apiserver accepts them, and a resync neither signs nor rewrites.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Pod } from "@/lib/engine/api";
import { createCluster } from "@/lib/engine";

type Internals = ReturnType<typeof createCluster>["internals"];

/** Every pod's token file (through `..data`'s timestamped directory), by node and path. */
function tokenFiles(cluster: Internals): { node: string; path: string }[] {
  const out: { node: string; path: string }[] = [];
  for (const [name, host] of [...cluster.nodes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const walk = (dir: string): void => {
      for (const entry of host.fs.list(dir)) {
        const path = `${dir}/${entry}`;
        const kind = host.fs.lstat(path).kind;
        if (kind === "dir") walk(path);
        else if (entry === "token" && kind === "file") out.push({ node: name, path });
      }
    };
    walk("/var/lib/kubelet/pods");
  }
  return out;
}

const apiAccess = (cluster: Internals, pod: Pod) => {
  const host = cluster.nodes.get(pod.spec.nodeName!)!;
  const dir = `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/kubernetes.io~projected`;
  const volume = `${dir}/${host.fs.list(dir)[0]}`;
  return { fs: host.fs, volume, data: () => host.fs.readlink(`${volume}/..data`) };
};

describe("the projected service account token", () => {
  it("holds the bytes the eager kubelet wrote, every one", () => {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 7 }).internals;
    const files = tokenFiles(cluster);
    // A boot signs none of them, not even calico-node's, which install-cni copies into its kubeconfig.
    expect(files.filter(({ node, path }) => typeof cluster.nodes.get(node)!.fs.readFileRecipe(path) === "string")).toEqual([]);
    const calicoToken = files.find(({ node, path }) => node === "node01" && cluster.nodes.get(node)!.fs.readFile("/etc/cni/net.d/calico-kubeconfig").includes(`token: ${cluster.nodes.get(node)!.fs.readFile(path)}\n`));
    expect(calicoToken).toBeDefined();
    const text = files.map(({ node, path }) => `${node} ${path} ${cluster.nodes.get(node)!.fs.readFile(path)}`).sort().join("\n");
    expect(files).toHaveLength(9);
    expect(createHash("sha256").update(text).digest("hex")).toBe("add76f4ca900436a1aba9a36e035b4fbe3bb12e488352ea721d89aec223e2c6c");
  });

  it("is signed only when read, and a resync rewrites nothing, read or not", () => {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 7 }).internals;
    const pod = cluster.store.list<Pod>("Pod", { namespace: "kube-system" }).find((p) => p.metadata.name.startsWith("coredns-"))!;
    const { fs, volume, data } = apiAccess(cluster, pod);
    const stamp = data();
    expect(typeof fs.readFileRecipe(`${volume}/token`)).toBe("object");
    cluster.advance(10 * 60_000);
    expect(data()).toBe(stamp);
    expect(typeof fs.readFileRecipe(`${volume}/token`)).toBe("object");
    const token = fs.readFile(`${volume}/token`);
    expect(token.split(".")).toHaveLength(3);
    cluster.advance(10 * 60_000);
    expect([data(), fs.readFile(`${volume}/token`)]).toEqual([stamp, token]);
  });

  it("is accepted by the apiserver as the pod's service account once read", async () => {
    const handle = createCluster({ scenario: "three-node-calico", seed: 7 });
    const pod = handle.internals.store.list<Pod>("Pod", { namespace: "kube-system" }).find((p) => p.metadata.name.startsWith("coredns-"))!;
    const { volume } = apiAccess(handle.internals, pod);
    const sh = handle.shell();
    await sh.run(`TOKEN=$(ssh ${pod.spec.nodeName} cat ${volume}/token)`);
    await sh.run("kubectl config set-credentials dns --token=$TOKEN && kubectl config set-context dns --cluster=kubernetes --user=dns");
    const who = await sh.run("kubectl --context=dns auth whoami");
    expect(who.stdout).toMatch(/^ATTRIBUTE {43}VALUE\nUsername {44}system:serviceaccount:kube-system:coredns\n/);
    expect(who.stdout).toContain(`Extra: authentication.kubernetes.io/pod-name        [${pod.metadata.name}]\n`);
  });
});
