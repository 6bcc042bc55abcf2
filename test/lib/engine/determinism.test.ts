// The same scenario, seed and transcript give the same bytes: twice in one process, and in a
// fresh process (the CLI face), so a replay on the server reproduces the learner's cluster.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

const TRANSCRIPT: [string, number][] = [
  ["kubectl get nodes -o wide", 1200],
  ["kubectl create deployment web --image=nginx --replicas=3", 4000],
  ["kubectl expose deployment web --port=80 --type=NodePort", 2500],
  ["sleep 15", 800],
  ["kubectl get pods,svc,endpointslices -o wide", 3000],
  ["kubectl get pods -o yaml | grep -E 'uid|podIP:|containerID' | head -n 12", 2000],
  ["ssh node01 crictl ps", 1500],
  ["kubectl get events --sort-by=.metadata.creationTimestamp | tail -n 5", 900],
];

async function replay(seed: number): Promise<string> {
  const sh = createCluster({ scenario: "three-node-flannel", seed }).shell();
  let out = "";
  for (const [line, elapsedMs] of TRANSCRIPT) out += `${sh.prompt()}${line}\n${(await sh.run(line, { elapsedMs })).output}`;
  return out;
}

describe("determinism", () => {
  it("replays byte for byte in one process", async () => {
    const first = await replay(7);
    expect(first).toContain("web-");
    expect(await replay(7)).toBe(first);
  });

  it("differs with another seed", async () => {
    expect(await replay(8)).not.toBe(await replay(7));
  });

  it("replays byte for byte in a fresh process", () => {
    const lines = ["hostname", "kubectl create deployment api --image=nginx --replicas=2", "sleep 20", "kubectl get pods -o wide", "ssh node02 crictl pods"];
    const cli = () => execFileSync(process.execPath, ["--import", "tsx", "scripts/shell.ts", "--scenario", "three-node-calico", "--seed", "11"], { input: lines.join("\n") + "\n", encoding: "utf8" });
    const first = cli();
    expect(first).toContain("api-");
    expect(cli()).toBe(first);
  }, 60_000);

  it("prints in the CLI exactly what the public contract returns", async () => {
    const lines = ["kubectl get nodes", "kubectl run probe --image=busybox -- sleep 3600", "sleep 10", "kubectl get pod probe -o wide"];
    const sh = createCluster({ scenario: "single-node", seed: 5 }).shell();
    let expected = "";
    for (const line of lines) expected += `${sh.prompt()}${line}\n${(await sh.run(line)).output}`;
    const cli = execFileSync(process.execPath, ["--import", "tsx", "scripts/shell.ts", "--scenario", "single-node", "--seed", "5"], { input: lines.join("\n") + "\n", encoding: "utf8" });
    expect(cli).toBe(expected);
  }, 60_000);
});
