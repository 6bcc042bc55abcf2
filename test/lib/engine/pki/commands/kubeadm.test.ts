// kubeadm's PKI as the engine's boot writes it (subjects, SANs, issuers as kubeadm v1.32
// documents them), `kubeadm certs check-expiration`, and what an expired certificate breaks:
// kubectl's TLS handshake with the apiserver, until `kubeadm certs renew all`.
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster, type ClusterHandle, type Shell } from "@/lib/engine";
import { clientIdentity, parseCertificate, verifyCertificate, type Certificate } from "@/lib/engine/pki";

// Certificates valid for an hour: the learner arrives 8.5 minutes after `kubeadm init`.
const SPEC = { base: "three-node-flannel", name: "pki-test", kubeadm: { certificateValidityPeriod: "1h" } };
const PKI = "/etc/kubernetes/pki";

let cluster: ClusterHandle;
let sh: Shell;
const read = (node: string, path: string) => cluster.internals.nodes.get(node)!.fs.readFile(path);
const cert = (node: string, path: string) => parseCertificate(read(node, path));
const embedded = (path: string): Certificate => parseCertificate(Buffer.from(/client-certificate-data: (\S+)/.exec(read("controlplane", path))![1], "base64").toString());

beforeAll(() => {
  cluster = createCluster({ spec: SPEC, seed: 3 });
  sh = cluster.shell();
});

