// Real X.509 from lib/engine/pki: certificates verify against the CA that signed them and fail
// against another, carry their SANs and usages, expire, and come out byte for byte the same for
// the same inputs (the engine is deterministic).
import { describe, expect, it } from "vitest";
import {
  clientIdentity, hostnameError, issueCertificate, keyPairFrom, parseCertificate, parseDer, parsePrivateKeyPem, pemBlocks,
  privateKeyPem, publicKeyPem, serverVerificationError, verifyCertificate, type Certificate, type KeyPair,
} from "@/lib/engine/pki";

const T0 = Date.parse("2026-01-12T08:52:00Z");
const YEAR = 365 * 24 * 3600_000;

function ca(label: string, commonName = "kubernetes"): { certificate: Certificate; key: KeyPair } {
  const key = keyPairFrom(label);
  return { certificate: issueCertificate({ subject: { commonName }, key, serial: 1n, notBefore: T0, notAfter: T0 + 10 * YEAR, isCA: true, usages: [], dnsNames: [commonName] }), key };
}

const root = ca("test/ca");
const apiserver = issueCertificate({
  subject: { commonName: "kube-apiserver" }, key: keyPairFrom("test/apiserver"), serial: 0x38ec8966354031f6n, notBefore: T0, notAfter: T0 + YEAR,
  usages: ["serverAuth"], dnsNames: ["controlplane", "kubernetes"], ipAddresses: ["10.96.0.1", "172.30.1.2"],
}, root);
const admin = issueCertificate({
  subject: { commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"] }, key: keyPairFrom("test/admin"), serial: 7n,
  notBefore: T0, notAfter: T0 + YEAR, usages: ["clientAuth"],
}, root);

describe("keys", () => {
  it("derives the same P-256 key from the same label, another from another", () => {
    expect(keyPairFrom("a").privateKey).toEqual(keyPairFrom("a").privateKey);
    expect(keyPairFrom("a").privateKey).not.toEqual(keyPairFrom("b").privateKey);
    expect(keyPairFrom("a").publicKey).toHaveLength(65);
  });

  it("writes the key as SEC 1 EC PRIVATE KEY and reads it back; sa.pub is a PKIX PUBLIC KEY", () => {
    const key = keyPairFrom("test/sa");
    const pem = privateKeyPem(key);
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE/);
    expect(parsePrivateKeyPem(pem)?.publicKey).toEqual(key.publicKey);
    expect(pemBlocks(publicKeyPem(key))[0]).toMatchObject({ label: "PUBLIC KEY" });
    expect(parsePrivateKeyPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).toBeUndefined();
  });
});

describe("certificates", () => {
  it("parse back to what was issued: names, SANs, usages, validity, CA flag", () => {
    const parsed = parseDer(apiserver.der);
    for (const c of [apiserver, parsed]) {
      expect(c.subject.commonName).toBe("kube-apiserver");
      expect(c.issuer.attributes).toEqual([["CN", "kubernetes"]]);
      expect(c.dnsNames).toEqual(["controlplane", "kubernetes"]);
      expect(c.ipAddresses).toEqual(["10.96.0.1", "172.30.1.2"]);
      expect(c.usages).toEqual(["serverAuth"]);
      expect(c.keyUsage).toEqual(["digitalSignature"]);
      expect(c.isCA).toBe(false);
      expect(c.notAfter).toBe(T0 + YEAR);
      expect(c.serial).toBe(0x38ec8966354031f6n);
    }
    expect(parsed.authorityKeyId).toEqual(root.certificate.subjectKeyId);
    expect(parsed.extensions).toEqual(apiserver.extensions);
    expect(parseDer(root.certificate.der)).toMatchObject({ isCA: true, keyUsage: ["digitalSignature", "keyCertSign"], dnsNames: ["kubernetes"] });
    expect(parseCertificate(admin.pem).subject.attributes).toEqual([["O", "kubeadm:cluster-admins"], ["CN", "kubernetes-admin"]]);
  });

  it("are deterministic: the same request, the same bytes", () => {
    const again = issueCertificate({
      subject: { commonName: "kube-apiserver" }, key: keyPairFrom("test/apiserver"), serial: 0x38ec8966354031f6n, notBefore: T0, notAfter: T0 + YEAR,
      usages: ["serverAuth"], dnsNames: ["controlplane", "kubernetes"], ipAddresses: ["10.96.0.1", "172.30.1.2"],
    }, ca("test/ca"));
    expect(again.pem).toBe(apiserver.pem);
  });

  it("verify against their CA and fail against another, with Go's texts", () => {
    expect(verifyCertificate(apiserver, [root.certificate], T0 + 1000)).toMatchObject({ ok: true });
    expect(verifyCertificate(apiserver, [ca("other/ca").certificate], T0 + 1000)).toEqual({
      ok: false, reason: "bad-signature",
      error: 'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "kubernetes")',
    });
    expect(verifyCertificate(apiserver, [ca("etcd/ca", "etcd-ca").certificate], T0 + 1000)).toEqual({ ok: false, reason: "unknown-authority", error: "x509: certificate signed by unknown authority" });
  });

  it("expire: valid through notAfter, refused after it and before notBefore", () => {
    expect(verifyCertificate(admin, [root.certificate], T0 + YEAR).ok).toBe(true);
    expect(verifyCertificate(admin, [root.certificate], T0 + YEAR + 1000)).toEqual({
      ok: false, reason: "expired", error: "x509: certificate has expired or is not yet valid: current time 2027-01-12T08:52:01Z is after 2027-01-12T08:52:00Z",
    });
    expect(verifyCertificate(admin, [root.certificate], T0 - 1000)).toMatchObject({ reason: "not-yet-valid" });
  });
});

describe("a Go TLS client's view", () => {
  it("checks the host against the SANs after the chain", () => {
    expect(serverVerificationError(apiserver, [root.certificate], "172.30.1.2", T0 + 1)).toBeUndefined();
    expect(serverVerificationError(apiserver, [root.certificate], "kubernetes", T0 + 1)).toBeUndefined();
    expect(serverVerificationError(apiserver, [root.certificate], "127.0.0.1", T0 + 1)).toBe("tls: failed to verify certificate: x509: certificate is valid for 10.96.0.1, 172.30.1.2, not 127.0.0.1");
    expect(serverVerificationError(apiserver, [], "172.30.1.2", T0 + 1)).toBe("tls: failed to verify certificate: x509: certificate signed by unknown authority");
    expect(hostnameError(apiserver, "web.example")).toBe("x509: certificate is valid for controlplane, kubernetes, not web.example");
    expect(hostnameError(admin, "10.0.0.1")).toBe("x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs");
  });

  it("reads a client certificate's identity as the apiserver's x509 authenticator does", () => {
    expect(clientIdentity(admin)).toEqual({ user: "kubernetes-admin", groups: ["kubeadm:cluster-admins"] });
  });
});
