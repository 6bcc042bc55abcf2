// ingress-nginx in a cluster, as a learner meets it: the add-on's objects, Ingresses applied with
// kubectl, requests from the `client` machine to the controller's LoadBalancer address (Host
// header and --resolve), the controller proxying to pod IPs, its access log and nginx.conf,
// allowlists, rewrites, TLS by SNI, and Ingresses it must ignore. One boot, a fork per test.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { issueCertificate, keyPairFrom, privateKeyPem } from "@/lib/engine/pki";

const SPEC = {
  base: "three-node-calico",
  addons: ["coredns" as const, "ingress-nginx" as const],
  manifests: ["coffee", "tea"].map((app) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app} }
spec:
  replicas: ${app === "coffee" ? 2 : 1}
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec:
      containers:
      - { name: whoami, image: traefik/whoami:v1.10, ports: [{ containerPort: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: ${app} }
spec:
  selector: { app: ${app} }
  ports: [{ port: 80, targetPort: 80 }]
`).join("---\n"),
};

const LB = "172.30.1.240";

/** An Ingress manifest. */
function ingressYaml(name: string, body: string, annotations: Record<string, string> = {}): string {
  const ann = Object.entries(annotations).map(([k, v]) => `\n    ${k}: "${v}"`).join("");
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}${ann ? `\n  annotations:${ann}` : ""}\nspec:\n${body}`;
}

const CAFE = `  ingressClassName: nginx
  rules:
  - host: cafe.example.com
    http:
      paths:
      - path: /coffee
        pathType: Prefix
        backend: { service: { name: coffee, port: { number: 80 } } }
      - path: /tea
        pathType: Exact
        backend: { service: { name: tea, port: { number: 80 } } }
`;

async function cluster(...manifests: string[]) {
  const handle = createCluster({ spec: SPEC, seed: 3 });
  const sh = handle.shell();
  for (const [i, m] of manifests.entries()) {
    const r = await sh.run(`cat > /root/m${i}.yaml <<'EOF'\n${m}\nEOF\nkubectl apply -f /root/m${i}.yaml`);
    expect(r.exitCode, r.stderr).toBe(0);
  }
  const client = async (line: string) => {
    await sh.run("ssh client");
    const r = await sh.run(line);
    await sh.run("exit");
    return r;
  };
  return { handle, sh, client };
}

/** The pod name whoami answered with. */
const hostname = (body: string) => /^Hostname: (\S+)/m.exec(body)?.[1] ?? "";

describe("the ingress-nginx add-on", () => {
  it("installs the controller Deployment, its LoadBalancer Service and the nginx IngressClass", async () => {
    const { sh } = await cluster();
    expect((await sh.run("kubectl get deploy -n ingress-nginx")).stdout).toMatch(/^ingress-nginx-controller\s+1\/1\s+1\s+1/m);
    expect((await sh.run("kubectl get svc -n ingress-nginx ingress-nginx-controller")).stdout).toMatch(new RegExp(`LoadBalancer\\s+\\S+\\s+${LB.replace(/\./g, "\\.")}\\s+80:\\d+/TCP,443:\\d+/TCP`));
    expect((await sh.run("kubectl get ingressclass")).stdout).toBe("NAME    CONTROLLER             PARAMETERS   AGE\nnginx   k8s.io/ingress-nginx   <none>       8m\n");
    const logs = (await sh.run("kubectl logs -n ingress-nginx deploy/ingress-nginx-controller")).stdout;
    expect(logs).toContain("  Release:       v1.12.0");
    expect(logs).toContain('"Starting NGINX Ingress controller"');
  });

  it("answers with its own 404 before any Ingress exists", async () => {
    const { client } = await cluster();
    const r = await client(`curl -si http://${LB}/`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 404 Not Found\r\nDate: .+\r\nContent-Type: text\/html\r\nContent-Length: 146\r\nConnection: keep-alive\r\n\r\n<html>\r\n<head><title>404 Not Found<\/title><\/head>\r\n<body>\r\n<center><h1>404 Not Found<\/h1><\/center>\r\n<hr><center>nginx<\/center>\r\n/);
  });
});

describe("routing through the controller", () => {
  it("routes by Host header and path to the Service's pods, round robin over pod IPs", async () => {
    const { client, sh } = await cluster(ingressYaml("cafe", CAFE));
    const pods = (await sh.run("kubectl get pods -l app=coffee -o custom-columns=NAME:.metadata.name --no-headers")).stdout.trim().split("\n").sort();
    const first = await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/coffee`);
    const second = await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/coffee/latte`);
    expect([hostname(first.stdout), hostname(second.stdout)].sort()).toEqual(pods);
    expect(second.stdout).toMatch(/^GET \/coffee\/latte HTTP\/1\.1\r?\nHost: cafe\.example\.com\r?$/m);
    expect(second.stdout).toContain("X-Forwarded-For: 172.30.1.100");
    expect(hostname((await client(`curl -s --resolve cafe.example.com:80:${LB} http://cafe.example.com/tea`)).stdout)).toMatch(/^tea-/);
    // Exact /tea: /tea/ is not it; another host has no such paths at all.
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: cafe.example.com' http://${LB}/tea/`)).stdout).toBe("404");
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: other.example.com' http://${LB}/coffee`)).stdout).toBe("404");
  });

  it("publishes the controller's LoadBalancer address on the Ingresses it serves", async () => {
    const { sh } = await cluster(ingressYaml("cafe", CAFE));
    await sh.run("sleep 1");
    expect((await sh.run("kubectl get ingress cafe")).stdout).toBe(`NAME   CLASS   HOSTS              ADDRESS        PORTS   AGE\ncafe   nginx   cafe.example.com   ${LB}   80      1s\n`);
    // An Ingress it does not serve gets no address.
    await sh.run("kubectl create ingress other --class=traefik --rule='other.example.com/*=tea:80' && sleep 1");
    expect((await sh.run("kubectl get ingress other --no-headers")).stdout).toMatch(/^other\s+traefik\s+other\.example\.com\s+80\s+1s\n$/);
  });

  it("connects to the endpoint's pod IP from the controller pod, not to the ClusterIP", async () => {
    const { client, sh } = await cluster(ingressYaml("cafe", CAFE));
    const controllerIP = (await sh.run("kubectl get pods -n ingress-nginx -o jsonpath='{.items[0].status.podIP}'")).stdout;
    const r = await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/tea`);
    expect(r.stdout).toMatch(new RegExp(`^RemoteAddr: ${controllerIP.replace(/\./g, "\\.")}:\\d+$`, "m"));
    const teaIP = (await sh.run("kubectl get pods -l app=tea -o jsonpath='{.items[0].status.podIP}'")).stdout;
    const log = (await sh.run("kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail=1")).stdout;
    expect(log).toMatch(new RegExp(`^172\\.30\\.1\\.100 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "GET /tea HTTP/1\\.1" 200 \\d+ "-" "curl/7\\.81\\.0" \\d+ \\d\\.\\d{3} \\[default-tea-80\\] \\[\\] ${teaIP.replace(/\./g, "\\.")}:80 \\d+ \\d\\.\\d{3} 200 [0-9a-f]{32}\\n$`));
  });

  it("merges several Ingresses for one host", async () => {
    const coffee = "  ingressClassName: nginx\n  rules:\n  - host: cafe.example.com\n    http:\n      paths:\n      - { path: /coffee, pathType: Prefix, backend: { service: { name: coffee, port: { number: 80 } } } }\n";
    const tea = "  ingressClassName: nginx\n  rules:\n  - host: cafe.example.com\n    http:\n      paths:\n      - { path: /tea, pathType: Prefix, backend: { service: { name: tea, port: { number: 80 } } } }\n";
    const { client, sh } = await cluster(ingressYaml("coffee", coffee), ingressYaml("tea", tea));
    expect(hostname((await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/coffee`)).stdout)).toMatch(/^coffee-/);
    expect(hostname((await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/tea`)).stdout)).toMatch(/^tea-/);
    const conf = (await sh.run("kubectl exec -n ingress-nginx deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf")).stdout;
    expect(conf.match(/## start server cafe\.example\.com/g)).toHaveLength(1);
    expect(conf).toContain('\t\tlocation /coffee/ {\n\n\t\t\tset $namespace      "default";\n\t\t\tset $ingress_name   "coffee";\n\t\t\tset $service_name   "coffee";');
    expect(conf).toContain("\t\tlocation = /tea {");
  });

  it("ignores an Ingress without a class or of another class, as upstream does", async () => {
    const noClass = CAFE.replace("  ingressClassName: nginx\n", "");
    const other = CAFE.replace("ingressClassName: nginx", "ingressClassName: traefik");
    const { client, sh } = await cluster(ingressYaml("noclass", noClass), ingressYaml("other", other));
    expect((await sh.run("kubectl get ingress")).stdout).toMatch(/^noclass\s+<none>\s+cafe\.example\.com/m);
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: cafe.example.com' http://${LB}/coffee`)).stdout).toBe("404");
    expect((await sh.run("kubectl exec -n ingress-nginx deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf")).stdout).not.toContain("cafe.example.com");
    // Making nginx the default class does not adopt existing Ingresses; a new one gets the class at admission.
    await sh.run(`kubectl annotate ingressclass nginx ingressclass.kubernetes.io/is-default-class=true`);
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: cafe.example.com' http://${LB}/coffee`)).stdout).toBe("404");
    await sh.run(`kubectl delete ingress noclass && kubectl apply -f /root/m0.yaml`);
    expect((await sh.run("kubectl get ingress noclass -o jsonpath='{.spec.ingressClassName}'")).stdout).toBe("nginx");
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: cafe.example.com' http://${LB}/coffee`)).stdout).toBe("200");
  });

  it("answers 503 when the Service has no ready endpoints", async () => {
    const { client, sh } = await cluster(ingressYaml("cafe", CAFE));
    await sh.run("kubectl scale deploy tea --replicas=0 && sleep 2");
    const r = await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/tea`);
    expect(r.stdout).toContain("<head><title>503 Service Temporarily Unavailable</title></head>");
  });

  it("answers 502 when the pods refuse the connection (a targetPort nobody listens on)", async () => {
    const body = "  ingressClassName: nginx\n  rules:\n  - host: cafe.example.com\n    http:\n      paths:\n      - { path: /, pathType: Prefix, backend: { service: { name: wrong, port: { number: 80 } } } }\n";
    const svc = "apiVersion: v1\nkind: Service\nmetadata: { name: wrong }\nspec:\n  selector: { app: tea }\n  ports: [{ port: 80, targetPort: 8080 }]";
    const { client, sh } = await cluster(svc, ingressYaml("wrong", body));
    await sh.run("sleep 2");
    const r = await client(`curl -si -H 'Host: cafe.example.com' http://${LB}/`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect((await sh.run("kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail=1")).stdout).toMatch(/\[default-wrong-80\] \[\] \S+:8080 0 \d\.\d{3} 502 /);
  });

  it("is deterministic: the same requests on two forks give the same bytes", async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const { client, sh } = await cluster(ingressYaml("cafe", CAFE));
      const out = [];
      for (const path of ["/coffee", "/coffee/x", "/tea", "/nope"]) out.push((await client(`curl -si -H 'Host: cafe.example.com' http://${LB}${path}`)).stdout);
      out.push((await sh.run("kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail=4")).stdout);
      runs.push(out.join("\n"));
    }
    expect(runs[1]).toBe(runs[0]);
  });
});

