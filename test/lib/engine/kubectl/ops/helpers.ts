/**
 * The operations verbs' test bench: a three-node flannel cluster (seed 7) with Node objects,
 * default ServiceAccounts and kubeadm's admin kubeconfig, a scriptable PodRuntimeService, and a
 * shell whose `kubectl` command hands the words straight to the ops verbs with a
 * KubectlContext built here (no controllers or kubelets run: tests set statuses themselves).
 */
import { expect } from "vitest";
import { type Deployment, type KubeObject, type Pod, type PolicyRule, type ReplicaSet, type Stored, type Subject, impersonatedUser } from "@/lib/engine/api";
import { Cluster } from "@/lib/engine/cluster/cluster";
import { ClusterClock } from "@/lib/engine/cluster/clock";
import type { PodRuntimeService } from "@/lib/engine/cluster/services";
import { ServerUnreachableError } from "@/lib/engine/kubectl/connection";
import { errorExitCode, errorText } from "@/lib/engine/kubectl/errors";
import { GLOBAL_FLAGS } from "@/lib/engine/kubectl/flags";
import { parseFlags } from "@/lib/engine/kubectl/parse";
import type { KubectlContext, KubectlVerb } from "@/lib/engine/kubectl/types";
import { operationsVerbs } from "@/lib/engine/kubectl/verbs/ops";
import { loadScenario } from "@/lib/engine/scenarios";
import { type Command, createCoreRegistry, FileSystem, installCommands, type LocationInit, ShellSession } from "@/lib/engine/shell";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(__dirname, "fixtures");
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
export const ADMIN_KUBECONFIG = fixture("kubeconfig-kubeadm.yaml");

/** What the fake kubelet answers: logs per `ns/pod/container` (and `…/previous`), refusals, exec locations. */
export interface FakeRuntime extends PodRuntimeService {
  logText: Map<string, string>;
  refusals: Map<string, string>;
  execCalls: { pod: string; container: string; command: readonly string[] }[];
}

/** A container shell: its own file system and the core commands. */
export function containerLocation(clock: ClusterClock, podName: string): LocationInit {
  const fs = new FileSystem(clock);
  fs.writeFile("/etc/hostname", `${podName}\n`, { parents: true });
  fs.writeFile("/usr/share/nginx/html/index.html", "<h1>hello</h1>\n", { parents: true });
  const commands = createCoreRegistry();
  installCommands(fs, commands);
  return { host: { name: podName, user: "root", uid: 0, gid: 0, home: "/root" }, fs, commands, cwd: "/", ps1: "\\u@\\h:\\w# " };
}

function fakeRuntime(clock: ClusterClock): FakeRuntime {
  const logText = new Map<string, string>();
  const refusals = new Map<string, string>();
  const execCalls: FakeRuntime["execCalls"] = [];
  return {
    logText,
    refusals,
    execCalls,
    logs(namespace, pod, container, options) {
      const key = `${namespace}/${pod}/${container}${options.previous ? "/previous" : ""}`;
      const refusal = refusals.get(key);
      if (refusal) return { ok: false, message: refusal };
      const text = logText.get(key);
      if (text === undefined) {
        return { ok: false, message: options.previous ? `previous terminated container "${container}" in pod "${pod}" not found` : `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating` };
      }
      let lines = text.split(/(?<=\n)/).filter((l) => l !== "");
      if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
      if (!options.timestamps) lines = lines.map((l) => l.replace(/^\S+ /, ""));
      return { ok: true, text: lines.join("") };
    },
    execLocation(namespace, pod, container, command) {
      execCalls.push({ pod, container, command });
      const refusal = refusals.get(`${namespace}/${pod}/${container}/exec`);
      if (refusal) return { ok: false, message: refusal };
      const shell = command.length === 1 && ["sh", "bash", "/bin/sh", "/bin/bash"].includes(command[0]);
      return { ok: true, location: containerLocation(clock, pod), argv: shell ? [] : command };
    },
    attach: (_namespace, _pod, container) => ({ ok: false, message: `unable to upgrade connection: container not found ("${container}")` }),
  };
}

