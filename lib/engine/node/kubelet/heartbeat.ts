/**
 * The kubelet's node heartbeats: it registers its Node when it starts, renews its Lease in
 * `kube-node-lease` every 10 s, and posts the node's status when something changed (a
 * condition, the images it holds) or, at the latest, every 5 minutes. The node lifecycle
 * controller reads both; when they stop (kubelet stopped, node off) it marks the node Unknown.
 *
 * @example
 * const hb = new Heartbeat(deps);
 * hb.beat(); // register or renew, then call again in 10 s while the kubelet runs
 */
import type { Lease, Node, ObjectStore, Stored } from "../../api";
import type { NodeHost } from "../../cluster/node-host";
import type { NodeSpec, ScenarioSpec } from "../../scenarios";
import type { VirtualClock } from "../../util/clock";
import { equalPlain } from "../../util/plain";
import { microTime } from "../format";
import type { Machine } from "../machine";
import { networkNotReadyError, type NetworkStatus, type PodNetwork } from "../pod-network";
import type { ImageStore } from "../runtime/image-store";
import type { Journal } from "./journal";
import { nodeStatus, registeredNode } from "./node-status";

export const LEASE_RENEW_MS = 10_000;
const LEASE_DURATION_S = 40;
/** nodeStatusReportFrequency: status is posted at least this often even when nothing changed. */
const REPORT_MS = 5 * 60_000;

export interface HeartbeatDeps {
  store: ObjectStore;
  clock: VirtualClock;
  host: NodeHost;
  spec: NodeSpec;
  scenario: ScenarioSpec;
  machine: Machine;
  images: ImageStore;
  runtimeVersion: string;
  journal: Journal;
  /** The node's agent: the kubelet's PID for its log lines. */
  agent: { kubeletPid(): number };
  /** The runtime's network status (CRI NetworkReady): no CNI configuration, no Ready node. */
  network: Pick<PodNetwork, "status">;
}

/** Conditions without their heartbeat times, to tell a real change from a mere renewal. */
function essence(status: Node["status"] | undefined): unknown {
  if (!status) return undefined;
  return { ...status, conditions: (status.conditions ?? []).map((c) => ({ ...(c as object), lastHeartbeatTime: undefined })) };
}

/** What the node status is computed from (besides the time): unchanged inputs, unchanged status. */
interface StatusInputs {
  status: Node["status"];
  images: number;
  ready: string;
  boot: string;
}

const sameInputs = (a: StatusInputs, b: StatusInputs) => a.status === b.status && a.images === b.images && a.ready === b.ready && a.boot === b.boot;

export class Heartbeat {
  private lastReport = 0;
  /** The inputs of the last status computed, with the status the node had (or was given) then. */
  private seen: StatusInputs | undefined;

  constructor(private readonly deps: HeartbeatDeps) {}

  /** One heartbeat: register if needed, renew the lease, post the status if due. */
  beat(): void {
    const { store, spec, journal } = this.deps;
    let node = store.find<Node>("Node", undefined, spec.name);
    if (!node) {
      journal.klog(this.deps.agent.kubeletPid(), "I", "kubelet_node_status.go:75", `"Attempting to register node" node="${spec.name}"`);
      node = store.create<Node>(registeredNode(this.deps));
      journal.klog(this.deps.agent.kubeletPid(), "I", "kubelet_node_status.go:78", `"Successfully registered node" node="${spec.name}"`);
    }
    this.renewLease(node);
    this.postStatus(node);
  }

  private renewLease(node: Stored<Node>): void {
    const { store, clock, spec } = this.deps;
    const lease = store.find<Lease>("Lease", "kube-node-lease", spec.name);
    const renewTime = microTime(clock.now());
    if (!lease) {
      store.create<Lease>({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: spec.name, namespace: "kube-node-lease", ownerReferences: [{ apiVersion: "v1", kind: "Node", name: spec.name, uid: node.metadata.uid }] },
        spec: { holderIdentity: spec.name, leaseDurationSeconds: LEASE_DURATION_S, renewTime },
      });
      return;
    }
    store.update<Lease>({ ...lease, spec: { ...lease.spec, holderIdentity: spec.name, leaseDurationSeconds: LEASE_DURATION_S, renewTime } });
  }

  private postStatus(node: Stored<Node>): void {
    const { store, clock, host, images, machine } = this.deps;
    const now = clock.now();
    const ready = runtimeReadiness(host.unit("containerd") === "active", this.deps.network.status(this.deps.spec.name));
    const inputs: StatusInputs = { status: node.status, images: images.revision, ready: ready.ok ? "" : ready.message, boot: machine.bootID };
    const due = now - this.lastReport >= REPORT_MS;
    // Nothing the status is made of changed since the last look: it would come out the same.
    if (!due && this.seen && sameInputs(inputs, this.seen)) return;
    const status = nodeStatus({ ...this.deps, images: images.list(), ready, existing: node.status, now: clock.rfc3339(now) });
    this.seen = inputs;
    if (equalPlain(essence(status), essence(node.status)) && !due) return;
    this.lastReport = now;
    this.seen = { ...inputs, status: store.updateStatus<Node>({ ...node, status }).status };
  }
}

/** The kubelet's runtime-state check: the runtime answers, and its network is ready (else the Node says why, as `kubectl describe node` shows). */
function runtimeReadiness(runtimeUp: boolean, network: NetworkStatus): { ok: true } | { ok: false; message: string } {
  if (!runtimeUp) return { ok: false, message: "container runtime is down" };
  if (!network.ready) return { ok: false, message: networkNotReadyError(network) };
  return { ok: true };
}
