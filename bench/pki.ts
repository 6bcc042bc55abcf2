// PKI figures for `npm run bench`: what real X.509 costs the engine. Issue 8's budget (a
// mesh-enabled 3-node scenario with 20 workloads' certificates ≤ 300 ms) is measured whole in
// mesh.ts; here, the parts the PKI adds: one certificate (a derived key and a signature),
// 20 workloads' certificates from one CA, kubeadm's whole PKI (3 CAs, 11 control-plane
// certificates and kubeconfig identities, each node's kubelet client and serving pairs, sa.key),
// what a boot writes of it now that the files are made on first read (recipes, and sa.key for
// the kubelet's tokens), what the first kubectl call then signs, and the TLS check kubectl
// makes on each call.
import {
  KUBEADM_CERTIFICATES, clusterCA, issueCertificate, keyPairFrom, kubeletClientCertificate, kubeletServingCertificate,
  kubeadmCA, parseCertificate, privateKeyPem, serverVerificationError, signKubeadmCertificate,
} from "../lib/engine/pki";
import { writeKubeadmFiles } from "../lib/engine/node/kubeadm/files";
import { loadScenario } from "../lib/engine/scenarios";
import { FileSystem } from "../lib/engine/shell";
import { VirtualClock } from "../lib/engine/util/clock";
import { Rng } from "../lib/engine/util/rng";
import { median, type Figure } from "./fixtures";

const YEAR = 365 * 24 * 3600_000;


export function pkiFigures(): Figure[] {
  const scenario = loadScenario({ base: "three-node-calico" });
  let n = 0;
  const caKey = keyPairFrom("bench/ca");
  const ca = issueCertificate({ subject: { commonName: "kubernetes" }, key: caKey, serial: 1n, notBefore: 0, notAfter: 10 * YEAR, isCA: true, usages: [] });
  const one = () => {
    const key = keyPairFrom(`bench/leaf-${n++}`);
    issueCertificate({ subject: { commonName: "spiffe-leaf" }, key, serial: BigInt(n), notBefore: 0, notAfter: YEAR, usages: ["serverAuth", "clientAuth"], uris: [`spiffe://cluster.local/ns/mesh/sa/app-${n}`] }, { certificate: ca, key: caKey });
    privateKeyPem(key);
  };
  const perCertificate = median(one, 200, 20);
  const twenty = median(() => {
    for (let i = 0; i < 20; i++) one();
  }, 15);
  const boot = median(() => {
    const root = clusterCA(new Rng(n++), scenario);
    const cas = [root, kubeadmCA(root, "etcd-ca"), kubeadmCA(root, "front-proxy-ca")];
    const rng = new Rng(n);
    const cp = scenario.nodes[0];
    const identity = { name: cp.name, ip: cp.ip, clusterDomain: "cluster.local", apiServiceIP: "10.96.0.1" };
    for (const spec of KUBEADM_CERTIFICATES) signKubeadmCertificate(spec, cas.find((c) => c.name === spec.ca)!, identity, root.notBefore, { label: root.label, serial: BigInt(rng.int(1e9)) });
    privateKeyPem(keyPairFrom(`${root.label}/sa`));
    for (const node of scenario.nodes) {
      kubeletClientCertificate(root, node.name, root.notBefore, 1n);
      kubeletServingCertificate(root.label, node, root.notBefore);
    }
  }, 9);
  // A fresh CA label per run: nothing made by an earlier run is reused.
  const controlPlane = scenario.nodes.find((node) => node.role === "control-plane")!;
  const bootFiles = () => {
    const ca = clusterCA(new Rng(n++), scenario);
    const systems = scenario.nodes.map((node) => {
      const fs = new FileSystem(new VirtualClock(ca.notBefore));
      fs.mkdirp("/usr/bin");
      writeKubeadmFiles(fs, { node, controlPlane, scenario, rng: new Rng(n), ca, clusterDNS: "10.96.0.10" });
      return fs;
    });
    // The boot's one read: the kubelet signs service-account tokens with sa.key.
    systems[0].readFile("/etc/kubernetes/pki/sa.key");
    return systems[0];
  };
  const lazyBoot = median(() => void bootFiles(), 9);
  const firstReads: number[] = [];
  for (let run = 0; run < 9; run++) {
    const booted = bootFiles();
    const t0 = performance.now();
    for (const file of ["/root/.kube/config", "/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/sa.pub"]) booted.readFile(file);
    firstReads.push(performance.now() - t0);
  }
  const firstKubectl = firstReads.sort((a, b) => a - b)[4];
  const root = clusterCA(new Rng(1), scenario);
  const serving = issueCertificate({ subject: { commonName: "kube-apiserver" }, key: keyPairFrom("bench/apiserver"), serial: 2n, notBefore: root.notBefore, notAfter: root.notBefore + YEAR, usages: ["serverAuth"], ipAddresses: ["172.30.1.2"] }, { certificate: parseCertificate(root.certificate), key: keyPairFrom(`${root.label}/ca`) });
  const roots = [parseCertificate(root.certificate)];
  const check = median(() => serverVerificationError(parseCertificate(serving.pem), roots, "172.30.1.2", root.notBefore + 1000), 200, 20);
  return [
    { name: "pki: one certificate (key + ECDSA signature + PEM)", ms: perCertificate, note: "derived P-256 key, RFC 6979 signature, DER via @peculiar/asn1-x509" },
    { name: "pki: 20 workloads' certificates", ms: twenty, budgetMs: 300, note: "the certificate part of issue 8's mesh budget (the whole boot: mesh figures)" },
    { name: "pki: kubeadm PKI of a 3-node cluster, all of it", ms: boot, note: "3 CAs, 11 certificates/kubeconfig identities, 3 kubelet client + 3 serving pairs, sa.key (what a boot signed before the files were lazy)" },
    { name: "pki: kubeadm files a 3-node boot writes (lazy)", ms: lazyBoot, note: "the cluster CA (signed), recipes for the rest, sa.key derived for the kubelet's tokens" },
    { name: "pki: the first kubectl call's certificates", ms: firstKubectl, note: "admin.conf's client pair, apiserver.crt, sa.pub: made on first read" },
    { name: "pki: kubectl's TLS check (cached parse and signature)", ms: check, budgetMs: 0.1, note: "what every kubectl call adds" },
  ];
}
