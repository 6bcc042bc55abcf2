import { bootstrapAPIServer, ObjectStore, type WatchEvent, type WatchListener } from "../api";
import type { ScenarioSpec } from "../scenarios";
import { VirtualClock } from "../util/clock";
import type { Interruption } from "../util/interrupt";
import { Rng } from "../util/rng";
import type { Controller, ControllerContext, ControllerWatch } from "./controller";
import { EventRecorder } from "./events";
import { NodeHost } from "./node-host";
import { TimerQueue } from "./timers";
import { PacketTraces } from "./traces";
import { ClusterNetwork } from "../net/network";
import { mountProcSysNet } from "../net/kernel/sysctl";
import { addMachinesBeside } from "../net/machines";
import { formatIP, parseCIDR } from "../util/ipv4";

/** The layer-2 segment every node's eth0 (and the machines beside the cluster) is plugged into. */
export const NODE_SEGMENT = "node-network";

/** Work items allowed in one settle before the cluster is declared stuck (a controller fight). */
const MAX_SETTLE_STEPS = 200_000;

/** Reconciles between two questions to the host's interruption predicate. */
const RECONCILES_PER_CHECK = 256;

/** A cluster whose controllers keep rewriting each other's work never settles; this says so. */
export class SettleError extends Error {}

/**
 * The whole simulated cluster: the API store, the controllers and node agents that reconcile
 * it, the machines, virtual time and the timers that fire as it passes. Everything that
 * changes state runs inside `settle()`/`advance()`, synchronously and in a fixed order, so the
 * same inputs always produce the same cluster.
 *
 * @example
 * const cluster = new Cluster(loadScenario("single-node"), 7);
 * cluster.register(replicaSetController);
 * cluster.store.create(rs);
 * cluster.advance(5_000); // five virtual seconds: pods scheduled, pulled, running
 *
 * Its state is data (see ../CONTEXT.md): a booted cluster is forked by copying its object
 * graph, so nothing reachable from it holds a closure.
 */
export class Cluster implements WatchListener {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  /** Names clients draw themselves (`kubectl debug`'s suffixes): a stream of its own, so they never shift the cluster's. */
  readonly clientRng: Rng;
  readonly store: ObjectStore;
  readonly events: EventRecorder;
  readonly timers = new TimerQueue();
  /** The paths connections took (the latest one for now): the diagram and, later, tcpdump read them. */
  readonly traces: PacketTraces;
  readonly nodes: ReadonlyMap<string, NodeHost>;
  /** Every network namespace's kernel state and the node network between the machines. */
  readonly network: ClusterNetwork;
  private readonly controllers = new Map<string, Controller>();
  // Watches by kind, so each store event reaches only the controllers that watch its kind.
  private readonly watchesByKind = new Map<string, { controller: string; watch: ControllerWatch }[]>();
  // Insertion-ordered work queue of "controller\u0000key"; a key queued twice runs once.
  private readonly queue = new Set<string>();
  private settling = false;
  private readonly contexts = new Map<string, ControllerContext>();
  /**
   * The host's way to stop a long run (host wiring, not state: a fork gets its own). Asked
   * before each timer fires and every {@link RECONCILES_PER_CHECK} reconciles.
   */
  interruption: Interruption | undefined;

  constructor(readonly scenario: ScenarioSpec, seed: number) {
    this.rng = new Rng(seed);
    this.clock = new VirtualClock(Date.parse(scenario.createdAt));
    this.store = new ObjectStore({ clock: this.clock, rng: this.rng.fork(), serviceCIDR: scenario.network.serviceCidr });
    this.events = new EventRecorder(this.store, this.clock);
    this.traces = new PacketTraces(this.clock);
    const nodes = new Map<string, NodeHost>();
    for (const spec of scenario.nodes) nodes.set(spec.name, new NodeHost(spec, this.clock));
    this.nodes = nodes;
    // Its own stream, so MACs never shift the names and addresses drawn from the cluster's.
    this.network = new ClusterNetwork(new Rng(seed + 0x6e6574));
    const nodeNet = parseCIDR(scenario.network.nodeCidr)!;
    for (const spec of scenario.nodes) {
      const stack = this.network.addHost(spec.name);
      this.network.attachHost(stack, { segment: NODE_SEGMENT, ip: spec.ip, prefix: nodeNet.prefix, gateway: formatIP(nodeNet.base + 1) });
      // What kubeadm's preflight insists on: forwarding on, and bridged traffic through iptables (br_netfilter).
      stack.sysctls.set("net.ipv4.ip_forward", "1");
      stack.sysctls.set("net.bridge.bridge-nf-call-iptables", "1");
      mountProcSysNet(nodes.get(spec.name)!.fs, stack);
    }
    // The gateway, the client host and the internet beside the node network; traffic has its own streams.
    addMachinesBeside(this.network, { segment: NODE_SEGMENT, nodeCidr: scenario.network.nodeCidr, taken: scenario.nodes.map((n) => n.ip), clock: this.clock, rng: new Rng(seed + 0x6f7574) });
    this.network.traffic = new Rng(seed + 0x747266);
    this.clientRng = new Rng(seed + 0x636c69);
    this.network.traces = this.traces;
    const controlPlane = scenario.nodes.find((n) => n.role === "control-plane");
    bootstrapAPIServer(this.store, { address: controlPlane!.ip, serviceCIDR: scenario.network.serviceCidr });
    this.store.watch(this);
  }

