// `openssl` against certificates made by lib/engine/pki, compared with what the real OpenSSL 3
// printed for the same files (fixtures/*.txt were recorded with `openssl x509|verify` on these
// PEMs), and `s_client` over the cluster's network against the apiserver and a kubelet.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster, type Shell } from "@/lib/engine";

const FIXTURES = `${__dirname}/../fixtures`;
const fixture = (name: string) => readFileSync(`${FIXTURES}/${name}`, "utf8");
const KINDS = ["ca", "apiserver", "etcd-server", "front-proxy-client", "kubelet", "admin"];

let sh: Shell;

beforeAll(() => {
  const cluster = createCluster({ scenario: "three-node-flannel", seed: 1 });
  const fs = cluster.internals.nodes.get("controlplane")!.fs;
  for (const name of [...KINDS.map((k) => `${k}.crt`), "etcd-ca.crt"]) fs.writeFile(`/root/fx/${name}`, fixture(name), { parents: true });
  sh = cluster.shell();
});

describe("openssl x509", () => {
  it.each(KINDS)("prints %s.crt with -text exactly as OpenSSL 3 does", async (kind) => {
    const r = await sh.run(`openssl x509 -in /root/fx/${kind}.crt -noout -text`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(fixture(`${kind}.text.txt`));
  });

  it("prints fields in the order asked: -subject -issuer -dates -serial -fingerprint", async () => {
    expect((await sh.run("openssl x509 -in /root/fx/admin.crt -noout -subject -issuer -dates -serial -fingerprint")).stdout).toBe(fixture("admin.fields.txt"));
    expect((await sh.run("openssl x509 -in /root/fx/apiserver.crt -noout -ext subjectAltName,keyUsage")).stdout).toBe(fixture("apiserver.ext.txt"));
    expect((await sh.run("openssl x509 -in /root/fx/apiserver.crt -noout -pubkey -sha256 -fingerprint")).stdout).toBe(fixture("apiserver.pubkey.txt"));
  });

  it("reads standard input and prints the certificate without -noout", async () => {
    const r = await sh.run("cat /root/fx/ca.crt | openssl x509 -subject");
    expect(r.stdout).toBe(`subject=CN = kubernetes\n${fixture("ca.crt")}`);
  });

  it("fails as OpenSSL does on a missing file, a file without a certificate, and bad options", async () => {
    const missing = await sh.run("openssl x509 -in nope.crt -noout -text");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^Could not open file or uri for loading certificate from nope.crt\n.*unregistered scheme.*\n.*No such file or directory.*calling stat\(nope.crt\)\nUnable to load certificate\n$/);
    const key = await sh.run("openssl x509 -in /etc/kubernetes/pki/ca.key -noout");
    expect(key.stderr).toMatch(/^Could not read certificate from \/etc\/kubernetes\/pki\/ca.key\n.*ossl_store_handle_load_result:unsupported.*\nUnable to load certificate\n$/);
    expect((await sh.run("openssl x509 -bogus")).stderr).toBe("x509: Unknown option: -bogus\nx509: Use -help for summary.\n");
    expect((await sh.run("openssl x509 -in")).stderr).toBe("x509: Option -in needs a value\nx509: Use -help for summary.\n");
    expect((await sh.run("openssl frobnicate")).stderr).toBe("Invalid command 'frobnicate'; type \"help\" for a list.\n");
  });

  it("answers -checkend against the virtual clock", async () => {
    expect(await sh.run("openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -checkend 86400")).toMatchObject({ stdout: "Certificate will not expire\n", exitCode: 0 });
    expect(await sh.run("openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -checkend 31536000")).toMatchObject({ stdout: "Certificate will expire\n", exitCode: 1 });
  });
});

describe("openssl verify", () => {
  it("says OK for certificates their CA signed", async () => {
    const r = await sh.run("cd /etc/kubernetes/pki && openssl verify -CAfile ca.crt apiserver.crt apiserver-kubelet-client.crt && openssl verify -CAfile etcd/ca.crt etcd/server.crt etcd/peer.crt");
    expect(r.stdout).toBe("apiserver.crt: OK\napiserver-kubelet-client.crt: OK\netcd/server.crt: OK\netcd/peer.crt: OK\n");
  });

  it("prints OpenSSL 3's errors for another CA and for an expired certificate", async () => {
    const wrong = await sh.run("cd /root/fx && openssl verify -CAfile ca.crt etcd-server.crt");
    expect(wrong).toMatchObject({ stdout: "", stderr: fixture("verify-wrong-ca.stderr.txt"), exitCode: 2 });
    const expired = await sh.run("cd /root/fx && openssl verify -attime 1800000000 -CAfile ca.crt apiserver.crt");
    expect(expired).toMatchObject({ stdout: "", stderr: fixture("verify-expired.stderr.txt"), exitCode: 2 });
    expect((await sh.run("openssl verify /etc/kubernetes/pki/ca.crt")).stderr).toBe("CN = kubernetes\nerror 18 at 0 depth lookup: self-signed certificate\nerror /etc/kubernetes/pki/ca.crt: verification failed\n");
  });
});

describe("openssl s_client", () => {
  it("shows the apiserver's certificate and verifies it with the cluster CA", async () => {
    const r = await sh.run("openssl s_client -connect controlplane:6443 -CAfile /etc/kubernetes/pki/ca.crt");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("depth=1 CN = kubernetes\nverify return:1\ndepth=0 CN = kube-apiserver\nverify return:1\nDONE\n");
    expect(r.stdout).toContain("---\nCertificate chain\n 0 s:CN = kube-apiserver\n   i:CN = kubernetes\n   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256\n");
    expect(r.stdout).toContain("Acceptable client certificate CA names\nCN = kubernetes\n");
    expect(r.stdout).toContain("Verification: OK\n");
    expect(r.stdout).toContain("Verify return code: 0 (ok)\n");
  });

  it("cannot verify the apiserver without the CA, nor a kubelet's self-signed chain", async () => {
    const apiserver = await sh.run("openssl s_client -connect controlplane:6443");
    expect(apiserver.stderr).toContain("depth=0 CN = kube-apiserver\nverify error:num=20:unable to get local issuer certificate\nverify return:1\ndepth=0 CN = kube-apiserver\nverify error:num=21:unable to verify the first certificate\n");
    expect(apiserver.stdout).toContain("Verify return code: 21 (unable to verify the first certificate)\n");
    const kubelet = await sh.run("openssl s_client -connect 172.30.1.3:10250 -CAfile /etc/kubernetes/pki/ca.crt");
    expect(kubelet.stderr).toMatch(/^Can't use SSL_get_servername\ndepth=1 CN = node01-ca@\d+\nverify error:num=19:self-signed certificate in certificate chain\n/);
    expect(kubelet.stdout).toMatch(/ 0 s:CN = node01@\d+\n   i:CN = node01-ca@\d+\n/);
    expect(kubelet.stdout).toContain("Verify return code: 19 (self-signed certificate in certificate chain)\n");
  });

  it("fails to connect where nothing listens", async () => {
    const r = await sh.run("openssl s_client -connect 172.30.1.3:6443");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BIO_connect:Connection refused:.*\n.*BIO_connect:connect error:.*\nconnect:errno=111\n$/);
  });
});
