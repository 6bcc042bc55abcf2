/**
 * curl's own TLS: `--cacert` replaces the system store, `--cert`/`--key` present a client
 * certificate the apiserver authenticates, the chain and then the host name are checked, and
 * each failure is curl's message and exit code.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

type Shell = ReturnType<ReturnType<typeof createCluster>["shell"]>;

const SA = "/var/run/secrets/kubernetes.io/serviceaccount";
const PKI = "/etc/kubernetes/pki";

let sh: Shell;
beforeAll(async () => {
  sh = createCluster({ scenario: "single-node", seed: 5 }).shell();
  for (const line of ["kubectl run c --image=curlimages/curl -- sleep 3600", "kubectl wait --for=condition=Ready pod/c --timeout=60s"]) {
    expect((await sh.run(line)).exitCode).toBe(0);
  }
});

describe("curl --cacert from a pod, the way the Kubernetes docs reach the API", () => {
  it("trusts the service-account CA for the apiserver's names, and the token is the identity", async () => {
    const line = `kubectl exec c -- sh -c 'curl -sS --cacert ${SA}/ca.crt -H "Authorization: Bearer $(cat ${SA}/token)" https://kubernetes.default.svc/api/v1/namespaces/default/pods'`;
    const r = await sh.run(line);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: "Status", code: 403,
      message: 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
    });
    expect((await sh.run(`kubectl exec c -- curl -sS --cacert ${SA}/ca.crt https://kubernetes/healthz`)).stdout).toBe("ok");
    expect((await sh.run(`kubectl exec c -- curl -sS --cacert ${SA}/ca.crt https://10.96.0.1/healthz`)).stdout).toBe("ok");
  });

  it("without --cacert the system store has no cluster CA", async () => {
    const r = await sh.run("kubectl exec c -- curl -sS https://kubernetes.default.svc/healthz");
    expect(r.stderr).toMatch(/^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\n/);
    expect(r.exitCode).toBe(60);
  });

  it("cannot load a missing CA file: curl 8's words in the pod, 7.81's on the node", async () => {
    expect(await sh.run("kubectl exec c -- curl -sS --cacert /nope https://kubernetes.default.svc/healthz")).toMatchObject({
      stderr: "curl: (77) error setting certificate file: /nope\ncommand terminated with exit code 77\n",
      exitCode: 77,
    });
    expect(await sh.run("curl -sS --cacert /nope https://controlplane:6443/healthz")).toMatchObject({
      stderr: "curl: (77) error setting certificate verify locations:  CAfile: /nope CApath: /etc/ssl/certs\n",
      exitCode: 77,
    });
  });
});

describe("curl on the control plane with kubeadm's files", () => {
  it("refuses a server whose chain does not lead to the given CA", async () => {
    const r = await sh.run(`curl -sS --cacert ${PKI}/front-proxy-ca.crt https://controlplane:6443/healthz`);
    expect(r).toMatchObject({ stdout: "", exitCode: 60 });
    expect(r.stderr).toMatch(/^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\nMore details here/);
  });

  it("checks the host name after the chain: 127.0.0.1 is not in the apiserver's SANs", async () => {
    const r = await sh.run(`curl -sS --cacert ${PKI}/ca.crt https://127.0.0.1:6443/healthz`);
    expect(r).toMatchObject({ stdout: "", exitCode: 60 });
    expect(r.stderr).toMatch(/^curl: \(60\) SSL: no alternative certificate subject name matches target host name '127\.0\.0\.1'\n/);
    expect((await sh.run(`curl -sSk https://127.0.0.1:6443/healthz`)).stdout).toBe("ok");
  });

  it("presents a client certificate: the apiserver authenticates its CN and groups", async () => {
    const anonymous = await sh.run(`curl -s --cacert ${PKI}/ca.crt -o /dev/null -w '%{http_code}' https://controlplane:6443/api/v1/nodes`);
    expect(anonymous.stdout).toBe("403");
    const client = `--cert ${PKI}/apiserver-kubelet-client.crt --key ${PKI}/apiserver-kubelet-client.key`;
    const nodes = await sh.run(`curl -s --cacert ${PKI}/ca.crt ${client} https://controlplane:6443/api/v1/nodes`);
    expect(JSON.parse(nodes.stdout)).toMatchObject({ kind: "NodeList", items: [{ metadata: { name: "controlplane" } }] });
    const v = await sh.run(`curl -v --cacert ${PKI}/ca.crt ${client} -o /dev/null https://controlplane:6443/healthz`);
    expect(v.stderr).toContain("*  CAfile: /etc/kubernetes/pki/ca.crt\n");
    expect(v.stderr).toMatch(/\* {2}subject: CN=kube-apiserver\n\* {2}start date: \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT\n\* {2}expire date: .* GMT\n/);
    expect(v.stderr).toContain('*  subjectAltName: host "controlplane" matched cert\'s "controlplane"\n');
  });

  it("refuses a key that is not the certificate's, and a certificate file without a key", async () => {
    expect(await sh.run(`curl -sS --cacert ${PKI}/ca.crt --cert ${PKI}/apiserver-kubelet-client.crt --key ${PKI}/apiserver.key https://controlplane:6443/healthz`)).toMatchObject({
      stderr: "curl: (58) Private key does not match the certificate public key\n",
      exitCode: 58,
    });
    expect(await sh.run(`curl -sS --cacert ${PKI}/ca.crt --cert ${PKI}/apiserver-kubelet-client.crt https://controlplane:6443/healthz`)).toMatchObject({
      stderr: `curl: (58) unable to set private key file: '${PKI}/apiserver-kubelet-client.crt' type PEM\n`,
      exitCode: 58,
    });
  });
});
