/**
 * What the kubelet serves for `kubectl logs` and `kubectl exec` (the apiserver proxies both
 * to the pod's node): a container's log from its current or previous instance, and a shell
 * location inside a running container with the commands its image ships, and an attachment to a
 * running container's main process (`kubectl attach`, `kubectl run -i`). Failures are worded
 * as the apiserver and kubelet word them: unknown container, not started yet, no previous
 * instance, node unreachable, binary missing from the image.
 *
 * @example
 * runtime.logs("default", "web", "web", { tailLines: 2 });  // { ok: true, text: "…\n" }
 * runtime.execLocation("default", "web", "web", ["bash"]);  // { ok: true, location, argv: [] }
 */
import { type ContainerStatus, ephemeralContainersOf, type ObjectStore, type Pod, type Stored } from "../../api";
import type { Attachment, PodRuntimeService, Refusal } from "../../cluster/services";
import { CommandRegistry, type HostInfo, type LocationInit, type NamespaceProcess } from "../../shell";
import type { NodeAgent } from "../agent";
import type { NodeAgents } from "../agents";
import { nanoTime, stableHex } from "../format";
import { imageTools } from "../programs";
import type { ContainerInfo } from "../runtime/containerd";
import { ContainerAttachment } from "./attach";
import { FLAVORS } from "./flavors";
import { HOST_NETNS_INODE } from "../../net/network";

const refuse = (message: string): Refusal => ({ ok: false, message });

export class PodRuntime implements PodRuntimeService {
  constructor(
    private readonly store: ObjectStore,
    private readonly agents: NodeAgents,
  ) {}

