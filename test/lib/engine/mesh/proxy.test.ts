// The sidecars on the wire: the application's connection redirected to Envoy and re-made as
// uid 1337, mutual TLS between two sidecars (x-forwarded-client-cert names the caller's
// SPIFFE identity, tcpdump between the pods sees no HTTP), PeerAuthentication PERMISSIVE
// accepting plain text from outside the mesh, STRICT resetting it (mesh-wide, namespace,
// workload, port level), DISABLE sending plain text even between sidecars.
import { describe, expect, it } from "vitest";
import { meshed } from "./fixtures";

const pa = (name: string, ns: string, body: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${body}`;

describe("traffic between sidecars", () => {
  it("is mutual TLS: the server sees the client's SPIFFE identity", async () => {
    const { curlFrom } = meshed();
    const r = await curlFrom("demo", "-s http://web/");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^RemoteAddr: 127\.0\.0\.6:\d+$/m);
    const xfcc = /^X-Forwarded-Client-Cert: (.*)$/m.exec(r.stdout)?.[1];
    expect(xfcc).toMatch(/^By=spiffe:\/\/cluster\.local\/ns\/demo\/sa\/default;Hash=[0-9a-f]{64};Subject="";URI=spiffe:\/\/cluster\.local\/ns\/demo\/sa\/sleep$/);
  });

  it("answers through Envoy: server: envoy and the upstream time", async () => {
    const { curlFrom } = meshed();
    const r = await curlFrom("demo", "-sI http://web/");
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toContain("server: envoy\r\n");
    expect(r.stdout).toMatch(/x-envoy-upstream-service-time: \d+\r\n/);
  });

  it("carries no plaintext HTTP between the pods, while a plaintext client's GET is visible", async () => {
    const { sh, curlFrom } = meshed();
    // tcpdump prints what the next command line put on the wire, after that line's output.
    await sh.run("ssh node02 tcpdump -i any -nn tcp port 80");
    const mesh = (await curlFrom("demo", "-s -o /dev/null http://web/")).stdout;
    expect(mesh).toMatch(/ IP 192\.168\.\d+\.\d+\.\d+ > 192\.168\.\d+\.\d+\.80: Flags \[P\.\], seq 1:\d+, .*length \d+\n/);
    expect(mesh).not.toContain("HTTP");
    await sh.run("ssh node02 tcpdump -i any -nn tcp port 80");
    const plain = (await curlFrom("legacy", "-s -o /dev/null http://web.demo/")).stdout;
    expect(plain).toContain(": HTTP: GET / HTTP/1.1\n");
  });

  it("redirects the application's connection to 15001 and lets the proxy's own (uid 1337) out", async () => {
    const { sh, curlFrom } = meshed();
    await curlFrom("demo", "-s -o /dev/null http://web/");
    const pid = (await sh.run("ssh node01 crictl inspect --output go-template --template '{{.info.pid}}' $(ssh node01 crictl ps --name curl -q)")).stdout.trim();
    const list = async (chain: string) => (await sh.run(`ssh node01 nsenter -t ${pid} -n iptables -t nat -L ${chain} -v -n`)).stdout;
    // The proxy's connection to web's pod matched the owner rule; the application's SYN was redirected to 15001.
    expect(await list("ISTIO_OUTPUT")).toMatch(/^\s+1\s+60 RETURN\s+all\s+--\s+\*\s+\*\s+0\.0\.0\.0\/0\s+0\.0\.0\.0\/0\s+owner UID match 1337\s*$/m);
    expect(await list("ISTIO_REDIRECT")).toMatch(/^\s+1\s+60 REDIRECT\s+tcp\s+--\s+\*\s+\*\s+0\.0\.0\.0\/0\s+0\.0\.0\.0\/0\s+redir ports 15001\s*$/m);
  });
});

describe("PeerAuthentication", () => {
  it("PERMISSIVE (no policy) accepts plain text from outside the mesh, without a client identity", async () => {
    const { curlFrom } = meshed();
    const r = await curlFrom("legacy", "-s http://web.demo/");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Hostname: web-");
    expect(r.stdout).not.toContain("X-Forwarded-Client-Cert");
  });

  it("STRICT in the namespace resets plain text and still serves mTLS", async () => {
    const { apply, curlFrom } = meshed();
    await apply(pa("default", "demo", "  mtls: { mode: STRICT }"));
    const r = await curlFrom("legacy", "-sS http://web.demo/");
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("curl: (56) Recv failure: Connection reset by peer\ncommand terminated with exit code 56\n");
    expect(r.exitCode).toBe(56);
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' http://web/")).stdout).toBe("200");
  });

  it("STRICT mesh-wide from istio-system, overridden by a workload's PERMISSIVE, and port by port", async () => {
    const { apply, curlFrom } = meshed();
    await apply(pa("default", "istio-system", "  mtls: { mode: STRICT }"));
    expect((await curlFrom("legacy", "-s http://web.demo/")).exitCode).toBe(56);
    await apply(pa("web", "demo", "  selector: { matchLabels: { app: web } }\n  mtls: { mode: PERMISSIVE }"));
    expect((await curlFrom("legacy", "-s -o /dev/null -w '%{http_code}' http://web.demo/")).stdout).toBe("200");
    await apply(pa("web", "demo", "  selector: { matchLabels: { app: web } }\n  mtls: { mode: PERMISSIVE }\n  portLevelMtls:\n    80: { mode: STRICT }"));
    expect((await curlFrom("legacy", "-s http://web.demo/")).exitCode).toBe(56);
  });

  it("DISABLE: sidecars talk plain text, and the server sees no client certificate", async () => {
    const { apply, curlFrom } = meshed();
    await apply(pa("default", "demo", "  mtls: { mode: DISABLE }"));
    const r = await curlFrom("demo", "-s http://web/");
    expect(r.stdout).toContain("Hostname: web-");
    expect(r.stdout).not.toContain("X-Forwarded-Client-Cert");
  });

  it("is validated as the CRD's schema says", async () => {
    const { sh } = meshed();
    const r = await sh.run(`kubectl apply -f - <<'EOF'\n${pa("bad", "demo", "  mtls: { mode: strict }")}\nEOF`);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('Unsupported value: "strict": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"');
  });
});
