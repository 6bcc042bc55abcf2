/**
 * Service IP and port allocation (`pkg/registry/core/service/storage/alloc.go` and the
 * strategy's `dropTypeDependentFields`/`patchAllocatedValues`): ClusterIPs from the service
 * CIDR, NodePorts (and the health-check port of `LoadBalancer`+`Local`) from the node port
 * range, family defaults, and on update carrying allocated values over, allocating what a type
 * change needs and releasing what it drops once the update commits.
 *
 * @example
 * allocateServiceCreate(svc, ctx);   // svc.spec.clusterIP === "10.103.27.190", clusterIPs likewise
 */
import { equalPlain } from "../../util/plain";
import { AllocationError } from "../allocators/cluster-ip";
import { invalidError } from "../errors";
import type { Service } from "../types/core";
import type { Stored } from "../types/meta";
import { type FieldError, fieldPath, goStringSlice, invalid, notSupported, required } from "../validation/field";
import { invalidIPMessage, isIP } from "../validation/strings";
import type { StrategyContext } from "./strategy";

const SERVICE = { group: "", kind: "Service" };

const needsClusterIP = (s: Service) => s.spec.type !== "ExternalName";
const isHeadless = (s: Service) => s.spec.clusterIP === "None";
const needsNodePort = (s: Service) =>
  s.spec.type === "NodePort" || (s.spec.type === "LoadBalancer" && s.spec.allocateLoadBalancerNodePorts !== false);
const needsHealthCheckPort = (s: Service) => s.spec.type === "LoadBalancer" && s.spec.externalTrafficPolicy === "Local";

/** `ValidateServiceClusterIPsRelatedFields`, the loose pre-check allocation runs first. */
export function validateClusterIPFields(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const ipsPath = fieldPath("spec", "clusterIPs");
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required(ipsPath));
    else if (ips[0] !== spec.clusterIP) errs.push(invalid(ipsPath, goStringSlice(ips), "first value must match `clusterIP`"));
  } else if (ips.length > 0) {
    errs.push(invalid(ipsPath, goStringSlice(ips), "must be empty when `clusterIP` is not specified"));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== "IPv4" && f !== "IPv6") errs.push(notSupported(fieldPath("spec", "ipFamilies").index(i), f, ["IPv4", "IPv6"]));
  });
  const policies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
  if (spec.ipFamilyPolicy !== undefined && !policies.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported(fieldPath("spec", "ipFamilyPolicy"), spec.ipFamilyPolicy, policies));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (ips.length > 1) errs.push(invalid(ipsPath, goStringSlice(ips), "'None' must be the first and only value"));
      return;
    }
    if (!isIP(ip)) errs.push(invalid(ipsPath.index(i), ip, invalidIPMessage));
  });
  return errs;
}

/** `initIPFamilyFields` for a single-stack IPv4 cluster. */
function initFamilies(svc: Service): void {
  const spec = svc.spec;
  if (!needsClusterIP(svc)) return;
  if (isHeadless(svc) && Object.keys(spec.selector ?? {}).length === 0) {
    // Headless services without selectors may carry either family's endpoints.
    spec.ipFamilyPolicy ??= "RequireDualStack";
    spec.ipFamilies ??= ["IPv4", "IPv6"];
    return;
  }
  spec.ipFamilyPolicy ??= "SingleStack";
  spec.ipFamilies ??= ["IPv4"];
}

function fail(svc: Service, errs: FieldError[]): never {
  throw invalidError(SERVICE, svc.metadata.name ?? "", errs);
}

function allocateClusterIP(svc: Service, ctx: StrategyContext): void {
  const spec = svc.spec;
  if (!needsClusterIP(svc) || isHeadless(svc)) return;
  if (!spec.clusterIP) {
    try {
      spec.clusterIP = ctx.clusterIPs.allocateNext();
    } catch (e) {
      if (e instanceof AllocationError) fail(svc, [invalid(fieldPath("spec", "clusterIPs"), goStringSlice(spec.clusterIPs), e.message)]);
      throw e;
    }
    spec.clusterIPs = [spec.clusterIP];
  } else {
    try {
      ctx.clusterIPs.allocate(spec.clusterIP);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      const msg = `failed to allocate IP ${spec.clusterIP}: ${e.message}`;
      fail(svc, [invalid(fieldPath("spec", "clusterIPs"), goStringSlice(spec.clusterIPs), msg)]);
    }
  }
  const ip = spec.clusterIP;
  ctx.onRollback(() => ctx.clusterIPs.release(ip));
}