  logs(namespace: string, podName: string, container: string, options: { previous?: boolean; tailLines?: number; timestamps?: boolean }): { ok: true; text: string } | Refusal {
    const found = this.locate(namespace, podName, container, "containerLogs");
    if ("ok" in found) return found;
    const { pod, status, agent } = found;
    const quoted = `container "${container}" in pod "${podName}"`;
    let id: string | undefined;
    const state = status?.state ?? {};
    const last = status?.lastState?.terminated;
    if (options.previous) {
      if (!last?.containerID) return refuse(`previous terminated ${quoted} not found`);
      id = last.containerID;
    } else if (state.running) {
      id = status!.containerID;
    } else if (state.terminated) {
      id = state.terminated.containerID || last?.containerID;
      if (!id) return refuse(`${quoted} is terminated`);
    } else if (last) {
      id = last.containerID;
      if (!id) return refuse(`${quoted} is terminated`);
    } else if (state.waiting) {
      const reason = state.waiting.reason;
      if (reason === "ErrImagePull") return refuse(`${quoted} is waiting to start: image can't be pulled`);
      if (reason === "ImagePullBackOff") return refuse(`${quoted} is waiting to start: trying and failing to pull image`);
      return refuse(`${quoted} is waiting to start: ${reason}`);
    } else {
      return refuse(`${quoted} is waiting to start - no logs yet`);
    }
    const c = agent.runtime.containers.get((id ?? "").replace(/^\w+:\/\//, ""));
    if (!c) {
      const dir = `/var/log/pods/${namespace}_${podName}_${pod.metadata.uid}/${container}`;
      return refuse(`failed to try resolving symlinks in path "${dir}/${(status?.restartCount ?? 0) - (options.previous ? 1 : 0)}.log": lstat ${dir}: no such file or directory`);
    }
    let lines = c.logs.map((l) => (options.timestamps ? `${nanoTime(l.time, l.seq)} ${l.text}` : l.text));
    if (options.tailLines !== undefined && options.tailLines >= 0) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
    return { ok: true, text: lines.map((l) => l + "\n").join("") };
  }

  execLocation(namespace: string, podName: string, container: string, command: readonly string[]):
    { ok: true; location: LocationInit; argv: readonly string[] } | Refusal {
    const found = this.locate(namespace, podName, container, "exec");
    if ("ok" in found) return found;
    const { pod, status, agent } = found;
    const id = status?.state?.running ? (status.containerID ?? "").replace(/^\w+:\/\//, "") : "";
    const c = agent.runtime.containers.get(id);
    if (!c || c.state !== "CONTAINER_RUNNING") return refuse(`unable to upgrade connection: container not found ("${container}")`);
    const tools = imageTools(c.image);
    const binary = command[0] ?? "";
    if (!tools.has(binary.replace(/^.*\//, ""))) {
      return refuse(`Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${stableHex(`${c.id}/${binary}`, 64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${binary}": executable file not found in $PATH: unknown`);
    }
    const location = this.location(pod, c, tools, binary.replace(/^.*\//, ""), agent);
    const shell = FLAVORS[c.image.flavor].shells[binary.replace(/^.*\//, "")];
    return { ok: true, location, argv: shell && command.length === 1 ? [] : command };
  }

  attach(namespace: string, podName: string, container: string): { ok: true; attachment: Attachment } | Refusal {
    const found = this.locate(namespace, podName, container, "attach");
    if ("ok" in found) return found;
    const { pod, status, agent } = found;
    const id = status?.state?.running ? (status.containerID ?? "").replace(/^\w+:\/\//, "") : "";
    const c = agent.runtime.containers.get(id);
    if (!c || c.state !== "CONTAINER_RUNNING") return refuse(`unable to upgrade connection: container not found ("${container}")`);
    const shell = c.run?.stdinShell;
    const location = shell ? this.location(pod, c, imageTools(c.image), shell, agent) : undefined;
    return { ok: true, attachment: new ContainerAttachment(agent.runtime, c, location) };
  }

  /** The network namespace a container's shell sees (its sandbox's, the host's for hostNetwork). */
  private netnsOf(agent: NodeAgent, c: ContainerInfo): NonNullable<HostInfo["netns"]> {
    return { network: this.agents.cluster.network, host: agent.host.name, inode: agent.runtime.sandboxes.get(c.sandboxId)?.netns.inode ?? HOST_NETNS_INODE };
  }

  /** The container's shell location: its file system, its image's commands, its env and prompt. */
  /** The processes of the container's PID namespace, numbered from its first one (PID 1), named by the container's users. */
  private namespaceProcesses(agent: NodeAgent, c: ContainerInfo): NamespaceProcess[] {
    const pidNs = agent.processes.get(c.pids[0] ?? -1)?.ns?.pid;
    if (pidNs === undefined) return [];
    const procs = agent.processes.list().filter((p) => p.ns?.pid === pidNs);
    const first = procs[0]?.pid ?? 0;
    const passwd = c.fs.isFile("/etc/passwd") ? c.fs.readFile("/etc/passwd") : "";
    const users = new Map(passwd.split("\n").map((l) => l.split(":")).filter((f) => f.length > 2).map((f) => [Number(f[2]), f[0]] as const));
    const now = this.agents.cluster.clock.now();
    return procs.map((p) => ({ pid: p.pid - first + 1, user: users.get(p.uid) ?? String(p.uid), cpuSeconds: Math.floor(((p.cpu / 100) * (now - p.start)) / 1000), args: p.args }));
  }

  private location(pod: Stored<Pod>, c: ContainerInfo, tools: ReadonlySet<string>, shell: string, agent: NodeAgent): LocationInit {
    const netns = this.netnsOf(agent, c);
    const commands = new CommandRegistry(this.agents.containerCommands().filter((cmd) => cmd.builtin || tools.has(cmd.name)));
    const uid = c.image.user ?? 0;
    const passwd = c.fs.isFile("/etc/passwd") ? c.fs.readFile("/etc/passwd") : "";
    const entry = passwd.split("\n").map((l) => l.split(":")).find((f) => Number(f[2]) === uid);
    const flavor = FLAVORS[c.image.flavor];
    const hostname = pod.spec.hostNetwork ? pod.spec.nodeName ?? "" : (pod.spec.hostname ?? pod.metadata.name);
    const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...ephemeralContainersOf(pod)].find((x) => x.name === c.name);
    const ip = pod.status?.podIP;
    return {
      host: {
        name: hostname, user: entry?.[0] ?? "I have no name!", uid, gid: Number(entry?.[3] ?? uid), home: entry?.[5] ?? "/", addresses: () => (ip ? [ip] : []), netns,
        processes: () => this.namespaceProcesses(agent, c),
      },
      fs: c.fs,
      commands,
      cwd: spec?.workingDir ?? c.image.workdir,
      env: { ...c.env, SHELL: flavor.shells[shell] === "bash" ? "/bin/bash" : "/bin/sh" },
      ps1: flavor.ps1[shell] ?? flavor.ps1.sh ?? "\\$ ",
      exitMessage: flavor.shells[shell] === "bash" ? "exit\n" : "",
      shell: { name: shell, dialect: flavor.shells[shell] ?? "bash" },
      sh: flavor.shells.sh === "ash" ? "ash" : "dash",
    };
  }

  /** The pod, its container's status and its node's agent, or the refusal. */
  private locate(namespace: string, podName: string, container: string, verb: "containerLogs" | "exec" | "attach"):
    { pod: Stored<Pod>; status?: ContainerStatus; agent: NodeAgent } | Refusal {
    const pod = this.store.find<Pod>("Pod", namespace, podName);
    if (!pod) return refuse(`pods "${podName}" not found`);
    const names = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...ephemeralContainersOf(pod)].map((c) => c.name);
    if (!names.includes(container)) return refuse(`container ${container} is not valid for pod ${podName}`);
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return refuse(`pod ${podName} does not have a host assigned`);
    const agent = this.agents.node(nodeName);
    if (!agent) return refuse(`nodes "${nodeName}" not found`);
    const url = `https://${agent.host.ip}:10250/${verb}/${namespace}/${podName}/${container}`;
    if (!agent.host.powered) return refuse(`Get "${url}": dial tcp ${agent.host.ip}:10250: connect: no route to host`);
    if (!agent.host.kubeletRunning) return refuse(`Get "${url}": dial tcp ${agent.host.ip}:10250: connect: connection refused`);
    const ephemeral = (pod.status as { ephemeralContainerStatuses?: ContainerStatus[] } | undefined)?.ephemeralContainerStatuses ?? [];
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...ephemeral].find((s) => s.name === container);
    return { pod, status, agent };
  }
}
