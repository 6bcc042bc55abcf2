// wget, nc, traceroute, ss and netstat on the nodes (Ubuntu's tools) and in busybox pods
// (busybox's applets): what each prints and its exit code, over the packet walker.
import { beforeAll, describe, expect, it } from "vitest";
import { lab } from "./helpers";

type Lab = Awaited<ReturnType<typeof lab>>;
const re = (ip: string) => ip.replace(/\./g, "\\.");

describe("client tools on flannel", () => {
  let l: Lab;
  let remote: { name: string; ip: string; node: string };
  beforeAll(async () => {
    l = await lab("flannel");
    remote = (await l.webPods()).find((p) => p.node === "node02")!;
  });

  it("busybox wget: -qO-, the progress line, and its errors", async () => {
    expect((await l.run(`kubectl exec bb -- wget -qO- ${remote.ip}`)).stdout).toMatch(/^<!DOCTYPE html>/);
    const saved = await l.run(`kubectl exec bb -- wget -O /tmp/i.html ${remote.ip}`);
    expect(saved.stderr).toBe(`Connecting to ${remote.ip} (${remote.ip}:80)\nsaving to '/tmp/i.html'\n/tmp/i.html          100% |********************************|   615  0:00:00 ETA\n'/tmp/i.html' saved\n`);
    const refused = await l.run(`kubectl exec bb -- wget -T 2 ${remote.ip}:81`);
    expect(refused.stderr).toBe(`Connecting to ${remote.ip} (${remote.ip}:81)\nwget: can't connect to remote host (${remote.ip}): Connection refused\ncommand terminated with exit code 1\n`);
    expect((await l.run("kubectl exec bb -- wget -q -T 2 10.244.9.9")).stderr).toBe("wget: download timed out\ncommand terminated with exit code 1\n");
    expect((await l.run("kubectl exec bb -- wget -qO- http://nosuch")).stderr).toBe("wget: bad address 'nosuch'\ncommand terminated with exit code 1\n");
    expect((await l.run(`kubectl exec bb -- wget -q ${remote.ip}/nope`)).stderr).toBe("wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n");
    expect((await l.run(`kubectl exec bb -- wget --spider ${remote.ip}`)).stderr).toBe(`Connecting to ${remote.ip} (${remote.ip}:80)\nremote file exists\n`);
    const log = (await l.run(`kubectl logs ${remote.name} --tail=1`)).stdout;
    expect(log).toMatch(new RegExp(`^${re(await l.podIP("bb"))} - - \\[.+\\] "GET / HTTP/1\\.1" 200 615 "-" "Wget" "-"\\n$`));
  });

  it("GNU wget on a node", async () => {
    const r = await l.run(`wget -O /tmp/w.html ${remote.ip}`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^--2026-01-12 [\\d:]+--  http://${re(remote.ip)}/\\nConnecting to ${re(remote.ip)}:80\\.\\.\\. connected\\.\\nHTTP request sent, awaiting response\\.\\.\\. 200 OK\\nLength: 615 \\[text/html\\]\\nSaving to: ‘/tmp/w\\.html’\\n\\n`));
    expect((await l.run(`wget ${remote.ip}:81`)).exitCode).toBe(4);
  });

  it("nc -z: openbsd's words on the node, busybox's in the pod; UDP without an answer succeeds", async () => {
    expect((await l.run(`nc -zv ${remote.ip} 80`)).stderr).toBe(`Connection to ${remote.ip} 80 port [tcp/http] succeeded!\n`);
    const refused = await l.run(`nc -zv ${remote.ip} 81`);
    expect([refused.stderr, refused.exitCode]).toEqual([`nc: connect to ${remote.ip} port 81 (tcp) failed: Connection refused\n`, 1]);
    expect((await l.run("nc -zv -w 2 10.244.9.9 80")).stderr).toBe("nc: connect to 10.244.9.9 port 80 (tcp) timed out: Operation now in progress\n");
    expect((await l.run(`kubectl exec bb -- nc -zv ${remote.ip} 80`)).stderr).toBe(`${remote.ip} (${remote.ip}:80) open\n`);
    const netexec = await l.podIP("netexec");
    expect((await l.run(`nc -zuv ${netexec} 8081`)).stderr).toBe(`Connection to ${netexec} 8081 port [udp/*] succeeded!\n`);
    const closed = await l.run(`nc -zuv ${netexec} 9999`);
    expect([closed.stderr, closed.exitCode]).toEqual(["", 1]);
    // A datagram reaches the listening program: a busybox `nc -lu` logs it.
    await l.run("kubectl run udp-sink --image=busybox:1.36 -- nc -lu -p 5000; sleep 15");
    expect((await l.run(`kubectl exec bb -- sh -c "echo over-udp | nc -u -w 1 ${await l.podIP("udp-sink")} 5000"`)).exitCode).toBe(0);
    expect((await l.run("kubectl logs udp-sink")).stdout).toBe("over-udp\n");
    const http = await l.run(`printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc ${remote.ip} 80`);
    expect(http.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\n[^]*Connection: close\r\n[^]*\r\n\r\n<!DOCTYPE html>/);
  });

  it("traceroute: each router on the way, then the destination; VXLAN hides the node network", async () => {
    const r = await l.run(`traceroute -n ${remote.ip}`);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`traceroute to ${remote.ip} (${remote.ip}), 30 hops max, 60 byte packets`);
    expect(lines[1]).toMatch(/^ 1  10\.244\.2\.0  \d+\.\d{3} ms  \d+\.\d{3} ms  \d+\.\d{3} ms$/);
    expect(lines[2]).toMatch(new RegExp(`^ 2  ${re(remote.ip)}  \\d+\\.\\d{3} ms  \\d+\\.\\d{3} ms  \\d+\\.\\d{3} ms$`));
    expect(lines).toHaveLength(4);
    const bb = await l.run(`kubectl exec bb -- traceroute -n ${remote.ip}`);
    expect(bb.stdout.split("\n").map((line) => line.replace(/  [\d.]+ ms/g, ""))).toEqual([`traceroute to ${remote.ip} (${remote.ip}), 30 hops max, 46 byte packets`, " 1  10.244.1.1", " 2  10.244.2.0", ` 3  ${remote.ip}`, ""]);
    const named = await l.run(`traceroute -m 1 ${remote.ip}`);
    expect(named.stdout.split("\n")[1]).toMatch(/^ 1  10\.244\.2\.0 \(10\.244\.2\.0\)  /);
  });

  it("traceroute shows * * * where a rule drops the probes", async () => {
    await l.run(`ssh node02 iptables -I FORWARD -p udp -d ${remote.ip} -j DROP`);
    const r = await l.run(`traceroute -n -m 3 -w 1 ${remote.ip}`);
    expect(r.stdout.split("\n").slice(1, 4).map((line) => line.replace(/  [\d.]+ ms/g, ""))).toEqual([" 1  10.244.2.0", " 2  * * *", " 3  * * *"]);
    await l.run(`ssh node02 iptables -D FORWARD -p udp -d ${remote.ip} -j DROP`);
  });

  it("ss and netstat list the listening sockets of the namespace with their processes", async () => {
    const ss = await l.run("ssh node01 ss -tlnp");
    const lines = ss.stdout.split("\n");
    expect(lines[0]).toBe("State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                                   ");
    expect(lines[1]).toMatch(/^LISTEN 0      128          0\.0\.0\.0:22         0\.0\.0\.0:\*    users:\(\("sshd",pid=\d+,fd=3\)\) +$/);
    // systemd-resolved's stub, bound to lo, is the widest address.
    expect(lines[2]).toBe('LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=514,fd=14))');
    expect(lines[3]).toMatch(/^LISTEN 0      4096               \*:10250            \*:\*    users:\(\("kubelet",pid=\d+,fd=3\)\) +$/);
    expect(new Set(lines.filter(Boolean).map((line) => line.length)).size).toBe(1);
    const netstat = await l.run("ssh node01 netstat -tln");
    expect(netstat.stdout.split("\n").slice(0, 3)).toEqual([
      "Active Internet connections (only servers)",
      "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ",
      "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN     ",
    ]);
    expect((await l.run("ssh node01 ss -tn")).stdout).toBe("State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n");
  });
});