  /** Adds a controller and queues every object it watches, as an informer's initial list does. */
  register(controller: Controller): void {
    if (this.controllers.has(controller.name)) throw new Error(`controller ${controller.name} registered twice`);
    this.controllers.set(controller.name, controller);
    for (const watch of controller.watches) {
      const list = this.watchesByKind.get(watch.kind) ?? [];
      list.push({ controller: controller.name, watch });
      this.watchesByKind.set(watch.kind, list);
    }
    this.resync(controller.name);
  }

  /** Queues every object a controller watches again (a restarted component relists). */
  resync(name: string): void {
    const controller = this.controllers.get(name);
    if (!controller) return;
    for (const watch of controller.watches) {
      for (const object of this.store.list(watch.kind)) {
        for (const key of watch.keys({ type: "ADDED", object })) this.enqueue(controller.name, key);
      }
    }
  }

  /** Names of the registered controllers, in registration order. */
  controllerNames(): string[] {
    return [...this.controllers.keys()];
  }

  /** Queues a key for a controller by name (for agents that notice changes outside the store). */
  enqueue(controller: string, key: string): void {
    this.queue.add(`${controller}\u0000${key}`);
  }

  /** Runs queued reconciles until none is left. Re-entrant calls are absorbed by the outer loop. */
  settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      let steps = 0;
      while (this.queue.size > 0) {
        if (++steps > MAX_SETTLE_STEPS) {
          const sample = [...this.queue].slice(0, 3).map((k) => k.replace("\u0000", " ")).join(", ");
          this.queue.clear();
          throw new SettleError(`cluster did not settle after ${MAX_SETTLE_STEPS} reconciles (still queued: ${sample})`);
        }
        if (steps % RECONCILES_PER_CHECK === 0) this.interruption?.check();
        const item = this.queue.values().next().value as string;
        this.queue.delete(item);
        const sep = item.indexOf("\u0000");
        const controller = this.controllers.get(item.slice(0, sep));
        controller?.reconcile(item.slice(sep + 1), this.contextFor(controller.name));
      }
    } finally {
      this.settling = false;
    }
  }

  /** Lets `ms` of virtual time pass: due timers fire in order, each followed by a settle. */
  advance(ms: number): void {
    this.advanceTo(this.clock.now() + Math.max(0, Math.floor(ms)));
  }

  advanceTo(target: number): void {
    this.settle();
    for (;;) {
      const timer = this.timers.nextDue(target);
      if (!timer) break;
      this.interruption?.check();
      this.clock.advanceTo(timer.at);
      timer.run();
      this.settle();
    }
    this.clock.advanceTo(target);
  }

  /** A store event: queues the keys of every controller watching its kind. */
  onWatchEvent(event: WatchEvent): void {
    for (const { controller, watch } of this.watchesByKind.get(event.object.kind) ?? []) {
      for (const key of watch.keys(event)) this.enqueue(controller, key);
    }
  }

  /** Reconcile `key` of `controller` again once `ms` of virtual time have passed. */
  requeueAfter(controller: string, key: string, ms: number): void {
    this.timers.at(this.clock.now() + Math.max(0, ms), `requeue\u0000${controller}\u0000${key}`, enqueue, this, controller, key);
  }

  private contextFor(name: string): ControllerContext {
    let ctx = this.contexts.get(name);
    if (!ctx) {
      ctx = new ReconcileContext(this, name);
      this.contexts.set(name, ctx);
    }
    return ctx;
  }
}

function enqueue(cluster: Cluster, controller: string, key: string): void {
  cluster.enqueue(controller, key);
}

/** What one controller's reconciles see of the cluster. */
class ReconcileContext implements ControllerContext {
  constructor(
    private readonly cluster: Cluster,
    private readonly controller: string,
  ) {}

  get store() {
    return this.cluster.store;
  }

  get clock() {
    return this.cluster.clock;
  }

  get rng() {
    return this.cluster.rng;
  }

  get events() {
    return this.cluster.events;
  }

  get scenario() {
    return this.cluster.scenario;
  }

  requeueAfter(key: string, ms: number): void {
    this.cluster.requeueAfter(this.controller, key, ms);
  }
}
