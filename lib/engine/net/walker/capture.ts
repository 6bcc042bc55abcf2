/**
 * Packet captures, the way `tcpdump -i IF` sees a link: a capture is armed on one interface of
 * one namespace (or on every interface of it, `-i any`), and while it is armed the walker
 * appends a snapshot of every frame that interface sends or receives, in order, stamped with
 * virtual time in microseconds. Nothing is recorded while no capture is armed, so ordinary
 * walks pay one length check.
 *
 * @example
 * const cap = network.captures.arm("node01", eth0.index);
 * await sh.run("curl -s 10.96.0.10");
 * network.captures.disarm(cap);
 * cap.frames; // [{ at, ifname: "eth0", direction: "out", frame: { src, dst, ip: { …VXLAN… } } }, …]
 */
import { cloneFrame, type EthernetFrame } from "./packet";

export interface CapturedFrame {
  /** Virtual epoch microseconds. */
  at: number;
  stack: string;
  ifindex: number;
  ifname: string;
  direction: "in" | "out";
  /** Link-layer type as pcap names it: Ethernet, or raw IP on tunnels without MACs (tunl0, wireguard). */
  link: "ethernet" | "raw" | "loopback";
  frame: EthernetFrame;
}

export class Capture {
  readonly frames: CapturedFrame[] = [];

  constructor(
    /** Names the capture across forks (a session keeps the id, the forked network the capture). */
    readonly id: number,
    readonly stack: string,
    /** Undefined: every interface of the namespace (`-i any`). */
    readonly ifindex: number | undefined,
  ) {}

  matches(stack: string, ifindex: number): boolean {
    return this.stack === stack && (this.ifindex === undefined || this.ifindex === ifindex);
  }
}

export class CaptureSet {
  private armed: Capture[] = [];
  private nextId = 1;

  arm(stack: string, ifindex?: number): Capture {
    const capture = new Capture(this.nextId++, stack, ifindex);
    this.armed.push(capture);
    return capture;
  }

  disarm(capture: Capture): void {
    this.armed = this.armed.filter((c) => c !== capture);
  }

  /** An armed capture by id. */
  byId(id: number): Capture | undefined {
    return this.armed.find((c) => c.id === id);
  }

  get active(): boolean {
    return this.armed.length > 0;
  }

  /** Records a frame on every capture armed where it passed. */
  record(entry: Omit<CapturedFrame, "frame">, frame: EthernetFrame): void {
    let copy: EthernetFrame | undefined;
    for (const c of this.armed) {
      if (!c.matches(entry.stack, entry.ifindex)) continue;
      copy ??= cloneFrame(frame);
      c.frames.push({ ...entry, frame: copy });
    }
  }
}
