// Checkpoints: a Check that extends an earlier one forks that replay instead of starting over.
// Whatever the cache held, the cluster, the shell and the verdict must be exactly those of a
// replay from a fresh cluster.
import { describe, expect, it } from "vitest";
import { createCluster, forkCluster, InterruptedError, type TranscriptEntry } from "@/lib/engine";
import { CheckpointCache, findExercise, prefixKeys, replaySession, runGradingJob, type Check, type LessonCluster, type ReplayedSession } from "@/lib/grading";

const line = (text: string, elapsedMs = 4000): TranscriptEntry => ({ line: text, elapsedMs });

// One learner's session on lesson 2, as five Checks: each transcript extends an earlier one.
const T1 = [line("kubectl get nodes"), line("kubectl get pods -n kube-system -o wide"), line("kubectl create deployment web --image=nginx:1.27 --replicas=2")];
const T2 = [...T1, line("cd /etc/kubernetes/manifests && export SEEN=scheduler"), line("ssh node01", 9000), line("crictl ps | head -3"), line("false")];
/** Ends inside vi: a session that cannot be kept. */
const T3 = [...T2, line("exit"), line("vi /root/scheduler-node.txt"), { keys: "icontrolplane\u001b", elapsedMs: 2000 }];
const T4 = [...T3, { keys: ":wq\r", elapsedMs: 1500 }, line("cat /root/scheduler-node.txt; echo $SEEN")];
/** Goes another way after T2, and resizes the terminal (ls lays out its columns for it). */
const T5 = [...T2, line("exit", 12_000), { keys: "", elapsedMs: 0, screen: { rows: 40, columns: 50 } }, line("ls; kubectl scale deployment web --replicas=3")];
const T6 = [...T5, line("sleep 30; kubectl get pods -o wide"), line("grep staticPodPath /var/lib/kubelet/config.yaml | awk '{print $2}' > /root/static-pod-path.txt")];

/** What the session shows from here on: its shell's own state, then the cluster's, byte for byte. */
async function fingerprint({ shell, cluster }: ReplayedSession): Promise<string[]> {
  const out: string[] = [];
  for (const probe of ["echo $? $SEEN $SHLVL; pwd; hostname", "history | tail -4", "ls /etc/kubernetes", "env | sort"]) {
    const r = await shell.run(probe, { elapsedMs: 1000 });
    out.push(`${shell.prompt()}${r.exitCode} ${r.output}`);
  }
  const fresh = cluster.shell();
  for (const probe of ["kubectl get pods -A -o wide", "kubectl get deploy,rs,svc,ep -A", "kubectl get lease -n kube-node-lease -o yaml", "kubectl get events -A", "crictl ps -a", "ls -la /root /tmp", "date"]) {
    out.push((await fresh.run(probe, { elapsedMs: 2000 })).output);
  }
  return out;
}

async function lesson(): Promise<{ cluster: LessonCluster; check: Check }> {
  const found = await findExercise("cluster-anatomy", "map-the-control-plane");
  if ("error" in found) throw new Error(found.error);
  return found;
}

