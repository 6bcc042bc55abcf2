// kubeadm's files are written lazily (a certificate is signed when its file is first read):
// the bytes must be those the eager writer left, file by file, and a file made late must look
// on disk (mode, size, mtime) as if it had been written at `kubeadm init`.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kubeconfig, nodeIdentity, writeKubeadmFiles } from "@/lib/engine/node/kubeadm/files";
import {
  KUBEADM_CAS, KUBEADM_CERTIFICATES, clusterCA, kubeadmCA, keyPairFrom, kubeletClientCertificate, kubeletServingCertificate,
  privateKeyPem, publicKeyPem, randomSerial, signKubeadmCertificate,
} from "@/lib/engine/pki";
import { loadScenario } from "@/lib/engine/scenarios";
import { FileSystem } from "@/lib/engine/shell";
import { VirtualClock } from "@/lib/engine/util/clock";
import { copyGraph } from "@/lib/engine/util/graph-copy";
import { Rng } from "@/lib/engine/util/rng";

const scenario = loadScenario("three-node-calico");
const controlPlane = scenario.nodes.find((n) => n.role === "control-plane")!;
const ca = clusterCA(new Rng(11), scenario);
const SERIALS_SEED = 12;

function written(node = controlPlane, clock = new VirtualClock(ca.notBefore)): FileSystem {
  const fs = new FileSystem(clock);
  fs.mkdirp("/usr/bin");
  writeKubeadmFiles(fs, { node, controlPlane, scenario, rng: new Rng(SERIALS_SEED), ca, clusterDNS: "10.96.0.10" });
  return fs;
}

function filesOf(fs: FileSystem, dir = ""): string[] {
  return fs.list(dir || "/").flatMap((name) => {
    const path = `${dir}/${name}`;
    const kind = fs.lstat(path).kind;
    return kind === "dir" ? filesOf(fs, path) : kind === "file" ? [path] : [];
  });
}

/** What kubeadm's certificates and keys were when the boot signed them all at once: the same calls, the same serial draws in the same order. */
function eagerPki(node = controlPlane): Map<string, string> {
  const rng = new Rng(SERIALS_SEED);
  const files = new Map<string, string>([["/etc/kubernetes/pki/ca.crt", ca.certificate]]);
  const client = kubeletClientCertificate(ca, node.name, ca.notBefore, randomSerial(rng));
  files.set("/var/lib/kubelet/pki/kubelet-client-current.pem", client.certificate.pem + client.key);
  const serving = kubeletServingCertificate(ca.label, node, ca.notBefore);
  files.set("/var/lib/kubelet/pki/kubelet.crt", serving.certificate).set("/var/lib/kubelet/pki/kubelet.key", serving.key);
  if (node !== controlPlane) return files;
  const cas = KUBEADM_CAS.map((c) => kubeadmCA(ca, c.name));
  for (const c of cas) files.set(`/etc/kubernetes/pki/${c.file}.crt`, c.certificate).set(`/etc/kubernetes/pki/${c.file}.key`, c.key);
  const sa = keyPairFrom(`${ca.label}/sa`);
  files.set("/etc/kubernetes/pki/sa.key", privateKeyPem(sa)).set("/etc/kubernetes/pki/sa.pub", publicKeyPem(sa));
  for (const spec of KUBEADM_CERTIFICATES) {
    const issued = signKubeadmCertificate(spec, cas.find((c) => c.name === spec.ca)!, nodeIdentity(node, scenario), ca.notBefore, { label: ca.label, serial: randomSerial(rng), validity: ca.validity.certificate });
    if (!spec.kubeconfig) {
      files.set(`/etc/kubernetes/pki/${spec.file}.crt`, issued.certificate.pem).set(`/etc/kubernetes/pki/${spec.file}.key`, issued.key);
      continue;
    }
    const text = kubeconfig(`https://${controlPlane.ip}:6443`, ca.certificate, issued.certificate.subject.commonName, issued.certificate.pem, issued.key);
    files.set(`/etc/kubernetes/${spec.file}`, text);
    if (spec.name === "admin.conf") files.set("/root/.kube/config", text);
  }
  return files;
}

describe("kubeadm's files, made on first read", () => {
  it("hold the bytes the eager writer signed, for every certificate, key and kubeconfig on every node", () => {
    for (const node of scenario.nodes) {
      const fs = written(node);
      const eager = eagerPki(node);
      expect(eager.size).toBe(node === controlPlane ? 30 : 4);
      for (const [path, text] of eager) expect(fs.readFile(path), `${node.name}:${path}`).toBe(text);
    }
  });

  it("leave every node's files as the eager boot did: paths, modes, sizes and bytes", () => {
    // The digest of all three nodes' files as the eager writer (before laziness) left them.
    const digest = createHash("sha256");
    for (const node of scenario.nodes) {
      const fs = written(node);
      for (const path of filesOf(fs)) {
        const st = fs.stat(path);
        digest.update(`${node.name}:${path} ${st.mode} ${st.size}\n${fs.readFile(path)}`);
      }
    }
    expect(digest.digest("hex")).toBe("58564eff26f31c2a3a453acfd23f9cda83d3e1bc2bd0b052580b93696f90de7b");
  });

  it("look written at kubeadm init when first read much later", () => {
    const clock = new VirtualClock(ca.notBefore);
    const fs = written(controlPlane, clock);
    clock.advance(3600_000);
    const st = fs.stat("/etc/kubernetes/pki/apiserver.key");
    expect(st).toMatchObject({ mode: 0o600, mtime: ca.notBefore, size: fs.readFile("/etc/kubernetes/pki/apiserver.key").length });
    expect(fs.stat("/etc/kubernetes/admin.conf").mtime).toBe(ca.notBefore);
  });

  it("are the learner's once overwritten or appended to, and renewable in place", () => {
    const fs = written();
    fs.writeFile("/etc/kubernetes/pki/front-proxy-client.crt", "garbage\n");
    expect(fs.readFile("/etc/kubernetes/pki/front-proxy-client.crt")).toBe("garbage\n");
    const key = fs.readFile("/etc/kubernetes/pki/etcd/peer.key");
    fs.appendFile("/etc/kubernetes/pki/etcd/peer.key", "# note\n");
    expect(fs.readFile("/etc/kubernetes/pki/etcd/peer.key")).toBe(`${key}# note\n`);
  });

  it("are shared by a sealed template and its forks, which read the same bytes and may each overwrite them", () => {
    const template = written();
    template.seal();
    const fork = copyGraph(template);
    const other = copyGraph(template);
    fork.writeFile("/etc/kubernetes/pki/apiserver.crt", "mine\n");
    expect(other.readFile("/etc/kubernetes/pki/apiserver.crt")).toBe(eagerPki().get("/etc/kubernetes/pki/apiserver.crt"));
    expect(template.readFile("/etc/kubernetes/pki/apiserver.crt")).toBe(other.readFile("/etc/kubernetes/pki/apiserver.crt"));
    expect(fork.readFile("/etc/kubernetes/pki/apiserver.crt")).toBe("mine\n");
  });
});