describe("annotations", () => {
  it("allowlist-source-range lets listed clients in and answers 403 to others", async () => {
    const { client, sh } = await cluster(ingressYaml("cafe", CAFE, { "nginx.ingress.kubernetes.io/allowlist-source-range": "10.0.0.0/8" }));
    const denied = await client(`curl -si -H 'Host: cafe.example.com' http://${LB}/tea`);
    expect(denied.stdout).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(denied.stdout).toContain("<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>");
    await sh.run("kubectl annotate ingress cafe --overwrite nginx.ingress.kubernetes.io/allowlist-source-range=172.30.1.100/32");
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: cafe.example.com' http://${LB}/tea`)).stdout).toBe("200");
    expect((await sh.run("kubectl exec -n ingress-nginx deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf")).stdout).toContain("\t\t\tallow 172.30.1.100/32;\n\t\t\tdeny all;");
  });

  it("the old whitelist-source-range name works the same", async () => {
    const { client } = await cluster(ingressYaml("cafe", CAFE, { "nginx.ingress.kubernetes.io/whitelist-source-range": "192.168.0.0/16" }));
    expect((await client(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: cafe.example.com' http://${LB}/tea`)).stdout).toBe("403");
  });

  it("rewrite-target replaces the path with capture groups of the regex path", async () => {
    const body = "  ingressClassName: nginx\n  rules:\n  - host: rewrite.example.com\n    http:\n      paths:\n      - path: /something(/|$)(.*)\n        pathType: ImplementationSpecific\n        backend: { service: { name: tea, port: { number: 80 } } }\n";
    const { client } = await cluster(ingressYaml("rewrite", body, { "nginx.ingress.kubernetes.io/use-regex": "true", "nginx.ingress.kubernetes.io/rewrite-target": "/$2" }));
    expect((await client(`curl -s -H 'Host: rewrite.example.com' 'http://${LB}/something/new?x=1'`)).stdout).toContain("GET /new?x=1 HTTP/1.1");
    expect((await client(`curl -s -H 'Host: rewrite.example.com' http://${LB}/something`)).stdout).toContain("GET / HTTP/1.1");
  });
});

describe("TLS", () => {
  const key = keyPairFrom("ingress-test-cafe");
  const cert = issueCertificate({ subject: { commonName: "cafe.example.com" }, key, serial: 7, notBefore: Date.UTC(2026, 0, 1), notAfter: Date.UTC(2027, 0, 1), usages: ["serverAuth"], dnsNames: ["cafe.example.com"] });
  const tls = `${CAFE}  tls:\n  - hosts: [cafe.example.com]\n    secretName: cafe-tls\n`;

  async function tlsCluster() {
    const c = await cluster();
    await c.sh.run(`cat > /root/tls.crt <<'EOF'\n${cert.pem.trim()}\nEOF`);
    await c.sh.run(`cat > /root/tls.key <<'EOF'\n${privateKeyPem(key).trim()}\nEOF`);
    expect((await c.sh.run("kubectl create secret tls cafe-tls --cert=/root/tls.crt --key=/root/tls.key")).exitCode).toBe(0);
    await c.sh.run(`cat > /root/ing.yaml <<'EOF'\n${ingressYaml("cafe", tls)}\nEOF\nkubectl apply -f /root/ing.yaml`);
    return c;
  }

  it("terminates TLS with the Secret's certificate for its SNI name", async () => {
    const { client } = await tlsCluster();
    const r = await client(`curl -skv --resolve cafe.example.com:443:${LB} https://cafe.example.com/tea`);
    expect(r.stderr).toContain("*  subject: CN=cafe.example.com");
    expect(hostname(r.stdout)).toMatch(/^tea-/);
    expect(r.stdout).toContain("X-Forwarded-Proto: https");
    expect(r.stderr).toContain("< Strict-Transport-Security: max-age=31536000; includeSubDomains");
    // Not trusted without -k: the certificate is self-signed.
    expect((await client(`curl -s --resolve cafe.example.com:443:${LB} https://cafe.example.com/tea`)).exitCode).toBe(60);
  });

  it("serves the fake certificate to other names and to clients without SNI", async () => {
    const { client } = await tlsCluster();
    for (const line of [`curl -skv -H 'Host: cafe.example.com' https://${LB}/tea`, `curl -skv --resolve other.example.com:443:${LB} https://other.example.com/`]) {
      expect((await client(line)).stderr).toContain("*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate");
    }
  });

  it("redirects plain HTTP to HTTPS for a TLS host (308)", async () => {
    const { client } = await tlsCluster();
    const r = await client(`curl -si -H 'Host: cafe.example.com' http://${LB}/tea?x=1`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 308 Permanent Redirect\r\nDate: .+\r\nContent-Type: text\/html\r\nContent-Length: 164\r\nLocation: https:\/\/cafe\.example\.com\/tea\?x=1\r\nConnection: keep-alive\r\n/);
  });

  it("keeps serving plain HTTP for an Ingress with ssl-redirect: \"false\"", async () => {
    const { client, sh } = await tlsCluster();
    await sh.run("kubectl annotate ingress cafe nginx.ingress.kubernetes.io/ssl-redirect=false");
    expect(hostname((await client(`curl -s -H 'Host: cafe.example.com' http://${LB}/tea`)).stdout)).toMatch(/^tea-/);
  });
});
