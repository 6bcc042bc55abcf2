/**
 * What the walker asks of each machine: is it running, which socket (if any) a packet to an
 * address and port reaches in one of its namespaces, and which pod a namespace belongs to.
 * Each machine registers one object with the network (state is data: an object with methods,
 * never a closure): nodes an adapter over containerd's socket table, the machines beside the
 * cluster their own. The kernel answers ICMP echo itself, so only TCP and UDP need sockets.
 *
 * @example
 * network.registerMachine("node01", new NodeNetMachine(agent));
 * network.machine("node01")?.listener(4026532281, "TCP", parseIP("10.244.1.5")!, 80); // { pid: 2345, container: "…" }
 */
import { formatIP } from "../../util/ipv4";
import type { AppServer } from "../app/types";
import type { NetStack } from "../kernel/stack";

export interface SocketOwner {
  pid: number;
  /** The container holding it, when a container's program bound it. */
  container?: string;
  /** The program's name, for traces (`nginx`, `kubelet`, `sshd`). */
  program?: string;
}

export interface NetMachine {
  /** Whether the machine runs: a powered-off machine's NICs pass and answer nothing. */
  running(): boolean;
  /** The socket bound to `port` (`0.0.0.0`, `::` or `ip`) in the namespace with nsfs inode `inode`. */
  listener(inode: number, protocol: "TCP" | "UDP", ip: number, port: number): SocketOwner | undefined;
  /** The pod whose sandbox this namespace is, if it is one. */
  podOf(stack: NetStack): { namespace: string; name: string } | undefined;
  /** Every socket bound in the namespace with nsfs inode `inode`, with the processes holding it (`ss -l`). */
  boundSockets?(inode: number): BoundSocket[];
  /** The program behind a socket `listener` found, as clients talk to it (net/app); undefined: it says nothing. */
  application?(inode: number, socket: SocketOwner, port: number): AppServer | undefined;
  /** The running program behind a socket (a container's), for protocols its own module speaks (NFS: storage/exporter.ts). */
  program?(socket: SocketOwner): unknown;
}

/** A listening socket as `ss`/`netstat` list it. */
export interface BoundSocket {
  protocol: "TCP" | "UDP";
  /** `0.0.0.0`, `::`, `127.0.0.1`, … as bound. */
  address: string;
  port: number;
  /** The interface it is bound to, when it is (ss prints `127.0.0.53%lo`). */
  device?: string;
  /** The processes holding it (the owner first, then those that inherited it), by PID and command name. */
  holders: { pid: number; comm: string }[];
}

/** Whether a bound address (`0.0.0.0`, `::`, `127.0.0.1`, an address) accepts packets to `ip`. */
export function bindAccepts(bound: string, ip: number): boolean {
  if (bound === "0.0.0.0" || bound === "::" || bound === "") return true;
  const text = formatIP(ip);
  return bound === text || bound === `::ffff:${text}`;
}
