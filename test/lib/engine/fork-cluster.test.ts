// forkCluster: a live cluster and one of its shells copied between inputs. The copy must go on
// byte for byte as the original would have (shell state included: location stack, directory,
// variables, `$?`, history, terminal width), and neither may see the other's changes.
import { describe, expect, it } from "vitest";
import { createCluster, forkCluster, InterruptedError, type Shell } from "@/lib/engine";

/** Inputs that leave state in the shell as well as in the cluster. */
const BEFORE = [
  "kubectl create deployment web --image=nginx:1.27 --replicas=2",
  "cd /etc/kubernetes && export GREETING=hello",
  "ssh node01",
  "cd /var/lib/kubelet",
  "bash",
  "export INNER=1",
  "false",
];

/** Inputs whose output depends on all of that. */
const AFTER = [
  "echo $? $INNER $SHLVL; pwd",
  "exit",
  "echo $INNER; hostname; pwd",
  "crictl ps | wc -l",
  "exit",
  "echo $GREETING; pwd; history | tail -3",
  "ls /etc/kubernetes",
  "kubectl get pods -o wide",
  "kubectl scale deployment web --replicas=3 && sleep 20 && kubectl get pods",
  "kubectl get events --sort-by=.metadata.creationTimestamp | tail -4",
];

async function runAll(shell: Shell, lines: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const r = await shell.run(line, { elapsedMs: 3000 + i * 1000 });
    out.push(`${shell.prompt()}|${r.exitCode}|${r.output}`);
  }
  return out;
}

async function prepared() {
  const cluster = createCluster({ scenario: "three-node-flannel", seed: 3 });
  const shell = cluster.shell();
  await shell.resize({ rows: 30, columns: 60 });
  await runAll(shell, BEFORE);
  return { cluster, shell };
}

describe("forkCluster", () => {
  it("goes on exactly as the original would have, shell state and all", async () => {
    const original = await prepared();
    const fork = forkCluster(original.cluster, original.shell)!;
    expect(fork).not.toBeNull();
    const fromFork = await runAll(fork.shell, AFTER);
    const fromOriginal = await runAll(original.shell, AFTER);
    expect(fromFork).toEqual(fromOriginal);
    // The width the shell was told (ls columns) came along too.
    expect(fromFork.find((o) => o.includes("admin.conf"))).toContain("admin.conf");
    expect(fromFork[0]).toContain("|0|1 1 2\n/var/lib/kubelet\n");
  });

  it("shares nothing mutable: changes on either side stay there", async () => {
    const original = await prepared();
    const fork = forkCluster(original.cluster, original.shell)!;
    await fork.shell.run("exit");
    await fork.shell.run("exit");
    await fork.shell.run("kubectl delete deployment web && echo gone > /root/fork.txt");
    await original.shell.run("exit");
    await original.shell.run("exit");
    await original.shell.run("kubectl create configmap only-here --from-literal=a=b");
    expect((await original.shell.run("kubectl get deploy web -o name; ls /root")).stdout).toBe("deployment.apps/web\n");
    expect((await fork.shell.run("kubectl get cm only-here")).stderr).toContain('configmaps "only-here" not found');
    expect((await fork.shell.run("cat /root/fork.txt")).stdout).toBe("gone\n");
    // A fork of a fork is a fork too.
    const again = forkCluster(fork.cluster, fork.shell)!;
    expect((await again.shell.run("cat /root/fork.txt; kubectl get deploy")).output).toBe("gone\nNo resources found in default namespace.\n");
  });

  it("gives the copy its own time limit", async () => {
    const original = await prepared();
    const fork = forkCluster(original.cluster, original.shell, { interrupt: () => true })!;
    await expect(fork.shell.run("sleep 60")).rejects.toBeInstanceOf(InterruptedError);
    expect((await original.shell.run("sleep 60; echo still here")).stdout).toBe("still here\n");
  });

  it("refuses a shell it cannot copy: a running program, or a location another command wired", async () => {
    const cluster = createCluster({ scenario: "single-node", seed: 1 });
    const shell = cluster.shell();
    const started = await shell.run("vi /tmp/notes");
    expect(started.program).toBeDefined();
    expect(forkCluster(cluster, shell)).toBeNull();
    await shell.input(":q\r");
    expect(forkCluster(cluster, shell)).not.toBeNull();

    const pods = createCluster({ scenario: "single-node", seed: 1 });
    const inPod = pods.shell();
    await inPod.run("kubectl run box --image=busybox:1.36 -- sleep 3600");
    await inPod.run("kubectl exec -it box -- sh", { elapsedMs: 20_000 });
    expect(inPod.prompt()).toBe("/ # ");
    expect(forkCluster(pods, inPod)).toBeNull();
    await inPod.run("exit");
    expect(forkCluster(pods, inPod)).not.toBeNull();
  });

  it("takes only a cluster and one of its own shells", () => {
    const a = createCluster({ scenario: "single-node", seed: 1 });
    const b = createCluster({ scenario: "single-node", seed: 1 });
    expect(() => forkCluster(a, b.shell())).toThrow(/a shell of that cluster/);
  });
});
