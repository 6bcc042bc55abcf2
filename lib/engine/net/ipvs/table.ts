/**
 * Editing the IPVS table as the kernel's setsockopt/netlink handlers do (ip_vs_ctl.c): add, edit
 * and delete virtual services and their destinations, flush, zero the counters. Errors carry
 * the errno libipvs turns into ipvsadm's messages ("Service already exists", "No such
 * destination"). `ipvsadm` and kube-proxy's IPVS proxier both edit through here.
 *
 * @example
 * const vs = addService(stack.ipvs, { protocol: "tcp", ip: vip, port: 80, scheduler: "rr" });
 * addDestination(stack.ipvs, vs, { ip: pod, port: 8080, weight: 1, forward: "Masq" });
 */
import { serverKey, wrrReset } from "./schedulers";
import { emptyStats, type IpvsConnection, type IpvsProtocol, type IpvsScheduler, type IpvsState, type RealServer, type VirtualService } from "./types";

/** The errno a failed edit returns (libipvs maps it to the message ipvsadm prints). */
export type IpvsErrno = "EEXIST" | "ESRCH" | "ENOENT";

export class IpvsError extends Error {
  constructor(readonly errno: IpvsErrno) {
    super(errno);
  }
}

export interface ServiceSpec {
  protocol: IpvsProtocol;
  ip: number;
  port: number;
  scheduler: IpvsScheduler;
  persistent?: number;
  netmask?: number;
  onePacket?: boolean;
}

export interface DestinationSpec {
  ip: number;
  port: number;
  weight: number;
  forward: RealServer["forward"];
  upperThreshold?: number;
  lowerThreshold?: number;
}

export function findService(ipvs: IpvsState, protocol: IpvsProtocol, ip: number, port: number): VirtualService | undefined {
  for (const vs of ipvs.services) if (vs.ip === ip && vs.port === port && vs.protocol === protocol) return vs;
  return undefined;
}

export function findDestination(vs: VirtualService, ip: number, port: number): RealServer | undefined {
  for (const r of vs.reals) if (r.ip === ip && r.port === port) return r;
  return undefined;
}

/** `ipvsadm -A`: a new virtual service with no destinations. */
export function addService(ipvs: IpvsState, spec: ServiceSpec): VirtualService {
  if (findService(ipvs, spec.protocol, spec.ip, spec.port)) throw new IpvsError("EEXIST");
  const vs: VirtualService = {
    protocol: spec.protocol, ip: spec.ip, port: spec.port, scheduler: spec.scheduler, persistent: spec.persistent,
    netmask: spec.netmask ?? 0xffffffff, onePacket: spec.onePacket ?? false, reals: [], wrr: { cw: 0 }, stats: emptyStats(),
  };
  ipvs.services.push(vs);
  return vs;
}

/** `ipvsadm -E`: new scheduler or persistence; a new scheduler starts from its initial state. */
export function editService(ipvs: IpvsState, spec: ServiceSpec): VirtualService {
  const vs = findService(ipvs, spec.protocol, spec.ip, spec.port);
  if (!vs) throw new IpvsError("ESRCH");
  if (vs.scheduler !== spec.scheduler) {
    vs.scheduler = spec.scheduler;
    vs.rrLast = undefined;
    vs.wrr = { cw: 0 };
    wrrReset(vs);
  }
  vs.persistent = spec.persistent;
  vs.netmask = spec.netmask ?? 0xffffffff;
  vs.onePacket = spec.onePacket ?? false;
  return vs;
}

/** `ipvsadm -D`: the service goes, and with it the connections and templates it scheduled. */
export function deleteService(ipvs: IpvsState, protocol: IpvsProtocol, ip: number, port: number): void {
  const vs = findService(ipvs, protocol, ip, port);
  if (!vs) throw new IpvsError("ESRCH");
  ipvs.services.splice(ipvs.services.indexOf(vs), 1);
  ipvs.connections = ipvs.connections.filter((c) => !(c.protocol === protocol && c.virtual.ip === ip && c.virtual.port === port));
}

/** `ipvsadm -C`. */
export function flush(ipvs: IpvsState): void {
  ipvs.services = [];
  ipvs.connections = [];
}

