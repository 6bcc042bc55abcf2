// Workload identity: real X.509 from istiod's root, one URI SAN per service account, 24 hours,
// verifying against istiod's root and failing against another CA; what a sidecar holds
// (istioctl proxy-config secret) is what the server saw (x-forwarded-client-cert's Hash), and is
// the certificate of the proxy's start however late it is first used (it is signed on first use).
import { describe, expect, it } from "vitest";
import { issueCertificate, keyPairFrom, parseCertificate, verifyCertificate } from "@/lib/engine/pki";
import { certificateHash, meshRoot, workloadIdentity } from "@/lib/engine/mesh";
import { meshed } from "./fixtures";

const T0 = Date.parse("2026-01-12T09:00:00Z");

describe("workload certificates", () => {
  const root = meshRoot(T0);
  const { certificate } = workloadIdentity(root, { namespace: "demo", serviceAccount: "sleep", pod: "sleep-1", issuedAt: T0 + 60_000 });

  it("name the service account as a SPIFFE id, with an empty subject, for 24 hours", () => {
    expect(certificate.uris).toEqual(["spiffe://cluster.local/ns/demo/sa/sleep"]);
    expect(certificate.subject.attributes).toEqual([]);
    expect(certificate.usages).toEqual(["serverAuth", "clientAuth"]);
    expect(certificate.isCA).toBe(false);
    expect(certificate.notAfter - certificate.notBefore).toBe(24 * 3600_000);
    expect(root.subject.attributes).toEqual([["O", "cluster.local"]]);
    expect(root.isCA).toBe(true);
  });

  it("verify against istiod's root and fail against another CA, or once expired", () => {
    expect(verifyCertificate(certificate, [root], T0 + 120_000).ok).toBe(true);
    const otherKey = keyPairFrom("another-ca");
    const other = issueCertificate({ subject: { commonName: "", organizations: ["cluster.local"] }, key: otherKey, serial: 7, notBefore: T0, notAfter: T0 + 3650 * 86400_000, isCA: true, usages: [] });
    const wrong = verifyCertificate(certificate, [other], T0 + 120_000);
    expect(wrong.ok).toBe(false);
    const expired = verifyCertificate(certificate, [root], T0 + 25 * 3600_000);
    expect(expired.ok).toBe(false);
  });

  it("are deterministic and differ per pod", () => {
    const again = workloadIdentity(root, { namespace: "demo", serviceAccount: "sleep", pod: "sleep-1", issuedAt: T0 + 60_000 });
    const other = workloadIdentity(root, { namespace: "demo", serviceAccount: "sleep", pod: "sleep-2", issuedAt: T0 + 60_000 });
    expect(again.certificate.pem).toBe(certificate.pem);
    expect(other.certificate.pem).not.toBe(certificate.pem);
    expect(other.certificate.uris).toEqual(certificate.uris);
  });
});

describe("in the cluster", () => {
  it("istioctl proxy-config secret shows the sidecar's chain and root; the server saw the same certificate", async () => {
    const { sh, curlFrom } = meshed();
    const pod = (await sh.run("kubectl get pods -n demo -l app=sleep -o jsonpath='{.items[0].metadata.name}'")).stdout;
    const table = await sh.run(`istioctl proxy-config secret ${pod}.demo`);
    expect(table.stdout).toMatch(/^RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER\s+NOT AFTER\s+NOT BEFORE\ndefault           Cert Chain     ACTIVE     true           [0-9a-f]+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nROOTCA            CA             ACTIVE     true           [0-9a-f]+\s+/);
    const json = JSON.parse((await sh.run(`istioctl proxy-config secret -n demo ${pod} -o json`)).stdout);
    const chain = Buffer.from(json.dynamicActiveSecrets[0].secret.tlsCertificate.certificateChain.inlineBytes, "base64").toString();
    const { parseCertificate } = await import("@/lib/engine/pki");
    const leaf = parseCertificate(chain);
    expect(leaf.uris).toEqual(["spiffe://cluster.local/ns/demo/sa/sleep"]);
    const xfcc = /Hash=([0-9a-f]{64})/.exec((await curlFrom("demo", "-s http://web/")).stdout)?.[1];
    expect(xfcc).toBe(certificateHash(leaf));
    // The root every namespace gets is istiod's.
    const rootPem = (await sh.run("kubectl get configmap istio-ca-root-cert -n demo -o jsonpath='{.data.root-cert\\.pem}'")).stdout;
    expect(verifyCertificate(leaf, [parseCertificate(rootPem)], leaf.notBefore + 1000).ok).toBe(true);
  });

  it("a sidecar's certificate is the one of its start, however late the first handshake that needs it comes", async () => {
    const { sh, curlFrom } = meshed();
    const pod = (await sh.run("kubectl get pods -n demo -l app=sleep -o jsonpath='{.items[0].metadata.name}'")).stdout;
    const started = Date.parse((await sh.run(`kubectl get pod -n demo ${pod} -o jsonpath='{.status.containerStatuses[?(@.name=="istio-proxy")].state.running.startedAt}'`)).stdout);
    await sh.run("sleep 7200");
    // The first mTLS connection, two hours on: the server saw a certificate signed for the proxy's start.
    const hash = /Hash=([0-9a-f]{64})/.exec((await curlFrom("demo", "-s http://web/")).stdout)?.[1];
    const rootPem = (await sh.run("kubectl get configmap istio-ca-root-cert -n demo -o jsonpath='{.data.root-cert\\.pem}'")).stdout;
    const eager = workloadIdentity(parseCertificate(rootPem), { namespace: "demo", serviceAccount: "sleep", pod, issuedAt: started }).certificate;
    expect(hash).toBe(certificateHash(eager));
    expect(eager.notBefore).toBe(started);
    const table = (await sh.run(`istioctl proxy-config secret ${pod}.demo`)).stdout;
    expect(table).toContain(` ${eager.serial.toString(16)} `);
    expect(table).toContain(` ${new Date(started).toISOString().replace(".000Z", "Z")}\n`);
  });
});
