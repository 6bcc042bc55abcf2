// Boot snapshots: createCluster forks one boot per scenario and seed. A fork must behave byte for
// byte as a cluster booted for it alone, share nothing mutable with the template or other forks,
// and the state it copies must be data (no closures, no generators).
import { Session } from "node:inspector";
import { describe, expect, it } from "vitest";
import { createCluster, InterruptedError, type CreateClusterOptions } from "@/lib/engine";
import { bootTemplateKeys } from "@/lib/engine/engine";
import { copyGraph } from "@/lib/engine/util/graph-copy";

/** A calico cluster with a pod whose script is mid-loop when the cluster forks. */
const SPEC: CreateClusterOptions["spec"] = {
  base: "three-node-calico",
  name: "fork-test",
  manifests: `apiVersion: v1
kind: Pod
metadata:
  name: ticker
  labels: { app: ticker }
spec:
  containers:
  - name: ticker
    image: busybox:1.36
    command: ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 7; done"]
`,
};

/** A learner's session: workloads, a node failure and eviction, a static pod moved away and back. */
const SCRIPT = [
  "kubectl get pods -A -o wide",
  "kubectl logs ticker --tail=2",
  "kubectl create deployment web --image=nginx:1.27 --replicas=2",
  "sleep 15",
  "kubectl get pods -o wide",
  "kubectl scale deployment web --replicas=4",
  `kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
EOF`,
  "kubectl create configmap settings --from-literal=mode=demo",
  "sleep 10",
  "kubectl get deploy,rs,svc,ep,cm",
  "kubectl label pod ticker tier=demo && kubectl get pods --show-labels",
  "ssh node01",
  "systemctl stop kubelet",
  "crictl ps | head -4",
  "exit",
  "sleep 60",
  "kubectl get nodes",
  "sleep 300",
  "kubectl get pods -o wide",
  "kubectl describe node node01 | tail -12",
  "mv /etc/kubernetes/manifests/kube-scheduler.yaml /tmp/",
  "sleep 5",
  "kubectl get pods -n kube-system | grep scheduler; kubectl run late --image=nginx",
  "sleep 10",
  "kubectl get pod late",
  "mv /tmp/kube-scheduler.yaml /etc/kubernetes/manifests/",
  "sleep 30",
  "kubectl get pod late -o wide",
  "kubectl logs ticker --tail=3",
  "kubectl delete deployment web",
  "kubectl delete pod ticker --wait=false",
  "sleep 40",
  "kubectl get pods -A",
  "kubectl get events --sort-by=.lastTimestamp | tail -5",
  "journalctl -u kubelet | tail -3",
  "crictl ps -a | head -6; ls -l /var/log/containers | wc -l",
  "for i in 1 2 3; do echo $i; done | tail -1; history | tail -2",
];

async function transcript(options: CreateClusterOptions): Promise<string> {
  const sh = createCluster(options).shell();
  let out = "";
  for (const [i, line] of SCRIPT.entries()) {
    const r = await sh.run(line, { elapsedMs: 1_500 + 250 * (i % 4) });
    out += `${sh.prompt()}${line}\n${r.output}[exit ${r.exitCode}]\n`;
  }
  return out;
}

describe("forked clusters", () => {
  it("behave byte for byte as a cluster booted for them alone, and leave their template as it was", async () => {
    const fresh = await transcript({ spec: SPEC, seed: 11, fresh: true });
    const first = await transcript({ spec: SPEC, seed: 11 });
    const second = await transcript({ spec: SPEC, seed: 11 });
    expect(fresh).toMatch(/tick 1\d\ntick 1\d\n/);
    expect(fresh).toContain("NotReady");
    expect(first).toBe(fresh);
    expect(second).toBe(fresh);
  }, 120_000);

  it("change independently of each other", async () => {
    const a = createCluster({ scenario: "single-node", seed: 3 });
    const b = createCluster({ scenario: "single-node", seed: 3 });
    const sa = a.shell();
    const sb = b.shell();
    await sa.run("kubectl create deployment web --image=nginx && echo hello > /root/note && sleep 600");
    expect((await sb.run("kubectl get deploy")).stderr).toBe("No resources found in default namespace.\n");
    expect((await sb.run("cat /root/note")).exitCode).toBe(1);
    expect(b.internals.clock.now()).toBe(a.internals.clock.now() - 600_000);
    expect((await sa.run("kubectl get deploy web -o name")).stdout).toBe("deployment.apps/web\n");
    expect(b.internals.store).not.toBe(a.internals.store);
  });

  it("keep at most four templates, least recently used out first", () => {
    for (let seed = 100; seed < 106; seed++) createCluster({ scenario: "single-node", seed });
    const keys = bootTemplateKeys();
    expect(keys.length).toBe(4);
    expect(keys.map((k) => k.split("\u0000")[0])).toEqual(["102", "103", "104", "105"]);
  });

  it("copy only data: nothing reachable from a used cluster is a closure, a generator or a private field", async () => {
    const cluster = createCluster({ spec: SPEC, seed: 5 });
    const sh = cluster.shell();
    for (const line of ["kubectl create deployment web --image=nginx --replicas=2", "kubectl expose deployment web --port=80", "sleep 20", "shutdown -r +5", "kubectl delete pod ticker --wait=false", "sleep 3"]) {
      await sh.run(line, { elapsedMs: 1_000 });
    }
    expect(() => copyGraph(cluster.internals)).not.toThrow();
    expect(stateViolations(cluster.internals)).toEqual([]);
  }, 60_000);
});