/** The verb the leading words name (a sub-command after its parent; aliases count) and the words after it. */
function findVerb(words: readonly string[]): { verb: KubectlVerb; rest: string[] } | undefined {
  let list: readonly KubectlVerb[] = operationsVerbs;
  let found: { verb: KubectlVerb; rest: string[] } | undefined;
  for (const [i, word] of words.entries()) {
    const verb = list.find((v) => v.name === word || v.aliases?.includes(word));
    if (!verb) break;
    found = { verb, rest: words.slice(i + 1) };
    list = verb.subcommands ?? [];
  }
  return found;
}

/** What reaching the cluster throws on a host without a kubeconfig (kubectl dials localhost:8080). */
const REFUSED = new ServerUnreachableError({
  url: "http://localhost:8080",
  urlHost: "localhost:8080",
  dialError: "dial tcp 127.0.0.1:8080: connect: connection refused",
  refused: true,
});

/** Builds the fixture; `offline` makes every contact with the cluster fail as an unreachable apiserver does. */
export function opsFixture(options: { terminal?: boolean; offline?: boolean } = {}) {
  const cluster = new Cluster(loadScenario("three-node-flannel"), 7);
  const store = cluster.store;
  const clock = new ClusterClock(cluster);
  for (const ns of ["default", "kube-system", "kube-flannel"]) {
    if (!store.find("Namespace", undefined, ns)) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns } });
  }
  for (const node of cluster.nodes.values()) {
    const labels: Record<string, string> = { "kubernetes.io/hostname": node.name, "kubernetes.io/os": "linux" };
    if (node.role === "control-plane") labels["node-role.kubernetes.io/control-plane"] = "";
    store.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: node.name, labels },
      spec: {},
      status: { conditions: [{ type: "Ready", status: "True" }], addresses: [{ type: "InternalIP", address: node.ip }] },
    });
  }
  const runtime = fakeRuntime(clock);
  const fs = cluster.nodes.get("controlplane")!.fs;
  fs.writeFile("/root/.kube/config", ADMIN_KUBECONFIG, { parents: true });
  const kubectl: Command = {
    name: "kubectl",
    summary: "kubectl controls the Kubernetes cluster manager",
    usage: "kubectl [flags] [options]",
    spec: { flags: [], raw: true },
    async run(argv, shell) {
      const found = findVerb(argv.operands);
      if (!found?.verb.run) throw new Error(`no ops verb for: ${argv.operands.join(" ")}`);
      const parsed = parseFlags(found.rest, [...found.verb.flags, ...GLOBAL_FLAGS]);
      if (!parsed.ok) return { stdout: "", stderr: `Error: ${parsed.error}\n`, exitCode: 1 };
      const args = parsed.args;
      const explicitNs = args.string("namespace");
      const impersonate = args.string("as") || undefined;
      const reach = <T>(value: T): T => {
        if (options.offline) throw REFUSED;
        return value;
      };
      const ctx: KubectlContext = {
        get cluster() {
          return reach(cluster);
        },
        get store() {
          return reach(store);
        },
        get runtime() {
          return reach(runtime);
        },
        shell,
        namespace: explicitNs || "default",
        namespaceExplicit: Boolean(explicitNs),
        allNamespaces: args.bool("all-namespaces"),
        user: impersonate ? impersonatedUser(impersonate, args.strings("as-group")) : { name: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] },
        kubeconfig: { path: "/root/.kube/config", config: {}, server: "https://172.30.1.2:6443" },
        globals: args,
        verbs: operationsVerbs,
      };
      try {
        return await found.verb.run(args, ctx);
      } catch (error) {
        const text = errorText(error);
        if (text === undefined) throw error;
        return { stdout: "", stderr: text, exitCode: errorExitCode(error) };
      }
    },
  };
  const commands = createCoreRegistry().register(kubectl);
  installCommands(fs, commands);
  const host = { name: "controlplane", user: "root", uid: 0, gid: 0, home: "/root", addresses: () => ["172.30.1.2"] };
  const sh = new ShellSession({ clock, terminal: options.terminal ?? false, location: { host, fs, commands, ps1: "\\h:\\w$ " } });
  return { cluster, store, clock, runtime, fs, sh };
}