describe("kubeadm's PKI", () => {
  it("has kubeadm's subjects, SANs and issuers", () => {
    const at = cluster.internals.clock.now();
    const ca = cert("controlplane", `${PKI}/ca.crt`);
    const etcdCA = cert("controlplane", `${PKI}/etcd/ca.crt`);
    const frontProxyCA = cert("controlplane", `${PKI}/front-proxy-ca.crt`);
    expect([ca, etcdCA, frontProxyCA].map((c) => [c.subject.commonName, c.isCA, c.notAfter - c.notBefore])).toEqual([
      ["kubernetes", true, 3650 * 86400_000], ["etcd-ca", true, 3650 * 86400_000], ["front-proxy-ca", true, 3650 * 86400_000],
    ]);
    const apiserver = cert("controlplane", `${PKI}/apiserver.crt`);
    expect(apiserver.dnsNames).toEqual(["controlplane", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"]);
    expect(apiserver.ipAddresses).toEqual(["10.96.0.1", "172.30.1.2"]);
    expect(cert("controlplane", `${PKI}/etcd/server.crt`)).toMatchObject({ subject: { commonName: "controlplane" }, dnsNames: ["controlplane", "localhost"], ipAddresses: ["172.30.1.2", "127.0.0.1", "::1"], usages: ["serverAuth", "clientAuth"] });
    const expected: [string, Certificate, string, string[], Certificate][] = [
      ["apiserver", apiserver, "kube-apiserver", [], ca],
      ["apiserver-kubelet-client", cert("controlplane", `${PKI}/apiserver-kubelet-client.crt`), "kube-apiserver-kubelet-client", ["kubeadm:cluster-admins"], ca],
      ["apiserver-etcd-client", cert("controlplane", `${PKI}/apiserver-etcd-client.crt`), "kube-apiserver-etcd-client", [], etcdCA],
      ["etcd-peer", cert("controlplane", `${PKI}/etcd/peer.crt`), "controlplane", [], etcdCA],
      ["etcd-healthcheck-client", cert("controlplane", `${PKI}/etcd/healthcheck-client.crt`), "kube-etcd-healthcheck-client", [], etcdCA],
      ["front-proxy-client", cert("controlplane", `${PKI}/front-proxy-client.crt`), "front-proxy-client", [], frontProxyCA],
      ["admin.conf", embedded("/etc/kubernetes/admin.conf"), "kubernetes-admin", ["kubeadm:cluster-admins"], ca],
      ["super-admin.conf", embedded("/etc/kubernetes/super-admin.conf"), "kubernetes-super-admin", ["system:masters"], ca],
      ["controller-manager.conf", embedded("/etc/kubernetes/controller-manager.conf"), "system:kube-controller-manager", [], ca],
      ["scheduler.conf", embedded("/etc/kubernetes/scheduler.conf"), "system:kube-scheduler", [], ca],
      ["node01 kubelet client", cert("node01", "/var/lib/kubelet/pki/kubelet-client-current.pem"), "system:node:node01", ["system:nodes"], ca],
    ];
    for (const [name, c, cn, groups, issuer] of expected) {
      expect(clientIdentity(c), name).toEqual({ user: cn, groups });
      expect(verifyCertificate(c, [issuer], at).ok, `${name} against its CA`).toBe(true);
      const other = issuer === ca ? etcdCA : ca;
      expect(verifyCertificate(c, [other], at).ok, `${name} against another CA`).toBe(false);
      expect(c.notAfter - c.notBefore, name).toBe(3600_000);
    }
    // sa.key/sa.pub: a key pair, no certificate; the kubelet's serving certificate: its own CA, second in the file.
    expect(read("controlplane", `${PKI}/sa.key`)).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(read("controlplane", `${PKI}/sa.pub`)).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const kubelet = read("node02", "/var/lib/kubelet/pki/kubelet.crt");
    const [leaf, own] = kubelet.split(/(?<=-----END CERTIFICATE-----\n)/).map((p) => parseCertificate(p));
    expect(leaf.subject.commonName).toMatch(/^node02@\d+$/);
    expect(verifyCertificate(leaf, [own], at).ok).toBe(true);
    expect(verifyCertificate(leaf, [ca], at).ok).toBe(false);
  });

  it("is the same for the same seed and another for another seed", () => {
    const again = createCluster({ spec: SPEC, seed: 3, fresh: true }).internals.nodes.get("controlplane")!.fs;
    expect(again.readFile(`${PKI}/apiserver.crt`)).toBe(read("controlplane", `${PKI}/apiserver.crt`));
    expect(again.readFile("/etc/kubernetes/admin.conf")).toBe(read("controlplane", "/etc/kubernetes/admin.conf"));
    const other = createCluster({ spec: SPEC, seed: 4 }).internals.nodes.get("controlplane")!.fs;
    expect(other.readFile(`${PKI}/ca.crt`)).not.toBe(read("controlplane", `${PKI}/ca.crt`));
  });
});

describe("kubeadm certs and expiry", () => {
  it("shows the ClusterConfiguration the PKI follows in the kubeadm-config ConfigMap", async () => {
    const r = await sh.run("kubectl -n kube-system get cm kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' | grep -e encryptionAlgorithm -e ValidityPeriod");
    expect(r.stdout).toBe("caCertificateValidityPeriod: 87600h0m0s\ncertificateValidityPeriod: 1h0m0s\nencryptionAlgorithm: ECDSA-P256\n");
  });


  it("checks expiration on the virtual clock", async () => {
    const r = await sh.run("kubeadm certs check-expiration");
    expect(r.stdout).toBe(`[check-expiration] Reading configuration from the cluster...
[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'

CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
${[
  ["admin.conf", "ca"], ["apiserver", "ca"], ["apiserver-etcd-client", "etcd-ca"], ["apiserver-kubelet-client", "ca"], ["controller-manager.conf", "ca"],
  ["etcd-healthcheck-client", "etcd-ca"], ["etcd-peer", "etcd-ca"], ["etcd-server", "etcd-ca"], ["front-proxy-client", "front-proxy-ca"], ["scheduler.conf", "ca"], ["super-admin.conf", "ca"],
].map(([name, ca]) => `${name.padEnd(27)}Jan 12, 2026 09:52 UTC   51m             ${ca.padEnd(24)}no      `).join("\n")}

CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
ca                      Jan 10, 2036 08:52 UTC   9y              no      
etcd-ca                 Jan 10, 2036 08:52 UTC   9y              no      
front-proxy-ca          Jan 10, 2036 08:52 UTC   9y              no      
`);
  });

  it("breaks kubectl once the apiserver's certificate expires, and renewing fixes it", async () => {
    const expired = createCluster({ spec: SPEC, seed: 3 });
    expired.internals.advance(60 * 60_000);
    const s = expired.shell();
    const broken = await s.run("kubectl get nodes");
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr.split("\n").at(-2)).toBe("Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-01-12T10:00:30Z is after 2026-01-12T09:52:00Z");
    expect((await s.run("kubeadm certs check-expiration")).stdout).toContain("[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration\n");
    expect((await s.run("kubeadm certs check-expiration")).stdout).toContain("apiserver                  Jan 12, 2026 09:52 UTC   <invalid>       ca");
    const renew = await s.run("kubeadm certs renew all");
    expect(renew.stdout).toContain("certificate for serving the Kubernetes API renewed\n");
    expect(renew.stdout).toMatch(/\nDone renewing certificates\. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates\.\n$/);
    // kubeadm renews admin.conf; ~/.kube/config is the learner's copy of it.
    const fixed = await s.run("cp /etc/kubernetes/admin.conf ~/.kube/config && kubectl get nodes -o name");
    expect(fixed).toMatchObject({ stdout: "node/controlplane\nnode/node01\nnode/node02\n", exitCode: 0 });
    expect((await s.run("openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -enddate")).stdout).toBe("notAfter=Jan 12 10:00:30 2027 GMT\n");
    expect((await s.run("openssl verify -CAfile /etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/apiserver.crt")).stdout).toBe("/etc/kubernetes/pki/apiserver.crt: OK\n");
  });

  it("refuses a kubeconfig that trusts another CA, or a server name the certificate does not cover", async () => {
    expect((await sh.run("kubectl --server https://127.0.0.1:6443 get ns")).stderr).toMatch(/\nUnable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for 10\.96\.0\.1, 172\.30\.1\.2, not 127\.0\.0\.1\n$/);
    expect((await sh.run("kubectl --certificate-authority /etc/kubernetes/pki/etcd/ca.crt get ns")).stderr).toMatch(/\nUnable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n$/);
    expect((await sh.run("kubectl --insecure-skip-tls-verify --certificate-authority= get ns -o name")).stdout).toContain("namespace/default\n");
  });
});