/** `ipvsadm -a`: the new destination goes to the head of the list, as `list_add_rcu` puts it. */
export function addDestination(ipvs: IpvsState, vs: VirtualService, spec: DestinationSpec): RealServer {
  if (findDestination(vs, spec.ip, spec.port)) throw new IpvsError("EEXIST");
  const real: RealServer = {
    ip: spec.ip, port: spec.port, weight: spec.weight, forward: spec.forward, activeConns: 0, inactiveConns: 0, persistConns: 0,
    upperThreshold: spec.upperThreshold ?? 0, lowerThreshold: spec.lowerThreshold ?? 0, stats: emptyStats(),
  };
  // Connections that outlived an earlier incarnation of this destination count on it again.
  for (const c of ipvs.connections) if (c.virtual.ip === vs.ip && c.virtual.port === vs.port && c.protocol === vs.protocol && c.dest.ip === spec.ip && c.dest.port === spec.port) bind(real, c, 1);
  vs.reals.unshift(real);
  wrrReset(vs);
  return real;
}

/** `ipvsadm -e`: new weight, forwarding method or thresholds. */
export function editDestination(vs: VirtualService, spec: DestinationSpec): RealServer {
  const real = findDestination(vs, spec.ip, spec.port);
  if (!real) throw new IpvsError("ENOENT");
  real.weight = spec.weight;
  real.forward = spec.forward;
  real.upperThreshold = spec.upperThreshold ?? 0;
  real.lowerThreshold = spec.lowerThreshold ?? 0;
  wrrReset(vs);
  return real;
}

/**
 * `ipvsadm -d`: the destination leaves the list. Round robin then continues after the server
 * before it (ip_vs_rr_del_dest moves its position back one), and its connections live on
 * until they expire.
 */
export function deleteDestination(vs: VirtualService, ip: number, port: number): void {
  const real = findDestination(vs, ip, port);
  if (!real) throw new IpvsError("ENOENT");
  const at = vs.reals.indexOf(real);
  if (vs.rrLast === serverKey(real)) vs.rrLast = at > 0 ? serverKey(vs.reals[at - 1]) : undefined;
  vs.reals.splice(at, 1);
  wrrReset(vs);
}

/** `ipvsadm -Z`: every counter of one service (or all) back to zero, rates too. */
export function zeroStats(ipvs: IpvsState, only?: VirtualService): void {
  for (const vs of only ? [only] : ipvs.services) {
    vs.stats = emptyStats();
    for (const r of vs.reals) r.stats = emptyStats();
  }
}

/** The service a connection belongs to, and its destination if it is still in the list. */
export function connectionOwner(ipvs: IpvsState, c: IpvsConnection): { vs?: VirtualService; real?: RealServer } {
  const vs = findService(ipvs, c.protocol, c.virtual.ip, c.virtual.port);
  return { vs, real: vs && findDestination(vs, c.dest.ip, c.dest.port) };
}

/** Adds (+1) or removes (−1) a connection from its destination's counters. */
export function bind(real: RealServer | undefined, c: IpvsConnection, sign: 1 | -1): void {
  if (!real) return;
  if (c.template) real.persistConns += sign;
  else if (c.state === "ESTABLISHED") real.activeConns += sign;
  else real.inactiveConns += sign;
}

/**
 * Drops the entries whose timer ran out by `now`, as their kernel timers would have. A
 * template does not expire while connections it placed are alive: its timer starts over.
 */
export function expireConnections(ipvs: IpvsState, now: number): void {
  let expired = false;
  for (const c of ipvs.connections) if (c.expires <= now) expired = true;
  if (!expired) return;
  const kept: IpvsConnection[] = [];
  for (const c of ipvs.connections) {
    if (c.expires > now) {
      kept.push(c);
      continue;
    }
    if (c.template) {
      const vs = findService(ipvs, c.protocol, c.virtual.ip, c.virtual.port);
      const controlling = vs !== undefined && ipvs.connections.some((o) => !o.template && o.expires > now && o.protocol === c.protocol && o.virtual.ip === c.virtual.ip
        && o.virtual.port === c.virtual.port && o.dest.ip === c.dest.ip && o.dest.port === c.dest.port && ((o.client.ip & vs.netmask) >>> 0) === c.client.ip);
      if (controlling && vs?.persistent) {
        c.expires = now + vs.persistent * 1000;
        kept.push(c);
        continue;
      }
    }
    bind(connectionOwner(ipvs, c).real, c, -1);
  }
  ipvs.connections = kept;
}
