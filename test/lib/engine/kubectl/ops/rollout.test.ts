import { describe, expect, it } from "vitest";
import type { DaemonSet, Deployment } from "@/lib/engine/api";
import type { Controller } from "@/lib/engine/cluster/controller";
import { createDeployment, createRevision, expectRun, type Expected, type Fixture, opsFixture } from "./helpers";

/** web: revision 1 runs nginx:1.27, revision 2 (the current template) nginx:1.28. */
function webWithHistory() {
  const f = opsFixture();
  const web = createDeployment(f, "web", "nginx:1.28");
  createRevision(f, web, 1, "nginx:1.27");
  createRevision(f, web, 2, "nginx:1.28", "kubectl set image deployment/web web=nginx:1.28");
  return f;
}

const TEMPLATE_REV1 = [
  "Pod Template:",
  "  Labels:\tapp=web",
  "\tpod-template-hash=webh1",
  "  Containers:",
  "   web:",
  "    Image:\tnginx:1.27",
  "    Port:\t<none>",
  "    Host Port:\t<none>",
  "    Environment:\t<none>",
  "    Mounts:\t<none>",
  "  Volumes:\t<none>",
  "  Node-Selectors:\t<none>",
  "  Tolerations:\t<none>",
  "",
].join("\n");

describe("kubectl rollout history", () => {
  const cases: [string, string, Expected][] = [
    [
      "table of revisions",
      "kubectl rollout history deployment/web",
      { stdout: "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deployment/web web=nginx:1.28\n\n", exitCode: 0 },
    ],
    ["TYPE NAME form", "kubectl rollout history deploy web", { stdout: /^deployment\.apps\/web \nREVISION  CHANGE-CAUSE\n/ }],
    ["one revision's template", "kubectl rollout history deploy/web --revision=1", { stdout: `deployment.apps/web with revision #1\n${TEMPLATE_REV1}\n` }],
    [
      "the change cause shows among the annotations",
      "kubectl rollout history deploy/web --revision=2",
      { stdout: /\n {2}Annotations:\tkubernetes\.io\/change-cause: kubectl set image deployment\/web web=nginx:1\.28\n {2}Containers:\n/ },
    ],
    ["unknown revision", "kubectl rollout history deploy/web --revision=5", { stdout: "", stderr: "error: unable to find the specified revision\n", exitCode: 1 }],
    ["negative revision", "kubectl rollout history deploy/web --revision=-1", { stderr: "error: revision must be a positive integer: -1\n", exitCode: 1 }],
    ["no resource", "kubectl rollout history", { stderr: "error: required resource not specified\n", exitCode: 1 }],
    ["missing deployment", "kubectl rollout history deploy/nope", { stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 }],
    ["unknown type", "kubectl rollout history foo/bar", { stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 }],
    [
      "mixed forms",
      "kubectl rollout history deploy deploy/web",
      {
        stderr:
          "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n",
      },
    ],
    ["kinds without history", "kubectl rollout history svc/kubernetes", { stderr: 'error: no history viewer has been implemented for "Service"\n', exitCode: 1 }],
    ["-o name", "kubectl rollout history deploy/web -o name", { stdout: "deployment.apps/web\n" }],
  ];
  it.each(cases)("%s", async (_name, line, expected) => {
    await expectRun(webWithHistory(), line, expected);
  });

  it("says so when a deployment has no revisions yet", async () => {
    const f = opsFixture();
    createDeployment(f, "api", "nginx");
    await expectRun(f, "kubectl rollout history deploy/api", { stdout: "deployment.apps/api \nNo rollout history found.\n", exitCode: 0 });
  });
});

