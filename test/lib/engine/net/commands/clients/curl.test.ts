// curl through the packet walker: what it prints (body, -v, -I, -w, errors with their exit
// codes), the time it takes on the virtual clock, and what the servers log about it — the
// client address they really saw (a pod's own, a node's after SNAT, the client host's when
// externalTrafficPolicy is Local).
import { beforeAll, describe, expect, it } from "vitest";
import { lab } from "./helpers";

type Lab = Awaited<ReturnType<typeof lab>>;

/** A CLF access-log line's client address and request, as nginx writes it. */
const ACCESS = /^(\S+) - - \[\d\d\/Jan\/2026:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "(curl\/[\d.]+)" "-"$/;

describe("curl on flannel", () => {
  let l: Lab;
  let web: { name: string; ip: string; node: string }[];
  beforeAll(async () => {
    l = await lab("flannel");
    web = await l.webPods();
  });

  it("fetches nginx's welcome page through a Service, and nginx logs the client pod's own address", async () => {
    const svc = await l.svcIP("web");
    const client = await l.podIP("client");
    const r = await l.run(`kubectl exec client -- curl -s http://${svc}/`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!<\/title>/);
    expect(r.stdout.length).toBe(615);
    const logs = (await l.run("kubectl logs -l app=web --tail=1")).stdout.split("\n").filter((line) => ACCESS.test(line));
    expect(logs).toHaveLength(1);
    expect(ACCESS.exec(logs[0])!.slice(1)).toEqual([client, "curl/8.11.1"]);
  });

  it("prints curl 7.81's -v trace with the request and nginx's response headers", async () => {
    const pod = web.find((p) => p.node === "node02")!;
    const r = await l.run(`curl -v http://${pod.ip}/nope`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.replace(/^< Date: .*$/m, "< Date: D")).toBe(
      [
        `*   Trying ${pod.ip}:80...`,
        `* Connected to ${pod.ip} (${pod.ip}) port 80 (#0)`,
        "> GET /nope HTTP/1.1",
        `> Host: ${pod.ip}`,
        "> User-Agent: curl/7.81.0",
        "> Accept: */*",
        "> ",
        "< HTTP/1.1 404 Not Found",
        "< Server: nginx/1.27.5",
        "< Date: D",
        "< Content-Type: text/html",
        "< Content-Length: 153",
        "< Connection: keep-alive",
        "< ",
        `* Connection #0 to host ${pod.ip} left intact`,
        "",
      ].join("\n"),
    );
    expect(r.stdout).toBe("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>\r\n");
    // With the body on the terminal, the trace and the body interleave as curl writes them.
    expect(r.output.indexOf("<html>")).toBeLessThan(r.output.indexOf("* Connection #0"));
  });

  it("answers HEAD with the image file's Last-Modified and ETag", async () => {
    const r = await l.run(`curl -sI ${web[0].ip}`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\nDate: \w{3}, \d\d \w{3} 2026 \d\d:\d\d:\d\d GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\nLast-Modified: Wed, 16 Apr 2025 12:55:34 GMT\r\nConnection: keep-alive\r\nETag: "67ffa8c6-267"\r\nAccept-Ranges: bytes\r\n\r\n$/);
  });

  it("serves the page a learner writes into the container", async () => {
    const pod = web[0].name;
    await l.run(`kubectl exec ${pod} -- cp /usr/share/nginx/html/index.html /tmp/welcome.html`);
    await l.run(`kubectl exec ${pod} -- sh -c 'echo hello > /usr/share/nginx/html/index.html'`);
    expect((await l.run(`curl -s ${web[0].ip}`)).stdout).toBe("hello\n");
    const r = await l.run(`curl -si ${web[0].ip}/ | grep -E 'Content-Length|ETag'`);
    expect(r.stdout).toMatch(/^Content-Length: 6\r\nETag: "[0-9a-f]{8}-6"\r\n$/);
    expect((await l.run(`curl -si ${web[0].ip}/missing-dir`)).stdout).toMatch(/^HTTP\/1\.1 404 Not Found/);
    await l.run(`kubectl exec ${pod} -- mkdir /usr/share/nginx/html/docs`);
    const moved = await l.run(`curl -si ${web[0].ip}/docs`);
    expect(moved.stdout).toMatch(new RegExp(`^HTTP/1\\.1 301 Moved Permanently\\r\\n[^]*Location: http://${web[0].ip.replace(/\./g, "\\.")}/docs/\\r\\n`));
    expect((await l.run(`curl -sL -o /dev/null -w '%{http_code} %{num_redirects}' ${web[0].ip}/docs`)).stdout).toBe("403 1");
    // The welcome page back: the Service may send the next tests to this pod.
    await l.run(`kubectl exec ${pod} -- cp /tmp/welcome.html /usr/share/nginx/html/index.html`);
    expect((await l.run(`curl -s ${web[0].ip} | wc -c`)).stdout.trim()).toBe("615");
  });

  it("writes out -w variables and saves -o files", async () => {
    const svc = await l.svcIP("web");
    const r = await l.run(`curl -s -o /tmp/page.html -w '%{http_code} %{remote_ip}:%{remote_port} %{size_download}\\n' http://${svc}`);
    expect(r.stdout).toBe(`200 ${svc}:80 615\n`);
    expect((await l.run("wc -c < /tmp/page.html")).stdout.trim()).toBe("615");
  });

  it("dumps the response headers with -D, to standard output or to a file", async () => {
    const svc = await l.svcIP("web");
    const toStdout = await l.run(`curl -s -D - -o /dev/null http://${svc}`);
    expect(toStdout.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\n[^]*Content-Length: 615\r\n[^]*\r\n\r\n$/);
    const toFile = await l.run(`curl -s --dump-header /tmp/headers http://${svc} | wc -c; head -1 /tmp/headers`);
    expect(toFile.stdout).toBe("615\nHTTP/1.1 200 OK\r\n");
    expect((await l.run(`curl -s -D`)).stderr).toBe("curl: option -D: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
  });

  it("fails as curl 7.81 does, with its exit codes, and a timeout takes its time", async () => {
    const pod = web[0].ip;
    const refused = await l.run(`curl ${pod}:81`);
    expect(refused.stderr).toBe(`curl: (7) Failed to connect to ${pod} port 81 after 0 ms: Connection refused\n`);
    expect(refused.exitCode).toBe(7);
    const name = await l.run("curl -sS http://web");
    expect(name.stderr).toBe("curl: (6) Could not resolve host: web\n");
    expect(name.exitCode).toBe(6);
    expect((await l.run("curl -s http://web")).stderr).toBe("");
    const before = l.cluster.internals.clock.now();
    const timeout = await l.run("curl -m 3 http://10.244.9.9/");
    expect(timeout.stderr).toBe("curl: (28) Connection timed out after 3001 milliseconds\n");
    expect(timeout.exitCode).toBe(28);
    expect(l.cluster.internals.clock.now() - before).toBeGreaterThanOrEqual(3001);
    const notHttp = await l.run(`curl -s -o /dev/null -w '%{http_code}' --connect-timeout 2 https://${pod}/`);
    expect(notHttp.exitCode).toBe(7);
    expect((await l.run("curl --bogus x")).stderr).toBe("curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    expect((await l.run("curl -f -sS " + pod + "/x")).stderr).toBe("curl: (22) The requested URL returned error: 404\n");
  });

  it("pins a name with --resolve and sends -H headers the server echoes back", async () => {
    const whoami = await l.podIP("whoami");
    const r = await l.run(`curl -s --resolve whoami.lab:80:${whoami} -H 'X-Lesson: 6' http://whoami.lab/`);
    expect(r.stdout).toMatch(new RegExp(`^Hostname: whoami\\nIP: 127\\.0\\.0\\.1\\nIP: ::1\\nIP: ${whoami.replace(/\./g, "\\.")}\\nIP: fe80::[0-9a-f:]+\\nRemoteAddr: 10\\.244\\.0\\.0:\\d+\\nGET / HTTP/1\\.1\\r\\nHost: whoami\\.lab\\r\\nUser-Agent: curl/7\\.81\\.0\\r\\nAccept: \\*/\\*\\r\\nX-Lesson: 6\\r\\n\\r\\n$`));
  });

  it("talks TLS to the kubelet: its self-signed certificate needs -k, then it refuses anonymous requests", async () => {
    const bad = await l.run("curl https://172.30.1.3:10250/pods");
    expect(bad.exitCode).toBe(60);
    expect(bad.stderr).toMatch(/^curl: \(60\) SSL certificate problem: self-signed certificate\nMore details here: https:\/\/curl\.se\/docs\/sslcerts\.html\n\n/);
    expect((await l.run("curl -sk -w ' %{http_code}' https://172.30.1.3:10250/pods")).stdout).toBe("Unauthorized 401");
    expect((await l.run("curl -s http://172.30.1.3:10250/")).stdout).toBe("Client sent an HTTP request to an HTTPS server.\n");
    expect((await l.run("curl -s localhost:10248/healthz")).stdout).toBe("ok");
  });

  it("runs as a container's command: the same transfer, its output in the container's log", async () => {
    const svc = await l.svcIP("web");
    await l.run(`kubectl run probe2 --image=curlimages/curl --restart=Never -- curl -sS -w '%{http_code}\\n' -o /dev/null http://${svc}/`);
    await l.run("sleep 10");
    await l.run(`kubectl run probe --image=curlimages/curl --restart=Never -- curl -sS -o /dev/null -w '%{http_code}\\n' http://${svc}:81/`);
    await l.run("sleep 10");
    // curl 8.11 words a failed connect its own way; the error comes before the write-out.
    expect((await l.run("kubectl logs probe")).stdout).toMatch(new RegExp(`^curl: \\(7\\) Failed to connect to ${svc.replace(/\./g, "\\.")} port 81 after \\d+ ms: Could not connect to server\n000\n$`));
    expect((await l.run("kubectl logs probe2")).stdout).toBe("200\n");
    expect((await l.run("kubectl get pod probe2 -o jsonpath={.status.phase}")).stdout).toBe("Succeeded");
  });
});

describe("curl on calico: the client host through NodePorts", () => {
  let l: Lab;
  beforeAll(async () => {
    l = await lab("calico");
  });

  it("with externalTrafficPolicy Cluster the server sees the node's address (SNAT); with Local, the client's own", async () => {
    const web = await l.webPods();
    const local = web.find((p) => p.node === "node02")!;
    await l.run("ssh client curl -s -o /dev/null 172.30.1.3:30080");
    await l.run("ssh client curl -s -o /dev/null 172.30.1.4:30081");
    const seen = [];
    for (const p of web) {
      const lines = (await l.run(`kubectl logs ${p.name}`)).stdout.split("\n").filter((line) => ACCESS.test(line));
      seen.push(...lines.map((line) => ({ pod: p.name, from: ACCESS.exec(line)![1] })));
    }
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.from).sort()).toEqual(["172.30.1.100", "172.30.1.3"]);
    expect(seen.find((s) => s.from === "172.30.1.100")!.pod).toBe(local.name);
  });

  it("times out on a node without a local endpoint for an externalTrafficPolicy Local Service", async () => {
    const r = await l.run("ssh client curl -sS -m 2 172.30.1.2:30081");
    expect(r.stderr).toBe("curl: (28) Connection timed out after 2001 milliseconds\n");
    expect(r.exitCode).toBe(28);
  });
});
