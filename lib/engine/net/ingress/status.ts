/**
 * The controller's status sync (`--publish-service`): while an ingress-nginx controller pod
 * runs, every Ingress it serves gets the address of the `ingress-nginx-controller` Service in
 * `status.loadBalancer.ingress` (the LoadBalancer's IP, what `kubectl get ingress` shows as
 * ADDRESS), and each new generation of one is announced with the controller's `Sync` event
 * ("Scheduled for sync"). Ingresses it does not serve are left alone; with no controller
 * running nothing is written, as with no controller at all.
 *
 * @example
 * cluster.register(new IngressStatusSync());
 */
import type { Ingress, IngressClass, Pod, Service, Stored } from "../../api";
import { defineWatches, type Controller, type ControllerContext } from "../../cluster/controller";
import { equalPlain } from "../../util/plain";
import { isOurs } from "./model";

const KEY = "sync";
const NAMESPACE = "ingress-nginx";
const SERVICE = "ingress-nginx-controller";

const WATCHES = defineWatches(
  { kind: "Ingress", keys: () => [KEY] },
  { kind: "IngressClass", keys: () => [KEY] },
  { kind: "Service", keys: () => [KEY] },
  { kind: "Pod", keys: () => [KEY] },
);

/** A running controller pod of the add-on. */
function controllerRunning(pods: readonly Stored<Pod>[]): boolean {
  return pods.some((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "ingress-nginx" && p.metadata.labels?.["app.kubernetes.io/component"] === "controller" && p.status?.phase === "Running" && !p.metadata.deletionTimestamp);
}

export class IngressStatusSync implements Controller {
  readonly name = "ingress-nginx-status";
  readonly watches = WATCHES;
  /** The generation of each Ingress (by uid) last announced. */
  private readonly synced = new Map<string, number>();

  reconcile(_key: string, ctx: ControllerContext): void {
    if (!controllerRunning(ctx.store.list<Pod>("Pod", { namespace: NAMESPACE }))) return;
    const classes = new Map(ctx.store.list<IngressClass>("IngressClass").map((c) => [c.metadata.name, c]));
    const ours = ctx.store.list<Ingress>("Ingress").filter((ing) => isOurs(ing, classes));
    for (const ing of ours) {
      const generation = ing.metadata.generation ?? 1;
      if (this.synced.get(ing.metadata.uid!) === generation) continue;
      this.synced.set(ing.metadata.uid!, generation);
      ctx.events.record(ing, "Normal", "Sync", "Scheduled for sync", { component: "nginx-ingress-controller" });
    }
    const live = new Set(ours.map((ing) => ing.metadata.uid));
    for (const uid of this.synced.keys()) if (!live.has(uid)) this.synced.delete(uid);
    const svc = ctx.store.find<Service>("Service", NAMESPACE, SERVICE);
    const addresses = (svc?.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip || i.hostname).map((i) => (i.ip ? { ip: i.ip } : { hostname: i.hostname! }));
    if (addresses.length === 0) return;
    for (const ing of ours) {
      if (equalPlain(ing.status?.loadBalancer?.ingress ?? [], addresses)) continue;
      ctx.store.updateStatus<Ingress>({ ...ing, status: { loadBalancer: { ingress: addresses } } });
    }
  }
}