describe("kubectl rollout undo", () => {
  it("rolls back to the previous revision's template and change cause", async () => {
    const f = webWithHistory();
    await expectRun(f, "kubectl rollout undo deployment/web", { stdout: "deployment.apps/web rolled back\n", stderr: "", exitCode: 0 });
    const web = f.store.get<Deployment>("Deployment", "default", "web");
    expect(web.spec.template.spec.containers[0].image).toBe("nginx:1.27");
    expect(web.spec.template.metadata?.labels).toEqual({ app: "web" });
    expect(web.metadata.annotations?.["kubernetes.io/change-cause"]).toBeUndefined();
  });

  it("copies the chosen revision's change cause onto the deployment", async () => {
    const f = opsFixture();
    const web = createDeployment(f, "web", "nginx:1.29");
    createRevision(f, web, 1, "nginx:1.27", "first");
    createRevision(f, web, 2, "nginx:1.29");
    await expectRun(f, "kubectl rollout undo deploy/web --to-revision=1", { stdout: "deployment.apps/web rolled back\n" });
    expect(f.store.get<Deployment>("Deployment", "default", "web").metadata.annotations).toEqual({ "kubernetes.io/change-cause": "first" });
  });

  const cases: [string, string, Expected][] = [
    ["unknown revision", "kubectl rollout undo deploy/web --to-revision=3", { stdout: "", stderr: "error: unable to find specified revision 3 in history\n", exitCode: 1 }],
    [
      "already at that revision",
      "kubectl rollout undo deploy/web --to-revision=2",
      { stdout: "deployment.apps/web skipped rollback (current template already matches revision 2)\n", exitCode: 0 },
    ],
    ["server dry run", "kubectl rollout undo deploy/web --dry-run=server", { stdout: "deployment.apps/web rolled back (server dry run)\n" }],
    ["client dry run prints the template", "kubectl rollout undo deploy/web --dry-run=client", { stdout: `deployment.apps/web ${TEMPLATE_REV1} (dry run)\n` }],
    ["bad dry-run value", "kubectl rollout undo deploy/web --dry-run=maybe", { stderr: 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n' }],
    ["no resource", "kubectl rollout undo", { stderr: "error: required resource not specified\n", exitCode: 1 }],
    ["not a workload", "kubectl rollout undo svc/kubernetes", { stderr: 'error: no rollbacker has been implemented for "Service"\n' }],
    ["missing object", "kubectl rollout undo deploy/nope", { stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' }],
  ];
  it.each(cases)("%s", async (_name, line, expected) => {
    const f = webWithHistory();
    await expectRun(f, line, expected);
    if (line.includes("dry-run")) expect(f.store.get<Deployment>("Deployment", "default", "web").spec.template.spec.containers[0].image).toBe("nginx:1.28");
  });

  it("refuses a paused deployment and one without history", async () => {
    const f = webWithHistory();
    await expectRun(f, "kubectl rollout pause deploy/web", { stdout: "deployment.apps/web paused\n" });
    await expectRun(f, "kubectl rollout undo deploy/web", {
      stderr: "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again\n",
      exitCode: 1,
    });
    const g = opsFixture();
    createRevision(g, createDeployment(g, "api", "nginx"), 1, "nginx");
    await expectRun(g, "kubectl rollout undo deploy/api", { stderr: 'error: no rollout history found for deployment "api"\n', exitCode: 1 });
  });
});

describe("kubectl rollout restart, pause, resume", () => {
  it("stamps restartedAt from the virtual clock", async () => {
    const f = opsFixture();
    createDeployment(f, "web", "nginx");
    await expectRun(f, "kubectl rollout restart deployment/web", { stdout: "deployment.apps/web restarted\n", exitCode: 0 });
    const web = f.store.get<Deployment>("Deployment", "default", "web");
    expect(web.spec.template.metadata?.annotations).toEqual({ "kubectl.kubernetes.io/restartedAt": f.clock.rfc3339() });
    expect(web.metadata.generation).toBe(2);
  });

  it("finds the objects a manifest names with -f", async () => {
    const f = opsFixture();
    createDeployment(f, "web", "nginx");
    f.fs.writeFile("/root/web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gone\n");
    await expectRun(f, "kubectl rollout restart -f web.yaml", {
      stdout: "deployment.apps/web restarted\n",
      stderr: 'Error from server (NotFound): deployments.apps "gone" not found\n',
      exitCode: 1,
    });
    await expectRun(f, "kubectl rollout pause -f nope.yaml", { stderr: 'error: the path "nope.yaml" does not exist\n', exitCode: 1 });
  });

  it("restarts every deployment a selector matches, and reports an empty patch within one second", async () => {
    const f = opsFixture();
    createDeployment(f, "web", "nginx");
    createDeployment(f, "api", "nginx");
    await expectRun(f, "kubectl rollout restart deployment", { stdout: "deployment.apps/api restarted\ndeployment.apps/web restarted\n" });
    await expectRun(f, "kubectl rollout restart deployment -l app=web", {
      stdout: "deployment.apps/web restarted\n",
      stderr: "error: failed to create patch for web: empty patch\n",
      exitCode: 1,
    });
  });

  const cases: [string, string[], Expected][] = [
    ["pause", ["kubectl rollout pause deploy/web"], { stdout: "deployment.apps/web paused\n", exitCode: 0 }],
    ["pause twice", ["kubectl rollout pause deploy/web", "kubectl rollout pause deploy/web"], { stdout: "", stderr: 'error: deployments.apps "web" is already paused\n', exitCode: 1 }],
    ["resume", ["kubectl rollout pause deploy/web", "kubectl rollout resume deploy/web"], { stdout: "deployment.apps/web resumed\n", exitCode: 0 }],
    ["resume when running", ["kubectl rollout resume deploy/web"], { stderr: 'error: deployments.apps "web" is not paused\n', exitCode: 1 }],
    [
      "restart when paused",
      ["kubectl rollout pause deploy/web", "kubectl rollout restart deploy/web"],
      { stderr: `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n`, exitCode: 1 },
    ],
    ["pause a daemonset", ["kubectl rollout pause ds/proxy -n kube-system"], { stderr: 'error: daemonsets.apps "proxy" pausing is not supported\n', exitCode: 1 }],
    ["restart a daemonset", ["kubectl rollout restart ds/proxy -n kube-system"], { stdout: "daemonset.apps/proxy restarted\n", exitCode: 0 }],
    ["restart a service", ["kubectl rollout restart svc/kubernetes"], { stderr: 'error: services "kubernetes" restarting is not supported\n', exitCode: 1 }],
    [
      "found and missing",
      ["kubectl rollout pause deploy/web deploy/nope"],
      { stdout: "deployment.apps/web paused\n", stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 },
    ],
    ["-o name", ["kubectl rollout pause deploy/web -o name"], { stdout: "deployment.apps/web\n" }],
  ];
  it.each(cases)("%s", async (_name, lines, expected) => {
    const f = opsFixture();
    createDeployment(f, "web", "nginx");
    createDaemonSet(f, "proxy");
    for (const line of lines.slice(0, -1)) await f.sh.run(line);
    await expectRun(f, lines.at(-1)!, expected);
  });
});

function createDaemonSet(f: Fixture, name: string) {
  return f.store.create<DaemonSet>({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "kube-system" },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "proxy" }] } } },
  });
}

