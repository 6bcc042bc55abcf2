/**
 * A node's container runtime (containerd's CRI plugin with runc shims): pod sandboxes with
 * their pause process and network namespace, containers with their processes, sockets, logs
 * and exit status, and the stop protocol (signal, grace period, SIGKILL). The kubelet drives
 * it through CRI-shaped calls; `crictl`, `ps`, `lsns` and `nsenter` read it. State changes
 * that the kubelet must notice (a container exited) are reported through `notify`, the way
 * PLEG relists would find them.
 *
 * @example
 * const sandbox = runtime.runSandbox({ pod, hostNetwork: false, setUpNetwork: (sb) => network.setUp(pod, node, sb) });
 * const c = runtime.createContainer(sandbox, { name: "web", image, imageRef, argv, env, fs, attempt: 0 });
 * runtime.startContainer(c.id, startProgram(ctx, dial));
 * runtime.stopContainer(c.id, 30_000, "SIGQUIT");
 */
import type { Stored, Pod } from "../../api";
import type { TimerQueue } from "../../cluster/timers";
import type { FileSystem, VirtualSource } from "../../shell";
import type { VirtualClock } from "../../util/clock";
import type { Rng } from "../../util/rng";
import type { MountedFileSystem } from "../container/mounted-fs";
import { nanoTime } from "../format";
import type { CatalogImage } from "../images/catalog";
import type { Listen, LogLine, ProgramTools, ProgramRun, Signal, StartFailure } from "../programs/kit";
import type { ClusterNetwork } from "../../net/network";
import { ROOT_NETNS, type NetNamespace, type ProcessNamespaces, type ProcessTable } from "./processes";

export interface Sandbox {
  id: string;
  podUid: string;
  name: string;
  namespace: string;
  attempt: number;
  createdAt: number;
  state: "SANDBOX_READY" | "SANDBOX_NOTREADY";
  hostNetwork: boolean;
  ip: string;
  netns: NetNamespace;
  /** The pause process's other namespaces; the containers join its UTS and IPC ones. */
  ns: ProcessNamespaces;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  shimPid: number;
  pausePid?: number;
}

export interface LogEntry extends LogLine {
  time: number;
  seq: number;
}

export interface ContainerInfo {
  id: string;
  sandboxId: string;
  podUid: string;
  name: string;
  attempt: number;
  image: CatalogImage;
  /** The image as the pod spec names it, normalized (`docker.io/library/nginx:1.27`). */
  imageRef: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  state: "CONTAINER_CREATED" | "CONTAINER_RUNNING" | "CONTAINER_EXITED";
  exitCode?: number;
  reason?: string;
  message?: string;
  argv: string[];
  env: Record<string, string>;
  fs: MountedFileSystem;
  pids: number[];
  bound: Listen[];
  logs: LogEntry[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  run?: ProgramRun;
  /** The container whose PID namespace this one joins (an ephemeral container's target). */
  sharePidWith?: string;
}

/** The node the runtime runs on, as the runtime needs it. */
export interface RuntimeOwner {
  /** The current boot's process table. */
  readonly processes: ProcessTable;
  /** The cluster's network: the machine's namespaces (and their nsfs inodes) come from it. */
  readonly network: ClusterNetwork;
  /** Tells the kubelet (and the control plane) that a pod's containers changed state. */
  containersChanged(podUid: string): void;
  /** The network tools a container's PID 1 may run from its pod, for one step. */
  programTools(c: ContainerInfo): ProgramTools | undefined;
}

export interface RuntimeDeps {
  node: string;
  clock: VirtualClock;
  timers: TimerQueue;
  rng: Rng;
  fs: FileSystem;
  owner: RuntimeOwner;
}

/** `/var/log/pods/…/N.log`: the container's log in the CRI format, read when read. */
class ContainerLogFile implements VirtualSource {
  constructor(private readonly container: ContainerInfo) {}