describe("replaySession", () => {
  it("resumes from the longest checkpoint the transcript extends, and ends exactly where a fresh replay does", async () => {
    const { cluster } = await lesson();
    const checkpoints = new CheckpointCache();
    const resumed: number[] = [];
    for (const transcript of [T1, T2, T3, T4, T5, T6]) {
      const cached = await replaySession(cluster, transcript, { checkpoints });
      const cold = await replaySession(cluster, transcript);
      resumed.push(cached.resumedAt);
      expect(cold.resumedAt).toBe(0);
      expect(await fingerprint(cached)).toEqual(await fingerprint(cold));
    }
    // T3 ended inside vi, so T4 resumed from T2 and took its place; T5 left that path after T2,
    // whose checkpoint had gone, so it started afresh; T6 extends T5.
    expect(resumed).toEqual([0, T1.length, T2.length, T2.length, 0, T5.length]);
    expect(checkpoints.size).toBe(2);
    // The same transcript again needs no replay at all.
    const again = await replaySession(cluster, T6, { checkpoints });
    expect(again.resumedAt).toBe(T6.length);
    expect(await fingerprint(again)).toEqual(await fingerprint(await replaySession(cluster, T6)));
  });

  it("gives the same verdict from a checkpoint as from a fresh cluster, and the check's own commands never reach the next Check", async () => {
    const { cluster } = await lesson();
    // A check that runs commands on another node, as a learner's next Check would not.
    const check: Check = {
      all: [
        { file: { path: "/root/static-pod-path.txt" }, content: { equals: "/etc/kubernetes/manifests" } },
        { command: "crictl ps | wc -l; touch /root/check-was-here", host: "node01", stdout: { matches: "\\d" } },
        { count: { kind: "Pod", selector: "app=web", phase: "Running" }, equals: 3 },
      ],
    };
    const checkpoints = new CheckpointCache();
    for (const transcript of [T1, T2, T5, T6]) {
      const job = { cluster, entries: transcript, check, limitMs: 60_000 };
      const cached = await runGradingJob(job, undefined, checkpoints);
      const cold = await runGradingJob(job);
      expect(cached.ok && cached.verdict).toEqual(cold.ok && cold.verdict);
    }
    const last = await runGradingJob({ cluster, entries: T6, check, limitMs: 60_000 }, undefined, checkpoints);
    expect(last).toMatchObject({ ok: true, verdict: { passed: true } });
    const replayed = await replaySession(cluster, T6, { checkpoints });
    expect(replayed.resumedAt).toBe(T6.length);
    expect((await replayed.cluster.shell().run("ssh node01 ls /root")).stdout).toBe("");
  });

  it("carries `$?` over: a transcript that ended on a failure, checked again", async () => {
    const { cluster } = await lesson();
    const checkpoints = new CheckpointCache();
    await replaySession(cluster, T2, { checkpoints });
    const again = await replaySession(cluster, T2, { checkpoints });
    expect(again.resumedAt).toBe(T2.length);
    expect(await fingerprint(again)).toEqual(await fingerprint(await replaySession(cluster, T2)));
  });

  it("hands a reader the checkpoint of the whole transcript itself, and anyone else a fork of it", async () => {
    const { cluster } = await lesson();
    const checkpoints = new CheckpointCache();
    await replaySession(cluster, T2, { checkpoints });
    const a = await replaySession(cluster, T2, { checkpoints, readOnly: true });
    const b = await replaySession(cluster, T2, { checkpoints, readOnly: true });
    expect(a.cluster).toBe(b.cluster);
    const c = await replaySession(cluster, T2, { checkpoints });
    expect(c.cluster).not.toBe(a.cluster);
    // A reader of a shorter prefix's checkpoint still gets a fork, replayed on.
    const d = await replaySession(cluster, [...T2, line("exit")], { checkpoints, readOnly: true });
    expect(d.resumedAt).toBe(T2.length);
    expect(d.cluster).not.toBe(a.cluster);
  });

  it("keeps nothing from a replay the time limit stopped", async () => {
    const { cluster } = await lesson();
    const checkpoints = new CheckpointCache();
    let asked = 0;
    await expect(replaySession(cluster, T2, { checkpoints, interrupt: () => ++asked > 2 })).rejects.toBeInstanceOf(InterruptedError);
    expect(checkpoints.size).toBe(0);
    await replaySession(cluster, T1, { checkpoints });
    asked = 0;
    await expect(replaySession(cluster, T2, { checkpoints, interrupt: () => ++asked > 2 })).rejects.toBeInstanceOf(InterruptedError);
    expect(checkpoints.size).toBe(1);
    expect((await replaySession(cluster, T2, { checkpoints })).resumedAt).toBe(T1.length);
  });
});

describe("CheckpointCache", () => {
  const fork = () => {
    const cluster = createCluster({ scenario: "single-node", seed: 1 });
    return forkCluster(cluster, cluster.shell())!;
  };

  it("drops the checkpoint a kept one was resumed from", () => {
    const cache = new CheckpointCache();
    cache.keep("a", fork(), 1);
    cache.keep("b", fork(), 2);
    cache.keep("c", fork(), 3, "a");
    expect(cache.size).toBe(2);
    expect(cache.longest(["a"])).toBeUndefined();
    expect(cache.longest(["b", "c"])?.length).toBe(3);
  });

  it("holds at most its count, dropping the least recently used", () => {
    const cache = new CheckpointCache({ entries: 2, bytes: Infinity });
    cache.keep("a", fork(), 1);
    cache.keep("b", fork(), 2);
    expect(cache.longest(["a"])?.length).toBe(1); // a is now the most recent
    cache.keep("c", fork(), 3);
    expect(cache.size).toBe(2);
    expect(cache.longest(["b"])).toBeUndefined();
    expect(cache.longest(["a", "c"])?.length).toBe(3);
  });

  it("holds at most its bytes estimate, and never one fork bigger than that", () => {
    const one = fork();
    expect(one.objects).toBeGreaterThan(1000);
    const perFork = new CheckpointCache({ entries: 100, bytes: Infinity });
    perFork.keep("a", one, 1);
    const bytes = perFork.bytes;
    const cache = new CheckpointCache({ entries: 100, bytes: 2.5 * bytes });
    for (const key of ["a", "b", "c", "d"]) cache.keep(key, fork(), 1);
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBeLessThanOrEqual(2.5 * bytes);
    const tiny = new CheckpointCache({ entries: 100, bytes: bytes / 2 });
    tiny.keep("a", one, 1);
    expect(tiny.size).toBe(0);
    // Keeping a key again replaces it.
    cache.keep("d", fork(), 2);
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(2 * bytes);
  });
});

describe("prefixKeys", () => {
  const cluster = { scenario: "single-node", seed: 1 };

  it("names a prefix by its cluster and its entries as replayed", () => {
    const a = prefixKeys(cluster, [line("ls", 1000.2), line("pwd", 1e12)]);
    expect(prefixKeys(cluster, [line("ls", 1000)])).toEqual(a.slice(0, 1));
    // Elapsed time past the clamp replays the same.
    expect(prefixKeys(cluster, [line("ls", 1000), line("pwd", 600_000)])).toEqual(a);
    expect(prefixKeys(cluster, [line("ls", 1001)])[0]).not.toBe(a[0]);
    expect(prefixKeys({ ...cluster, seed: 2 }, [line("ls", 1000)])[0]).not.toBe(a[0]);
    expect(prefixKeys(cluster, [{ keys: "ls", elapsedMs: 1000 }])[0]).not.toBe(a[0]);
  });
});
