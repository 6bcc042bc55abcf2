/**
 * `crictl inspect` and `crictl inspectp`: the CRI status of a container or pod sandbox plus
 * containerd's verbose info (PID, sandbox, network namespace path, runtime spec), as JSON, or
 * through a Go template (`-o go-template --template '{{.info.pid}}'`).
 *
 * @example
 * renderGoTemplate("{{.status.network.ip}} {{.info.pid}}", inspectSandbox(agent, sandbox, now)); // "10.244.1.2 1538"
 */
import { nanoTime } from "../format";
import type { NodeAgent } from "../agent";
import type { ContainerInfo, Sandbox } from "../runtime/containerd";

const ZERO = "0001-01-01T00:00:00Z";
const stamp = (ms: number | undefined) => (ms === undefined ? ZERO : nanoTime(ms, 0));

/** inspectp's JSON for a sandbox. */
export function inspectSandbox(agent: NodeAgent, s: Sandbox): Record<string, unknown> {
  const nsPath = s.netns.name ? `/var/run/netns/${s.netns.name}` : "";
  const namespaces = [{ type: "pid" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }, ...(s.hostNetwork ? [] : [{ type: "network", path: nsPath }])];
  return {
    status: {
      id: s.id,
      metadata: { attempt: s.attempt, name: s.name, namespace: s.namespace, uid: s.podUid },
      state: s.state,
      createdAt: stamp(s.createdAt),
      network: { additionalIps: [], ip: s.hostNetwork ? "" : s.ip },
      linux: { namespaces: { options: { ipc: "POD", network: s.hostNetwork ? "NODE" : "POD", pid: "CONTAINER", targetId: "", userNsOptions: null } } },
      labels: s.labels,
      annotations: s.annotations,
      runtimeHandler: "",
    },
    info: {
      pid: s.pausePid ?? 0,
      processStatus: s.state === "SANDBOX_READY" ? "running" : "deleted",
      netNamespaceClosed: s.state !== "SANDBOX_READY",
      image: "registry.k8s.io/pause:3.10",
      snapshotKey: s.id,
      snapshotter: "overlayfs",
      runtimeHandler: "",
      runtimeType: "io.containerd.runc.v2",
      runtimeOptions: { systemd_cgroup: true },
      config: { metadata: { attempt: s.attempt, name: s.name, namespace: s.namespace, uid: s.podUid }, hostname: s.hostNetwork ? agent.name : s.name, log_directory: `/var/log/pods/${s.namespace}_${s.name}_${s.podUid}`, labels: s.labels, annotations: s.annotations },
      runtimeSpec: { ociVersion: "1.1.0", process: { user: { uid: 65535, gid: 65535 }, args: ["/pause"], cwd: "/" }, root: { path: "rootfs", readonly: true }, hostname: s.hostNetwork ? "" : s.name, linux: { namespaces } },
    },
  };
}

/** inspect's JSON for a container. */
export function inspectContainer(agent: NodeAgent, c: ContainerInfo): Record<string, unknown> {
  const sandbox = agent.runtime.sandboxes.get(c.sandboxId);
  const pause = sandbox?.pausePid;
  const sandboxNs = (type: string) => (pause ? { type, path: `/proc/${pause}/ns/${type}` } : { type });
  const logPath = sandbox ? `/var/log/pods/${sandbox.namespace}_${sandbox.name}_${sandbox.podUid}/${c.name}/${c.attempt}.log` : "";
  const mounts = c.fs.mountPoints().map((m) => ({ containerPath: m.target, hostPath: m.source, propagation: "PROPAGATION_PRIVATE", readonly: false, selinuxRelabel: false }));
  return {
    status: {
      id: c.id,
      metadata: { attempt: c.attempt, name: c.name },
      state: c.state,
      createdAt: stamp(c.createdAt),
      startedAt: stamp(c.startedAt),
      finishedAt: stamp(c.finishedAt),
      exitCode: c.exitCode ?? 0,
      image: { annotations: {}, image: c.imageRef, runtimeHandler: "", userSpecifiedImage: "" },
      imageRef: `${c.image.repository}@${c.image.digest}`,
      reason: c.state === "CONTAINER_EXITED" ? (c.reason ?? "") : "",
      message: c.message ?? "",
      labels: c.labels,
      annotations: c.annotations,
      mounts,
      logPath,
      imageId: c.image.id,
    },
    info: {
      sandboxID: c.sandboxId,
      pid: c.state === "CONTAINER_RUNNING" ? (c.pids[0] ?? 0) : 0,
      removing: false,
      snapshotKey: c.id,
      snapshotter: "overlayfs",
      runtimeType: "io.containerd.runc.v2",
      runtimeOptions: { systemd_cgroup: true },
      config: {
        metadata: { attempt: c.attempt, name: c.name },
        image: { image: c.image.id },
        command: c.argv.slice(0, 1),
        args: c.argv.slice(1),
        envs: Object.entries(c.env).map(([key, value]) => ({ key, value })),
        labels: c.labels,
        annotations: c.annotations,
        log_path: `${c.name}/${c.attempt}.log`,
      },
      runtimeSpec: {
        ociVersion: "1.1.0",
        process: { user: { uid: c.image.user ?? 0, gid: c.image.user ?? 0 }, args: c.argv, env: Object.entries(c.env).map(([k, v]) => `${k}=${v}`), cwd: c.image.workdir },
        linux: { namespaces: [{ type: "pid" }, sandboxNs("ipc"), sandboxNs("uts"), { type: "mount" }, sandbox?.hostNetwork ? { type: "network", path: "/proc/1/ns/net" } : sandboxNs("net")].map((n) => (n.type === "net" ? { ...n, type: "network" } : n)) },
      },
    },
  };
}

/** A Go `text/template` subset: literal text and `{{.field.path}}` (maps print as Go's map[…]). */
export function renderGoTemplate(template: string, data: unknown): { ok: true; text: string } | { ok: false; error: string } {
  let failed: string | undefined;
  const text = template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    if (!/^(\.[A-Za-z_][\w]*)+$|^\.$/.test(expr)) {
      failed ??= `template: tmplExecuteRawJSON:1: function "${expr.split(/\s/)[0]}" not defined`;
      return "";
    }
    let value: unknown = data;
    for (const key of expr.split(".").filter(Boolean)) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined || value === null) return "<no value>";
    if (typeof value === "object") return Array.isArray(value) ? `[${value.map(String).join(" ")}]` : `map[${Object.entries(value as object).map(([k, v]) => `${k}:${typeof v === "object" ? "map[]" : String(v)}`).join(" ")}]`;
    return String(value);
  });
  return failed ? { ok: false, error: failed } : { ok: true, text };
}