  read(): string {
    return this.container.logs.map((l) => `${nanoTime(l.time, l.seq)} ${l.stream} F ${l.text}\n`).join("");
  }
}

// What the runtime's timers do: module-level, a timer is data (see ../../cluster/timers.ts).
function exitContainer(runtime: ContainerRuntime, c: ContainerInfo, code: number): void {
  runtime.exited(c, code);
}

function wakeContainer(runtime: ContainerRuntime, c: ContainerInfo): void {
  runtime.woken(c);
}

const MAX_LOG_LINES = 5000;

export class ContainerRuntime {
  readonly sandboxes = new Map<string, Sandbox>();
  readonly containers = new Map<string, ContainerInfo>();
  /** Sockets bound per network namespace inode. */
  private readonly sockets = new Map<number, { listen: Listen; pid: number; container?: string }[]>();
  private nextNsid = 0;
  private logSeq = 0;

  constructor(private readonly deps: RuntimeDeps) {
    // What the machine's boot created before containerd runs leaves a gap in the nsfs inodes.
    deps.owner.network.allocateInode(deps.node, deps.rng.int(60));
  }

  /** CRI RunPodSandbox: a netns (unless hostNetwork), the CNI ADD, then the pause process. */
  runSandbox(init: { pod: Stored<Pod>; attempt: number; hostNetwork: boolean; hostIP: string; setUpNetwork(sandbox: { id: string; netns: NetNamespace }): { ip: string } | { error: string } }):
    { sandbox: Sandbox } | { id: string; error: string } {
    const { pod } = init;
    const id = this.deps.rng.hex(64);
    let netns = ROOT_NETNS;
    let ip = init.hostIP;
    const network = this.deps.owner.network;
    if (!init.hostNetwork) {
      netns = { name: `cni-${this.deps.rng.uuid()}`, inode: network.allocateInode(this.deps.node), nsid: this.nextNsid };
      // The namespace exists (lo down, nothing else) before the CNI plugins are asked to wire it.
      const stack = network.createNamespace({ host: this.deps.node, inode: netns.inode, name: netns.name });
      const result = init.setUpNetwork({ id, netns });
      if ("error" in result) {
        network.deleteNamespace(stack);
        network.releaseInode(this.deps.node, netns.inode);
        return { id, error: result.error };
      }
      network.allocateInode(this.deps.node, this.deps.rng.int(4)); // the CNI plugin's helpers
      this.nextNsid++;
      ip = result.ip;
      this.deps.fs.writeFile(`/run/netns/${netns.name}`, "", { parents: true, mode: 0o444 });
    }
    const now = this.deps.clock.now();
    const table = this.deps.owner.processes;
    const shim = table.spawn({ ppid: 1, uid: 0, args: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${id} -address /run/containerd/containerd.sock`, netns: ROOT_NETNS, start: now, vsz: 1_238_000, rss: 12_800, stat: "Sl" }, this.deps.rng.int(6));
    // runc gives pause its own mount, UTS, IPC, PID and cgroup namespaces (in the kernel's order), the host's where the pod asks.
    const alloc = () => network.allocateInode(this.deps.node);
    const ns: ProcessNamespaces = { mnt: alloc() };
    if (!init.hostNetwork) ns.uts = alloc();
    if (!pod.spec.hostIPC) ns.ipc = alloc();
    if (!pod.spec.hostPID) ns.pid = alloc();
    ns.cgroup = alloc();
    const pause = table.spawn({ ppid: shim.pid, uid: 65535, args: "/pause", netns, ns, hostname: init.hostNetwork ? undefined : pod.metadata.name, start: now, vsz: 1_020, rss: 512, stat: "Ss", container: id }, 12 + this.deps.rng.int(12));
    const sandbox: Sandbox = {
      id, podUid: pod.metadata.uid, name: pod.metadata.name, namespace: pod.metadata.namespace ?? "default", attempt: init.attempt, createdAt: now,
      state: "SANDBOX_READY", hostNetwork: init.hostNetwork, ip, netns, ns, shimPid: shim.pid, pausePid: pause.pid,
      labels: { ...(pod.metadata.labels ?? {}), "io.kubernetes.pod.name": pod.metadata.name, "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "default", "io.kubernetes.pod.uid": pod.metadata.uid },
      annotations: { ...(pod.metadata.annotations ?? {}) },
    };
    this.sandboxes.set(id, sandbox);
    return { sandbox };
  }

  /** CRI StopPodSandbox: every container is killed, pause exits, the netns goes away. */
  stopSandbox(id: string): void {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox || sandbox.state === "SANDBOX_NOTREADY") return;
    for (const c of this.containersOf(sandbox.podUid)) if (c.sandboxId === id && c.state === "CONTAINER_RUNNING") this.exit(c, 137, false);
    const table = this.deps.owner.processes;
    if (sandbox.pausePid !== undefined) table.kill(sandbox.pausePid);
    table.kill(sandbox.shimPid);
    sandbox.state = "SANDBOX_NOTREADY";
    sandbox.pausePid = undefined;
    if (sandbox.netns.name) {
      this.deps.fs.unlink(`/run/netns/${sandbox.netns.name}`);
      this.deleteNetns(sandbox.netns);
    }
  }

  /** CRI RemovePodSandbox: the sandbox and its containers are forgotten. */
  removeSandbox(id: string): void {
    this.stopSandbox(id);
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) this.removeContainer(c.id);
    this.sandboxes.delete(id);
  }

  /** CRI CreateContainer. */
  createContainer(sandbox: Sandbox, init: { name: string; attempt: number; image: CatalogImage; imageRef: string; argv: string[]; env: Record<string, string>; fs: MountedFileSystem; labels: Record<string, string>; annotations: Record<string, string>; sharePidWith?: string }): ContainerInfo {
    const c: ContainerInfo = {
      ...init, id: this.deps.rng.hex(64), sandboxId: sandbox.id, podUid: sandbox.podUid, createdAt: this.deps.clock.now(),
      state: "CONTAINER_CREATED", pids: [], bound: [], logs: [],
    };
    this.containers.set(c.id, c);
    const dir = `/var/log/pods/${sandbox.namespace}_${sandbox.name}_${sandbox.podUid}/${c.name}`;
    this.deps.fs.defineVirtualFile(`${dir}/${c.attempt}.log`, new ContainerLogFile(c), { parents: true, mode: 0o640 });
    this.deps.fs.mkdirp("/var/log/containers");
    this.deps.fs.symlink(`${dir}/${c.attempt}.log`, `/var/log/containers/${sandbox.name}_${sandbox.namespace}_${c.name}-${c.id}.log`);
    return c;
  }

  /** CRI StartContainer: spawns the program's processes and binds its sockets. */
  startContainer(id: string, program: ProgramRun | StartFailure): void {
    const c = this.containers.get(id);
    const sandbox = c && this.sandboxes.get(c.sandboxId);
    if (!c || !sandbox) return;
    const now = this.deps.clock.now();
    if ("startError" in program) {
      Object.assign(c, { state: "CONTAINER_EXITED", exitCode: 128, reason: "StartError", message: program.startError, finishedAt: now });
      this.deps.owner.containersChanged(c.podUid);
      return;
    }
    c.run = program;
    c.state = "CONTAINER_RUNNING";
    c.startedAt = now;
    const table = this.deps.owner.processes;
    // A container gets its own mount, PID and cgroup namespaces and joins the sandbox's UTS and IPC ones.
    const alloc = () => this.deps.owner.network.allocateInode(this.deps.node);
    // An ephemeral container with a target joins the target's PID namespace (runc's `--pid=container:`).
    const target = c.sharePidWith === undefined ? undefined : this.containers.get(c.sharePidWith);
    const targetPid = target?.state === "CONTAINER_RUNNING" ? table.get(target.pids[0])?.ns?.pid : undefined;
    const ns: ProcessNamespaces = { mnt: alloc(), uts: sandbox.ns.uts, ipc: sandbox.ns.ipc, pid: targetPid ?? (sandbox.ns.pid === undefined ? undefined : alloc()), cgroup: alloc() };
    program.processes.forEach((p, i) => {
      const ppid = i === 0 ? sandbox.shimPid : c.pids[0];
      const spawned = table.spawn({ ...p, ppid, args: p.args, netns: sandbox.netns, ns, hostname: sandbox.hostNetwork ? undefined : sandbox.name, start: now, container: c.id }, i === 0 ? 3 + this.deps.rng.int(20) : this.deps.rng.int(2));
      c.pids.push(spawned.pid);
    });
    for (const listen of program.listens) {
      const holder = this.socketsOf(sandbox.netns).find((s) => s.listen.port === listen.port && s.listen.protocol === listen.protocol);
      if (holder) {
        const failure = program.bindFailed(listen, now);
        this.log(c, failure.output, now);
        this.deps.timers.at(now + (failure.afterMs ?? 30), this.wakeKey(c), exitContainer, this, c, failure.exitCode);
        return;
      }
    }
    for (const listen of program.listens) this.socketsOf(sandbox.netns).push({ listen, pid: c.pids[0], container: c.id });
    this.advance(c);
  }

  /** CRI StopContainer: the stop signal, then SIGKILL when the grace period ends. */
  stopContainer(id: string, graceMs: number, signal: Signal): void {
    const c = this.containers.get(id);
    if (!c || c.state !== "CONTAINER_RUNNING" || this.deps.timers.has(this.killKey(c))) return;
    const now = this.deps.clock.now();
    if (graceMs <= 0) return this.exit(c, 137);
    const reply = c.run?.signal(signal, now);
    if (reply) {
      this.log(c, reply.output, now);
      this.deps.timers.at(now + Math.min(reply.afterMs, graceMs), this.wakeKey(c), exitContainer, this, c, reply.afterMs <= graceMs ? reply.exitCode : 137);
    }
    this.deps.timers.at(now + graceMs, this.killKey(c), exitContainer, this, c, 137);
  }

  /**
   * The attached client ended the shell PID 1 reads its stdin with (`exit N` typed there, or the
   * end of its input): the shell exits with that status. `output` is what the client saw it print,
   * which a real runtime's log also holds. False when nothing there waits on stdin any more.
   */
  endStdin(id: string, status: number, output: readonly LogLine[] = []): boolean {
    const c = this.containers.get(id);
    if (!c?.run?.stdinShell || !c.run.stdinEnded || c.state !== "CONTAINER_RUNNING") return false;
    const now = this.deps.clock.now();
    const step = c.run.stdinEnded(status, now);
    this.log(c, [...output, ...step.output], now);
    if (step.exitCode !== undefined) this.exit(c, step.exitCode);
    return true;
  }

  /**
   * When a running container's program next acts on its own (wakes from a `sleep`, exits, is
   * killed at the end of its grace period); undefined when it waits on nothing time brings (a
   * server, a shell on its stdin), so that only a signal or its input can move it.
   */
  nextEvent(id: string): number | undefined {
    const c = this.containers.get(id);
    if (c?.state !== "CONTAINER_RUNNING") return undefined;
    const due = [this.deps.timers.when(this.wakeKey(c)), this.deps.timers.when(this.killKey(c))].filter((t) => t !== undefined);
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  removeContainer(id: string): void {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === "CONTAINER_RUNNING") this.exit(c, 137, false);
    const sandbox = this.sandboxes.get(c.sandboxId);
    if (sandbox) {
      const link = `/var/log/containers/${sandbox.name}_${sandbox.namespace}_${c.name}-${c.id}.log`;
      if (this.deps.fs.exists(link) || this.existsLink(link)) this.deps.fs.unlink(link);
      const file = `/var/log/pods/${sandbox.namespace}_${sandbox.name}_${sandbox.podUid}/${c.name}/${c.attempt}.log`;
      if (this.deps.fs.exists(file)) this.deps.fs.unlink(file);
    }
    this.containers.delete(id);
  }

  /** Power loss: every process and socket is gone at once, nobody is told. */
  clear(): void {
    for (const c of this.containers.values()) {
      this.deps.timers.cancel(this.wakeKey(c));
      this.deps.timers.cancel(this.killKey(c));
    }
    for (const sandbox of this.sandboxes.values()) if (sandbox.netns.name) this.deleteNetns(sandbox.netns);
    this.sandboxes.clear();
    this.containers.clear();
    this.sockets.clear();
  }

  containersOf(podUid: string): ContainerInfo[] {
    return [...this.containers.values()].filter((c) => c.podUid === podUid);
  }

  sandboxesOf(podUid: string): Sandbox[] {
    return [...this.sandboxes.values()].filter((s) => s.podUid === podUid);
  }

  /** The newest instance of a pod's container by name. */
  latest(podUid: string, name: string, sandboxId?: string): ContainerInfo | undefined {
    let found: ContainerInfo | undefined;
    for (const c of this.containers.values()) {
      if (c.podUid !== podUid || c.name !== name || (sandboxId && c.sandboxId !== sandboxId)) continue;
      if (!found || c.createdAt > found.createdAt || (c.createdAt === found.createdAt && c.attempt > found.attempt)) found = c;
    }
    return found;
  }

  /** Lines a running container's program writes between its own steps (a server's access log), stamped `at`. */
  appendLog(id: string, lines: readonly LogLine[], at: number): void {
    const c = this.containers.get(id);
    if (c?.state === "CONTAINER_RUNNING") this.log(c, lines, at);
  }

  /** Sockets bound in a namespace (the host's: node daemons and hostNetwork pods). */
  socketsOf(netns: NetNamespace): { listen: Listen; pid: number; container?: string }[] {
    let list = this.sockets.get(netns.inode);
    if (!list) {
      list = [];
      this.sockets.set(netns.inode, list);
    }
    return list;
  }

  /** A node daemon's socket in the host namespace (kubelet :10250, sshd :22). */
  bindHost(listen: Listen, pid: number): void {
    this.socketsOf(ROOT_NETNS).push({ listen, pid });
  }

  /** Forgets host sockets held by a PID (a daemon that stopped). */
  unbindPid(pid: number): void {
    for (const list of this.sockets.values()) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i].pid === pid) list.splice(i, 1);
    }
  }

  /** The sandbox's network namespace goes with its last reference (the pin on /run/netns). */
  private deleteNetns(netns: NetNamespace): void {
    const stack = this.deps.owner.network.stack(`${this.deps.node}/${netns.name}`);
    if (stack) this.deps.owner.network.deleteNamespace(stack);
  }

  private existsLink(path: string): boolean {
    try {
      this.deps.fs.lstat(path);
      return true;
    } catch {
      return false;
    }
  }

  private advance(c: ContainerInfo): void {
    if (!c.run || c.state !== "CONTAINER_RUNNING") return;
    const now = this.deps.clock.now();
    const step = c.run.step(now, this.deps.owner.programTools(c));
    this.log(c, step.output, now);
    if (step.exitCode !== undefined) this.exit(c, step.exitCode);
    else if (step.wakeAt !== undefined) this.deps.timers.at(step.wakeAt, this.wakeKey(c), wakeContainer, this, c);
  }

  /** A container's program asked to be woken now (its timer). */
  woken(c: ContainerInfo): void {
    this.advance(c);
  }

  /** A container's exit came due (its program ended, or its grace period did). */
  exited(c: ContainerInfo, code: number): void {
    this.exit(c, code);
  }

  private wakeKey(c: ContainerInfo): string {
    return `${this.deps.node}/container/${c.id}`;
  }

  private killKey(c: ContainerInfo): string {
    return `${this.deps.node}/kill/${c.id}`;
  }

  private log(c: ContainerInfo, lines: readonly LogLine[], now: number): void {
    for (const { at, ...line } of lines) c.logs.push({ ...line, time: Math.max(at ?? now, now), seq: this.logSeq++ });
    if (c.logs.length > MAX_LOG_LINES) c.logs.splice(0, c.logs.length - MAX_LOG_LINES);
  }

  private exit(c: ContainerInfo, code: number, notify = true): void {
    if (c.state !== "CONTAINER_RUNNING") return;
    this.deps.timers.cancel(this.wakeKey(c));
    this.deps.timers.cancel(this.killKey(c));
    const table = this.deps.owner.processes;
    for (const pid of c.pids) table.kill(pid);
    const sandbox = this.sandboxes.get(c.sandboxId);
    if (sandbox) {
      const list = this.socketsOf(sandbox.netns);
      for (let i = list.length - 1; i >= 0; i--) if (list[i].container === c.id) list.splice(i, 1);
    }
    Object.assign(c, { state: "CONTAINER_EXITED", exitCode: code, reason: code === 0 ? "Completed" : "Error", finishedAt: this.deps.clock.now() });
    if (notify) this.deps.owner.containersChanged(c.podUid);
  }
}
