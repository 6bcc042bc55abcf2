/**
 * What the packet walker asks of a node (net/walker/machines.ts): whether it is powered, which
 * socket a packet reaches in one of its namespaces (containerd's socket table: node daemons and
 * hostNetwork pods in the host namespace, each pod's in its sandbox's), and which pod a
 * namespace belongs to. An object per node, registered with the network (state is data).
 *
 * @example
 * cluster.network.registerMachine("node01", new NodeNetMachine(agent));
 */
import { bindAccepts, type BoundSocket, type NetMachine, type SocketOwner } from "../net/walker";
import { interfaceAddresses, type AppReply, type AppRequest, type AppServer, type ServerCertificate } from "../net/app";
import type { ClusterNetwork, NetStack } from "../net";
import type { StoreReader } from "../api";
import type { NodeAgent } from "./agent";
import { kubeletServer } from "./programs/http-kubelet";
import type { ContainerInfo, ContainerRuntime } from "./runtime/containerd";

export class NodeNetMachine implements NetMachine {
  /** When kubeadm's kubelet made its self-signed serving certificate: the node's first boot. */
  private readonly certMs: number;

  constructor(private readonly agent: NodeAgent) {
    this.certMs = agent.machine.bootTime;
  }

  running(): boolean {
    return this.agent.host.powered;
  }

  listener(inode: number, protocol: "TCP" | "UDP", ip: number, port: number): SocketOwner | undefined {
    const bound = this.agent.runtime.socketsOf({ name: "", inode, nsid: -1 });
    const socket = bound.find((s) => s.listen.protocol === protocol && s.listen.port === port && bindAccepts(s.listen.address, ip));
    if (!socket) return undefined;
    const args = this.agent.processes.get(socket.pid)?.args ?? "";
    const program = args.split(" ")[0].replace(/^.*\//, "").replace(/:$/, "");
    return { pid: socket.pid, container: socket.container, program: program || undefined };
  }

  boundSockets(inode: number): BoundSocket[] {
    const comm = (pid: number) => (this.agent.processes.get(pid)?.args ?? "").split(" ")[0].replace(/^.*\//, "").replace(/:$/, "").slice(0, 15);
    return this.agent.runtime.socketsOf({ name: "", inode, nsid: -1 }).map((s) => {
      const owner = comm(s.pid);
      const c = s.container === undefined ? undefined : this.agent.runtime.containers.get(s.container);
      // Children of the owner that inherited the listening socket (nginx's workers) hold it too.
      const inherited = (c?.pids ?? []).filter((pid) => pid !== s.pid && comm(pid) === owner);
      const holders = [s.pid, ...inherited].map((pid) => ({ pid, comm: comm(pid) }));
      return { protocol: s.listen.protocol, address: s.listen.address, port: s.listen.port, ...(s.listen.device ? { device: s.listen.device } : {}), holders };
    });
  }

  /** A container's program answers through its `serve`, and its log gets what it logs; node daemons say nothing here. */
  application(inode: number, socket: SocketOwner, port: number): AppServer | undefined {
    if (socket.container === undefined && socket.pid === this.agent.kubeletPid()) {
      const fs = this.agent.host.fs;
      const read = (path: string) => (fs.isFile(path) ? fs.readFile(path) : undefined);
      return kubeletServer(port, this.agent.name, this.certMs, { serving: read("/var/lib/kubelet/pki/kubelet.crt"), clientCA: read("/etc/kubernetes/pki/ca.crt") });
    }
    const c = socket.container === undefined ? undefined : this.agent.runtime.containers.get(socket.container);
    const stack = this.agent.network.stackOf(this.agent.name, inode);
    if (!c?.run?.serve || !stack) return undefined;
    return new ContainerApp(this.agent.runtime, c, interfaceAddresses(this.agent.network, stack), port, { network: this.agent.network, stack, store: this.agent.store });
  }

  program(socket: SocketOwner): unknown {
    return socket.container === undefined ? undefined : this.agent.runtime.containers.get(socket.container)?.run;
  }

  podOf(stack: NetStack): { namespace: string; name: string } | undefined {
    if (!stack.name) return undefined;
    for (const s of this.agent.runtime.sandboxes.values()) {
      if (s.state === "SANDBOX_READY" && !s.hostNetwork && s.netns.inode === stack.inode) return { namespace: s.namespace, name: s.name };
    }
    return undefined;
  }
}

/** One container's server program for the length of a call: it answers, and its log records it. */
class ContainerApp implements AppServer {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly container: ContainerInfo,
    private readonly addresses: readonly string[],
    private readonly port: number,
    private readonly world: { network: ClusterNetwork; stack: NetStack; store: StoreReader },
  ) {}

  /** The program's certificate on this port for the client's SNI, if the port speaks TLS. */
  certificateFor(serverName: string | undefined): ServerCertificate | undefined {
    return this.container.run?.certificate?.(this.port, serverName);
  }

  serve(request: AppRequest, now: number): AppReply {
    const served = this.container.run!.serve!(request, { fs: this.container.fs, now, addresses: this.addresses, world: this.world });
    this.runtime.appendLog(this.container.id, served.log, now);
    return served.reply;
  }
}
