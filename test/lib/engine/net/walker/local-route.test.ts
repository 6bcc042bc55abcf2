// A packet a namespace sends to one of its own addresses loops back through lo, whatever device
// the local route names (ip_route_output: RTN_LOCAL → loopback_dev). A pod reaching its own IP
// depends on it, and so does a sidecar's REDIRECT answering a connection redirected to 127.0.0.1.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

describe("local routes", () => {
  it("lets a pod connect to its own pod IP (through lo, not eth0)", async () => {
    const sh = createCluster({ scenario: "single-node", seed: 4 }).shell();
    await sh.run("kubectl run web --image=nginx:1.27");
    await sh.run("sleep 10");
    const ip = (await sh.run("kubectl get pod web -o jsonpath='{.status.podIP}'")).stdout;
    const r = await sh.run(`kubectl exec web -- curl -s -o /dev/null -w '%{http_code}' http://${ip}/`);
    expect(r.stdout).toBe("200");
    expect(r.exitCode).toBe(0);
  });
});