export type Fixture = ReturnType<typeof opsFixture>;

/** What a case expects; unspecified fields are not checked. */
export interface Expected {
  stdout?: string | RegExp;
  stderr?: string | RegExp;
  exitCode?: number;
}

/** Runs `line` and checks the fields `expected` names. */
export async function expectRun(f: Fixture, line: string, expected: Expected) {
  const result = await f.sh.run(line);
  const check = (actual: string, want: string | RegExp | undefined, what: string) => {
    if (want === undefined) return;
    if (typeof want === "string") expect(actual, `${what} of ${line}`).toBe(want);
    else expect(actual, `${what} of ${line}`).toMatch(want);
  };
  check(result.stdout, expected.stdout, "stdout");
  check(result.stderr, expected.stderr, "stderr");
  if (expected.exitCode !== undefined) expect(result.exitCode, `exit code of ${line}`).toBe(expected.exitCode);
  return result;
}

/** A Deployment `name` selecting `app=name`, with `image`. */
export function createDeployment(f: Fixture, name: string, image: string, extra: Partial<Deployment["spec"]> = {}): Stored<Deployment> {
  return f.store.create<Deployment>({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
      ...extra,
    },
  });
}

/** A ReplicaSet the deployment controller would have made for revision `revision` with `image`. */
export function createRevision(f: Fixture, deployment: Stored<Deployment>, revision: number, image: string, cause?: string): Stored<ReplicaSet> {
  const hash = `${deployment.metadata.name}-h${revision}`.replace(/[^a-z0-9]/g, "").slice(-10);
  const template = JSON.parse(JSON.stringify(deployment.spec.template)) as Deployment["spec"]["template"];
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, "pod-template-hash": hash } };
  template.spec.containers[0].image = image;
  return f.store.create<ReplicaSet>({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: "default",
      labels: { ...deployment.spec.selector?.matchLabels, "pod-template-hash": hash },
      annotations: { "deployment.kubernetes.io/revision": String(revision), ...(cause ? { "kubernetes.io/change-cause": cause } : {}) },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, selector: { matchLabels: { ...deployment.spec.selector?.matchLabels, "pod-template-hash": hash } }, template },
  });
}

/** A pod on `node`, owned by `owner` (a controller reference) if given, in phase `phase`. */
export function createPod(
  f: Fixture,
  name: string,
  options: { namespace?: string; node?: string; owner?: KubeObject & { metadata: { uid?: string } }; phase?: string; containers?: string[]; extra?: Partial<Pod["spec"]>; labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): Stored<Pod> {
  const namespace = options.namespace ?? "default";
  const owner = options.owner;
  const pod = f.store.create<Pod>({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      labels: options.labels,
      annotations: options.annotations,
      ...(owner ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] } : {}),
    },
    spec: { containers: (options.containers ?? ["app"]).map((c) => ({ name: c, image: "nginx:1.27" })), ...(options.node ? { nodeName: options.node } : {}), ...options.extra },
  });
  if (!options.phase) return pod;
  return f.store.updateStatus<Pod>({ ...pod, status: { phase: options.phase, conditions: [{ type: "Ready", status: options.phase === "Running" ? "True" : "False" }] } } as Pod);
}

const RBAC = "rbac.authorization.k8s.io/v1";

/** A Role or ClusterRole with `rules`. */
export function role(f: Fixture, kind: "Role" | "ClusterRole", name: string, rules: PolicyRule[], namespace?: string) {
  f.store.create({ apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, rules });
}

/** A RoleBinding or ClusterRoleBinding of `subjects` to a role. */
export function binding(f: Fixture, kind: "RoleBinding" | "ClusterRoleBinding", name: string, roleKind: "Role" | "ClusterRole", roleName: string, subjects: Subject[], namespace?: string) {
  f.store.create({
    apiVersion: RBAC,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName },
    subjects,
  });
}
