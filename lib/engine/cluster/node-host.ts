import { MountedFileSystem } from "../node/container/mounted-fs";
import { createUbuntuSkeleton } from "../shell";
import type { NodeSpec } from "../scenarios";
import type { VirtualClock } from "../util/clock";

/** A systemd unit on a node whose state the learner can change (`systemctl stop kubelet`). */
export type UnitState = "active" | "inactive";

/**
 * One machine of the cluster as the learner meets it over `ssh`: its address, its file system,
 * whether it is powered on, and the state of its system services. Agents (kubelet, container
 * runtime, kube-proxy, CNI) keep their state here; commands read it.
 */
export class NodeHost {
  readonly name: string;
  readonly ip: string;
  readonly role: NodeSpec["role"];
  /** Its disk, with what is mounted on it (NFS exports the kubelet or the learner mounted). */
  readonly fs: MountedFileSystem;
  powered = true;
  private readonly units = new Map<string, UnitState>([
    ["kubelet", "active"],
    ["containerd", "active"],
  ]);

  constructor(spec: NodeSpec, clock: VirtualClock) {
    this.name = spec.name;
    this.ip = spec.ip;
    this.role = spec.role;
    this.fs = new MountedFileSystem(clock);
    createUbuntuSkeleton(this.fs, { hostname: spec.name });
  }

  unit(name: string): UnitState | undefined {
    return this.units.get(name);
  }

  setUnit(name: string, state: UnitState): void {
    this.units.set(name, state);
  }

  /** The kubelet runs (and heartbeats) only on a powered node whose kubelet unit is active. */
  get kubeletRunning(): boolean {
    return this.powered && this.units.get("kubelet") === "active";
  }
}
