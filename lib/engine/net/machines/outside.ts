/**
 * A machine beside the cluster (the gateway, the `client` host, the internet's router and
 * servers): one host namespace, the sockets its daemons bind, whether it is on, and for the
 * machines a learner logs in to, a file system. What the walker asks of it is the same as what
 * it asks of a node (machines.ts).
 *
 * @example
 * const web = new OutsideMachine("example.com", "93.184.215.14");
 * web.bind("TCP", 80, "nginx", 812);
 */
import type { FileSystem } from "../../shell";
import { HOST_NETNS_INODE } from "../network";
import { bindAccepts, type BoundSocket, type NetMachine, type SocketOwner } from "../walker/machines";

export interface OutsideSocket {
  protocol: "TCP" | "UDP";
  port: number;
  address: string;
  pid: number;
  program: string;
}

export class OutsideMachine implements NetMachine {
  powered = true;
  readonly sockets: OutsideSocket[] = [];

  constructor(
    readonly name: string,
    /** Its address on the network it is known by (the node network for the client). */
    readonly ip: string,
    /** A file system, for the machines one can log in to. */
    readonly fs?: FileSystem,
  ) {}

  bind(protocol: "TCP" | "UDP", port: number, program: string, pid: number, address = "0.0.0.0"): void {
    this.sockets.push({ protocol, port, address, pid, program });
  }

  running(): boolean {
    return this.powered;
  }

  listener(inode: number, protocol: "TCP" | "UDP", ip: number, port: number): SocketOwner | undefined {
    if (inode !== HOST_NETNS_INODE) return undefined;
    const s = this.sockets.find((x) => x.protocol === protocol && x.port === port && bindAccepts(x.address, ip));
    return s && { pid: s.pid, program: s.program };
  }

  boundSockets(inode: number): BoundSocket[] {
    if (inode !== HOST_NETNS_INODE) return [];
    return this.sockets.map((s) => ({ protocol: s.protocol, address: s.address, port: s.port, holders: [{ pid: s.pid, comm: s.program }] }));
  }

  podOf(): undefined {
    return undefined;
  }
}
