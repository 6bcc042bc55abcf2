// A container's PID 1 script runs the terminal's own tools from its pod: text filters over what
// a network client fetched, the client's failures and the time they took, `tail -f` following.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

describe("a PID 1 script's tools", () => {
  it("fetches a Service through the pod's network, filters it, and moves on by the time each exchange took", async () => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 3 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx --replicas=2; kubectl expose deployment web --port=80; sleep 20");
    await sh.run(`kubectl run poller --image=busybox --restart=Never -- sh -c 'for i in 1 2; do wget -qO- http://$WEB_SERVICE_HOST | grep -c nginx; sleep 5; done; wget -qO- -T 2 http://172.30.1.250; echo status=$?; date'`);
    await sh.run("kubectl run follower --image=busybox -- sh -c 'echo one > /tmp/log; echo two >> /tmp/log; tail -f /tmp/log'");
    await sh.run("sleep 30");
    const logs = await sh.run("kubectl logs poller --timestamps");
    const lines = logs.stdout.trim().split("\n").map((l) => l.replace(/^(\S+?)\.\d+Z /, "$1 "));
    expect(lines).toEqual([
      expect.stringMatching(/ 6$/),
      expect.stringMatching(/ 6$/),
      // Nobody answers ARP for .250 on the node network: busybox gives up after -T 2.
      expect.stringMatching(/ wget: download timed out$/),
      expect.stringMatching(/ status=1$/),
      expect.stringMatching(/ Mon Jan 12 09:01:0\d UTC 2026$/),
    ]);
    const at = (line: string) => Date.parse(line.slice(0, 19) + "Z");
    expect(at(lines[1]) - at(lines[0])).toBe(5_000);
    // The date comes two seconds (the timeout) after the last sleep ended.
    expect(at(lines[4]) - at(lines[1])).toBe(7_000);
    expect((await sh.run("kubectl logs follower")).stdout).toBe("one\ntwo\n");
    expect((await sh.run("kubectl get pod follower -o jsonpath='{.status.phase}'")).stdout).toBe("Running");
  });
});
