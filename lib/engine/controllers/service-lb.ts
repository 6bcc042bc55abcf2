/**
 * A simulated cloud behind the service controller (`service-lb-controller`, from
 * cloud-controller-manager): a Service of type LoadBalancer (without a loadBalancerClass) gets
 * the `service.kubernetes.io/load-balancer-cleanup` finalizer and an external IP from a pool at
 * the top of the node network (.240–.250 of a /24), published as
 * `status.loadBalancer.ingress[{ip, ipMode: VIP}]` with `EnsuringLoadBalancer` /
 * `EnsuredLoadBalancer` events from `service-controller`. A `spec.loadBalancerIP` in the pool
 * is honoured. With the pool exhausted the Service stays `<pending>` (`SyncLoadBalancerFailed`,
 * retried with back-off and whenever an address is freed). Changing the type away from
 * LoadBalancer, or deleting the Service, releases the address. The controller's address table
 * is the cloud's state; the Service status is what the cloud published.
 *
 * @example
 * cluster.register(serviceLBController());
 * store.create(svc type LoadBalancer); // status.loadBalancer.ingress[0].ip === "172.30.1.240"
 */
import { ApiError, type Service, type Stored, type WatchEvent } from "../api";
import { type Controller, type ControllerContext, objectKey, selfKey, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { Backoff } from "./common/backoff";
import { formatIP, parseCIDR } from "../util/ipv4";
import { forEachKey } from "./common/keys";
import { editable } from "./common/pods";

const FINALIZER = "service.kubernetes.io/load-balancer-cleanup";
const SOURCE = { component: "service-controller" };

/** The addresses the simulated cloud hands out: 16 to 6 below the end of the node network. */
export function loadBalancerPool(nodeCidr: string): string[] {
  const cidr = parseCIDR(nodeCidr);
  if (!cidr) return [];
  const broadcast = cidr.base + 2 ** (32 - cidr.prefix) - 1;
  const pool: string[] = [];
  for (let ip = broadcast - 15; ip <= broadcast - 5; ip++) if (ip > cidr.base) pool.push(formatIP(ip));
  return pool;
}

const wantsLoadBalancer = (svc: Stored<Service>) => svc.spec.type === "LoadBalancer" && !svc.spec.loadBalancerClass;
const ingressIP = (svc: Stored<Service>) => svc.status?.loadBalancer?.ingress?.[0]?.ip;

/** `needsUpdate`: spec, annotations or deletion changed (not the status or finalizers this controller writes). */
function keysFor(event: WatchEvent): readonly string[] {
  const view = (o: Stored) => [o.spec, o.metadata.annotations, o.metadata.deletionTimestamp];
  return event.type === "MODIFIED" && equalPlain(view(event.object), view(event.old)) ? [] : selfKey(event);
}

function write(action: () => void): boolean {
  try {
    action();
    return true;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return false;
  }
}

function setFinalizer(ctx: ControllerContext, svc: Stored<Service>, present: boolean): Stored<Service> | undefined {
  const next = editable(svc);
  const others = (next.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
  const finalizers = present ? [...others, FINALIZER] : others;
  if (finalizers.length > 0) next.metadata.finalizers = finalizers;
  else delete next.metadata.finalizers;
  let out: Stored<Service> | undefined;
  write(() => (out = ctx.store.update<Service>(next)));
  return out;
}

/** A fresh load-balancer controller: the simulated cloud's address table and the retry back-off. */
export function serviceLBController(): Controller {
  return new ServiceLBController();
}

const WATCHES = defineWatches({ kind: "Service", keys: keysFor });

class ServiceLBController implements Controller {
  readonly name = "service-lb-controller";
  readonly watches = WATCHES;
  private readonly failures = new Backoff(5_000, 300_000);
  /** The cloud's view: which Service (by uid) holds which external address. */
  private readonly cloud = new Map<string, string>();

  reconcile(key: string, ctx: ControllerContext): void {
    forEachKey<Stored<Service>>(ctx, "Service", key, (svc) => {
      const hasFinalizer = svc.metadata.finalizers?.includes(FINALIZER) === true;
      if (hasFinalizer && (svc.metadata.deletionTimestamp || svc.spec.type !== "LoadBalancer")) this.cleanup(ctx, svc);
      else if (wantsLoadBalancer(svc) && !svc.metadata.deletionTimestamp) this.ensure(ctx, svc);
    });
  }

  /** `EnsureLoadBalancerDeleted` and cleanup: address freed, status cleared, finalizer dropped. */
  private cleanup(ctx: ControllerContext, svc: Stored<Service>): void {
    if (this.cloud.delete(svc.metadata.uid)) ctx.events.record(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer", SOURCE);
    if (ingressIP(svc)) write(() => ctx.store.updateStatus<Service>({ ...svc, status: { ...svc.status, loadBalancer: {} } }));
    const latest = ctx.store.find<Service>("Service", svc.metadata.namespace, svc.metadata.name);
    if (latest) setFinalizer(ctx, latest, false);
    ctx.events.record(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer", SOURCE);
    // The freed address may be what another Service is waiting for.
    forEachKey<Stored<Service>>(ctx, "Service", "", (other) => {
      if (wantsLoadBalancer(other) && !other.metadata.deletionTimestamp && !this.cloud.has(other.metadata.uid)) this.ensure(ctx, other);
    });
  }

  /** The address the cloud holds (or, for a Service it has not seen, the one its status shows). */
  private held(svc: Stored<Service>, pool: readonly string[]): string | undefined {
    const mine = this.cloud.get(svc.metadata.uid);
    if (mine) return mine;
    const shown = ingressIP(svc);
    const taken = new Set(this.cloud.values());
    return shown && pool.includes(shown) && !taken.has(shown) ? shown : undefined;
  }

  private ensure(ctx: ControllerContext, svc: Stored<Service>): void {
    const pool = loadBalancerPool(ctx.scenario.network.nodeCidr);
    const requested = svc.spec.loadBalancerIP;
    let ip = this.held(svc, pool);
    if (ip && requested && ip !== requested) {
      this.cloud.delete(svc.metadata.uid);
      ip = undefined;
    }
    if (ip && ingressIP(svc) === ip && svc.metadata.finalizers?.includes(FINALIZER)) {
      this.cloud.set(svc.metadata.uid, ip);
      return;
    }
    ctx.events.record(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer", SOURCE);
    const withFinalizer = svc.metadata.finalizers?.includes(FINALIZER) ? svc : setFinalizer(ctx, svc, true);
    if (!withFinalizer) return;
    const taken = new Set(this.cloud.values());
    ip ??= requested ? (pool.includes(requested) && !taken.has(requested) ? requested : undefined) : pool.find((a) => !taken.has(a));
    const key = objectKey(svc);
    if (!ip) {
      const reason = requested ? `requested IP ${requested} is not available in the load balancer pool` : "no available IP addresses in the load balancer pool";
      ctx.events.record(svc, "Warning", "SyncLoadBalancerFailed", `Error syncing load balancer: failed to ensure load balancer: ${reason}`, SOURCE);
      ctx.requeueAfter(key, this.failures.next(key, ctx.clock.now()));
      return;
    }
    this.failures.reset(key);
    this.cloud.set(svc.metadata.uid, ip);
    const ok = write(() => ctx.store.updateStatus<Service>({ ...withFinalizer, status: { ...withFinalizer.status, loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } } }));
    if (ok) ctx.events.record(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer", SOURCE);
  }
}