describe("the interrupt hook", () => {
  /** A predicate that says yes from its `n`th question on, counting the questions. */
  function after(n: number) {
    const asked = { count: 0 };
    return { asked, interrupt: () => ++asked.count >= n };
  }

  it("stops a long sleep: the cluster fires timers until the host says stop", async () => {
    const { asked, interrupt } = after(5);
    const cluster = createCluster({ scenario: "single-node", seed: 2, interrupt });
    const start = cluster.internals.clock.now();
    await expect(cluster.shell().run("sleep 100000")).rejects.toBeInstanceOf(InterruptedError);
    expect(asked.count).toBe(5);
    expect(cluster.internals.clock.now() - start).toBeLessThan(100_000_000);
  });

  it("stops a loop that never sleeps, well before the shell's step limit", async () => {
    const { asked, interrupt } = after(3);
    const sh = createCluster({ scenario: "single-node", seed: 2, interrupt }).shell();
    await expect(sh.run("while true; do kubectl get pods; done")).rejects.toBeInstanceOf(InterruptedError);
    expect(asked.count).toBe(3);
  });

  it("is not turned into a command's error: kubectl waiting on a rollout unwinds too", async () => {
    const { interrupt } = after(2);
    const sh = createCluster({ scenario: "single-node", seed: 2, interrupt }).shell();
    await expect(sh.run("kubectl create deployment web --image=nginx:nope; kubectl rollout status deployment/web --timeout=10m; echo after")).rejects.toBeInstanceOf(InterruptedError);
  });

  it("stops a full-screen program's ticks too (watch)", async () => {
    const { interrupt } = after(4);
    const sh = createCluster({ scenario: "single-node", seed: 2, interrupt }).shell();
    const started = await sh.run("watch -n 2 kubectl get pods -A");
    expect(started.program).toBeDefined();
    await expect((async () => {
      for (let i = 0; i < 100; i++) await sh.input("", { elapsedMs: 2_000 });
    })()).rejects.toBeInstanceOf(InterruptedError);
  });

  it("belongs to one fork: another fork of the same boot runs on", async () => {
    const stopped = createCluster({ scenario: "single-node", seed: 2, interrupt: () => true }).shell();
    const free = createCluster({ scenario: "single-node", seed: 2 }).shell();
    await expect(stopped.run("sleep 60")).rejects.toBeInstanceOf(InterruptedError);
    await expect(stopped.run("echo again")).rejects.toBeInstanceOf(InterruptedError);
    expect((await free.run("sleep 60; echo done")).stdout).toBe("done\n");
  });
});

/**
 * Walks everything reachable from `root` (fields, accessors, Map and Set entries) and lists
 * what a fork could not copy faithfully: functions that capture variables (closures; only
 * module-level functions are allowed) and objects with `#private` fields.
 */
function stateViolations(root: unknown): string[] {
  const session = new Session();
  session.connect();
  const post = <T,>(method: string, params: object): T => {
    let result: T | undefined;
    let failure: unknown;
    session.post(method, params, (error, answer) => ((failure = error), (result = answer as T)));
    if (failure) throw failure;
    return result!;
  };
  type Prop = { name: string; value?: { objectId?: string; description?: string } };
  const props = (objectId: string) => post<{ result: Prop[]; internalProperties?: Prop[]; privateProperties?: Prop[] }>("Runtime.getProperties", { objectId, ownProperties: true });
  const holder = globalThis as { __stateProbe?: unknown };
  const idOf = (value: unknown) => {
    holder.__stateProbe = value;
    return post<{ result: { objectId: string } }>("Runtime.evaluate", { expression: "globalThis.__stateProbe" }).result.objectId;
  };
  const violations: string[] = [];
  const seen = new Set<unknown>();
  const queue: [unknown, string][] = [[root, "cluster"]];
  const checkFunction = (fn: unknown, path: string) => {
    // An arrow function's `this` is its creator's, which the inspector does not list as a scope.
    const text = Function.prototype.toString.call(fn);
    if (/^(async\s*)?(\([^)]*\)|[\w$]+)\s*=>/.test(text) && /\bthis\b/.test(text)) violations.push(`${path}: an arrow function over \`this\``);
    const info = props(idOf(fn));
    const scopes = info.internalProperties?.find((p) => p.name === "[[Scopes]]")?.value?.objectId;
    if (!scopes) return;
    const chain = props(scopes).result.filter((s) => !/^(Global|Script)/.test(s.value?.description ?? ""));
    // The outermost remaining scope is the module's; anything inside it is a closure's.
    for (const scope of chain.slice(0, -1)) {
      const names = props(scope.value!.objectId!).result.map((v) => v.name);
      if (names.length > 0) violations.push(`${path}: a closure over ${names.join(", ")}`);
    }
  };
  while (queue.length > 0) {
    const [value, path] = queue.shift()!;
    if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value)) continue;
    seen.add(value);
    if (typeof value === "function") {
      checkFunction(value, path);
      continue;
    }
    if (Object.isFrozen(value)) continue;
    const proto = Object.getPrototypeOf(value);
    if (![Object.prototype, Array.prototype, Map.prototype, Set.prototype, null].includes(proto)) {
      const privates = props(idOf(value)).privateProperties ?? [];
      if (privates.length > 0) violations.push(`${path}: private fields ${privates.map((p) => p.name).join(", ")}`);
    }
    if (value instanceof Map) for (const [k, v] of value) queue.push([k, `${path}.<key>`], [v, `${path}[${String(k)}]`]);
    if (value instanceof Set) for (const v of value) queue.push([v, `${path}.<item>`]);
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if ("value" in d) queue.push([d.value, `${path}.${key}`]);
      else queue.push([d.get, `${path}.get ${key}`], [d.set, `${path}.set ${key}`]);
    }
  }
  session.disconnect();
  delete holder.__stateProbe;
  return violations;
}
