// The servers' side of a request: each program's handler answers as the real one does
// (traefik/whoami, hashicorp/http-echo, agnhost netexec and serve-hostname, a netcat listener)
// with the client address its socket really saw, and logs what it logs.
import { beforeAll, describe, expect, it } from "vitest";
import { lab } from "./helpers";

type Lab = Awaited<ReturnType<typeof lab>>;

describe("servers answering through the walker", () => {
  let l: Lab;
  let client: string;
  beforeAll(async () => {
    l = await lab("flannel");
    client = await l.podIP("client");
  });

  it("whoami prints its host name, its addresses, the peer it saw and the request as received", async () => {
    const whoami = await l.podIP("whoami");
    const r = await l.run(`kubectl exec client -- curl -s http://${whoami}/`);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual(["Hostname: whoami", "IP: 127.0.0.1", "IP: ::1", `IP: ${whoami}`]);
    expect(lines[4]).toMatch(/^IP: fe80::[0-9a-f:]+$/);
    expect(lines[5]).toMatch(new RegExp(`^RemoteAddr: ${client.replace(/\./g, "\\.")}:\\d+$`));
    expect(lines.slice(6).join("\n")).toBe(`GET / HTTP/1.1\r\nHost: ${whoami}\r\nUser-Agent: curl/8.11.1\r\nAccept: */*\r\n\r\n`);
    const head = await l.run(`kubectl exec client -- curl -sI http://${whoami}/`);
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nDate: .+ GMT\r\nContent-Length: \d+\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\n$/);
  });

  it("http-echo answers its -text with its app headers and logs the request", async () => {
    const echo = await l.podIP("echo");
    const r = await l.run(`kubectl exec client -- curl -si http://${echo}:5678/anything`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nX-App-Name: http-echo\r\nX-App-Version: 1\.0\.0\r\nDate: .+ GMT\r\nContent-Length: 16\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\nhello from echo\n$/);
    const log = (await l.run("kubectl logs echo")).stdout.trim().split("\n").at(-1)!;
    expect(log).toMatch(new RegExp(`^2026/01/12 \\d\\d:\\d\\d:\\d\\d ${echo.replace(/\./g, "\\.")}:5678 ${client.replace(/\./g, "\\.")}:\\d+ "GET /anything HTTP/1\\.1" 200 16 "curl/8\\.11\\.1" [\\d.]+µs$`));
  });

  it("agnhost netexec reports the client address it saw, echoes, and logs each request", async () => {
    const netexec = await l.podIP("netexec");
    expect((await l.run(`kubectl exec client -- curl -s ${netexec}:8080/hostname`)).stdout).toBe("netexec");
    expect((await l.run(`kubectl exec client -- curl -s ${netexec}:8080/clientip`)).stdout).toMatch(new RegExp(`^${client.replace(/\./g, "\\.")}:\\d+$`));
    expect((await l.run(`kubectl exec client -- curl -s '${netexec}:8080/echo?msg=hi%20there'`)).stdout).toBe("hi there");
    expect((await l.run(`kubectl exec client -- curl -s -w ' %{http_code}' ${netexec}:8080/nope`)).stdout).toBe("404 page not found\n 404");
    expect((await l.run(`kubectl exec client -- curl -s ${netexec}:8080/`)).stdout).toMatch(/^NOW: 2026-01-12 \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}$/);
    const logs = (await l.run("kubectl logs netexec")).stdout.trim().split("\n").slice(-3);
    expect(logs.map((line) => line.replace(/^I\d{4} [\d:.]+ +1 /, ""))).toEqual(["log.go:245] GET /clientip", "log.go:245] GET /echo?msg=hi there", "log.go:245] GET /"]);
  });

  it("a netcat listener logs what it receives; nc -l in the shell says why it cannot wait", async () => {
    await l.run(`kubectl run listener --image=busybox --restart=Never -- nc -lk -p 8080`);
    await l.run("sleep 5");
    const ip = await l.podIP("listener");
    const sent = await l.run(`echo hello listener | nc -w 1 ${ip} 8080`);
    expect(sent.exitCode).toBe(0);
    expect((await l.run("kubectl logs listener")).stdout).toBe("hello listener\n");
    expect((await l.run("ss -tln | grep -c 8080")).stdout.trim()).toBe("0");
    const refused = await l.run("nc -l 9000");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^nc: a listener waits for a connection from another terminal/);
  });
});