/** Claims every NodePort the service needs that `prev` did not already hold. */
function allocateNodePorts(svc: Service, prev: Service | undefined, ctx: StrategyContext): void {
  const held = new Set(prev && needsNodePort(prev) ? (prev.spec.ports ?? []).map((p) => p.nodePort).filter((n) => n) : []);
  // An update keeps the health-check port the old object already holds (it is not claimed twice).
  if (prev?.spec.healthCheckNodePort && needsHealthCheckPort(prev)) held.add(prev.spec.healthCheckNodePort);
  const claimed = new Set<number>();
  const claim = (port: number, path: ReturnType<typeof fieldPath>) => {
    if (held.has(port) || claimed.has(port)) return;
    try {
      ctx.nodePorts.allocate(port);
    } catch (e) {
      if (e instanceof AllocationError) fail(svc, [invalid(path, port, e.message)]);
      throw e;
    }
    claimed.add(port);
    ctx.onRollback(() => ctx.nodePorts.release(port));
  };
  if (needsNodePort(svc)) {
    (svc.spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort) claim(p.nodePort, fieldPath("spec", "ports").index(i).child("nodePort"));
    });
    for (const p of svc.spec.ports ?? []) {
      if (p.nodePort) continue;
      // Ports that differ only in protocol share one NodePort, as upstream does.
      const twin = (svc.spec.ports ?? []).find((q) => q !== p && q.port === p.port && q.nodePort);
      p.nodePort = twin?.nodePort ?? nextNodePort(ctx, claimed);
    }
  }
  if (needsHealthCheckPort(svc)) {
    const hc = svc.spec.healthCheckNodePort;
    if (hc) claim(hc, fieldPath("spec", "healthCheckNodePort"));
    else svc.spec.healthCheckNodePort = nextNodePort(ctx, claimed);
  }
}

function nextNodePort(ctx: StrategyContext, claimed: Set<number>): number {
  const port = ctx.nodePorts.allocateNext();
  claimed.add(port);
  ctx.onRollback(() => ctx.nodePorts.release(port));
  return port;
}

/** BeginCreate: pre-validate, default families, allocate the ClusterIP then NodePorts. */
export function allocateServiceCreate(svc: Service, ctx: StrategyContext): void {
  const spec = svc.spec;
  if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
  if (needsClusterIP(svc)) {
    const errs = validateClusterIPFields(svc);
    if (errs.length > 0) fail(svc, errs);
  }
  initFamilies(svc);
  allocateClusterIP(svc, ctx);
  allocateNodePorts(svc, undefined, ctx);
}

/** `dropTypeDependentFields` + `patchAllocatedValues` + `NormalizeClusterIPs`, then allocation. */
export function allocateServiceUpdate(svc: Service, old: Stored<Service>, ctx: StrategyContext): void {
  const spec = svc.spec;
  const prev = old.spec;
  const sameIPs = equalPlain(spec.clusterIPs, prev.clusterIPs) && (spec.clusterIP ?? "") === (prev.clusterIP ?? "");
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (sameIPs) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (equalPlain(spec.ipFamilies, prev.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === prev.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  const samePorts = equalPlain((spec.ports ?? []).map((p) => p.nodePort), (prev.ports ?? []).map((p) => p.nodePort));
  if (needsNodePort(old) && !needsNodePort(svc) && samePorts) for (const p of spec.ports ?? []) delete p.nodePort;
  if (needsHealthCheckPort(old) && !needsHealthCheckPort(svc) && spec.healthCheckNodePort === prev.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (old.spec.type === "LoadBalancer" && spec.type !== "LoadBalancer" && spec.allocateLoadBalancerNodePorts === prev.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  const externallyAccessible = (s: Service) => s.spec.type === "NodePort" || s.spec.type === "LoadBalancer";
  if (externallyAccessible(old) && !externallyAccessible(svc) && spec.externalTrafficPolicy === prev.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== "LoadBalancer" && svc.status) svc.status = { ...svc.status, loadBalancer: {} };
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP) spec.clusterIP = prev.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && spec.clusterIP === prev.clusterIP) spec.clusterIPs = prev.clusterIPs ? [...prev.clusterIPs] : undefined;
    spec.ipFamilies ??= prev.ipFamilies ? [...prev.ipFamilies] : undefined;
    spec.ipFamilyPolicy ??= prev.ipFamilyPolicy;
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const byName = new Map((prev.ports ?? []).map((p) => [p.name ?? "", p.nodePort]));
    const used = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n) => n));
    for (const p of spec.ports ?? []) {
      const oldPort = byName.get(p.name ?? "");
      if (!p.nodePort && oldPort && !used.has(oldPort)) p.nodePort = oldPort;
    }
  }
  if (!needsClusterIP(old) && needsClusterIP(svc)) {
    initFamilies(svc);
    allocateClusterIP(svc, ctx);
  }
  allocateNodePorts(svc, old, ctx);
  releaseDropped(svc, old, ctx);
}

/** Releases, after commit, whatever the old object held and the new one no longer does. */
function releaseDropped(svc: Service, old: Stored<Service>, ctx: StrategyContext): void {
  const oldIP = old.spec.clusterIP;
  if (oldIP && oldIP !== "None" && svc.spec.clusterIP !== oldIP) ctx.onCommit(() => ctx.clusterIPs.release(oldIP));
  const kept = new Set((svc.spec.ports ?? []).map((p) => p.nodePort));
  kept.add(svc.spec.healthCheckNodePort);
  const oldPorts = [...(old.spec.ports ?? []).map((p) => p.nodePort), old.spec.healthCheckNodePort];
  for (const port of oldPorts) if (port && !kept.has(port)) ctx.onCommit(() => ctx.nodePorts.release(port));
}

/** Frees the ClusterIP and NodePorts of a deleted service. */
export function releaseService(svc: Stored<Service>, ctx: StrategyContext): void {
  const ip = svc.spec.clusterIP;
  if (ip && ip !== "None") ctx.clusterIPs.release(ip);
  for (const p of svc.spec.ports ?? []) if (p.nodePort) ctx.nodePorts.release(p.nodePort);
  if (svc.spec.healthCheckNodePort) ctx.nodePorts.release(svc.spec.healthCheckNodePort);
}