/** A stand-in deployment controller: every 2 s one more replica becomes available. */
const rollingController: Controller = {
  name: "test-rollout",
  watches: [{ kind: "Deployment", keys: (e) => [`${e.object.metadata.namespace}/${e.object.metadata.name}`] }],
  reconcile(key, ctx) {
    const [namespace, name] = key.split("/");
    const d = ctx.store.find<Deployment>("Deployment", namespace, name);
    if (!d || d.metadata.name === "stuck") return;
    const replicas = d.spec.replicas ?? 1;
    const elapsed = ctx.clock.now() - Date.parse(d.metadata.creationTimestamp!);
    const available = Math.min(replicas, Math.floor(elapsed / 2000));
    const status = { observedGeneration: d.metadata.generation, replicas, updatedReplicas: replicas, readyReplicas: available, availableReplicas: available };
    ctx.store.updateStatus<Deployment>({ ...d, status } as Deployment);
    if (available < replicas) ctx.requeueAfter(key, 2000);
  },
};

describe("kubectl rollout status", () => {
  it("watches in virtual time until the rollout is done", async () => {
    const f = opsFixture();
    f.cluster.register(rollingController);
    createDeployment(f, "web", "nginx");
    f.cluster.settle();
    const started = f.clock.now();
    await expectRun(f, "kubectl rollout status deployment/web", {
      stdout: [
        'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...',
        'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
        'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
        'deployment "web" successfully rolled out',
        "",
      ].join("\n"),
      exitCode: 0,
    });
    expect(f.clock.now() - started).toBe(6000);
  });

  const statuses: [string, Partial<Deployment["status"]> & { generation?: number }, string, Expected][] = [
    ["not observed yet", {}, "", { stdout: 'Waiting for deployment spec update to be observed...\n' }],
    ["new replicas", { observedGeneration: 1, updatedReplicas: 1 }, "", { stdout: 'Waiting for deployment "stuck" rollout to finish: 1 out of 3 new replicas have been updated...\n' }],
    ["old replicas", { observedGeneration: 1, updatedReplicas: 3, replicas: 5 }, "", { stdout: 'Waiting for deployment "stuck" rollout to finish: 2 old replicas are pending termination...\n' }],
    ["done", { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }, "", { stdout: 'deployment "stuck" successfully rolled out\n', exitCode: 0 }],
    ["revision pinned elsewhere", { observedGeneration: 1 }, " --revision=2", { stderr: /^error: cannot get the revision of deployment "stuck"/, exitCode: 1 }],
  ];
  it.each(statuses)("--watch=false: %s", async (_name, status, extra, expected) => {
    const f = opsFixture();
    const d = createDeployment(f, "stuck", "nginx");
    f.store.updateStatus<Deployment>({ ...d, status } as Deployment);
    await expectRun(f, `kubectl rollout status deploy/stuck --watch=false${extra}`, { exitCode: 0, ...expected });
  });

  it("gives up at --timeout", async () => {
    const f = opsFixture();
    createDeployment(f, "stuck", "nginx");
    const started = f.clock.now();
    await expectRun(f, "kubectl rollout status deploy/stuck --timeout=5s", {
      stdout: "Waiting for deployment spec update to be observed...\n",
      stderr: "error: timed out waiting for the condition\n",
      exitCode: 1,
    });
    expect(f.clock.now() - started).toBe(5000);
  });

  it("stops when the progress deadline is exceeded", async () => {
    const f = opsFixture();
    const d = createDeployment(f, "stuck", "nginx");
    f.store.updateStatus<Deployment>({
      ...d,
      status: { observedGeneration: 1, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] },
    } as Deployment);
    await expectRun(f, "kubectl rollout status deploy/stuck", { stdout: "", stderr: 'error: deployment "stuck" exceeded its progress deadline\n', exitCode: 1 });
  });

  it("reports daemon sets, errors and unsupported kinds", async () => {
    const f = opsFixture();
    const ds = createDaemonSet(f, "proxy");
    f.store.updateStatus<DaemonSet>({ ...ds, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } } as DaemonSet);
    await expectRun(f, "kubectl rollout status ds/proxy -n kube-system --watch=false", {
      stdout: 'Waiting for daemon set "proxy" rollout to finish: 2 of 3 updated pods are available...\n',
    });
    createDeployment(f, "a", "nginx");
    createDeployment(f, "b", "nginx");
    await expectRun(f, "kubectl rollout status deployment", {
      stderr: "error: rollout status is only supported on individual resources and resource collections - 2 resources were found\n",
      exitCode: 1,
    });
    await expectRun(f, "kubectl rollout status svc/kubernetes", { stderr: "error: no status viewer has been implemented for Service\n", exitCode: 1 });
    await expectRun(f, "kubectl rollout status statefulset/db", { stderr: 'error: the server doesn\'t have a resource type "statefulset"\n', exitCode: 1 });
  });
});
