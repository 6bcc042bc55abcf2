// IPVS, the kernel's layer-4 load balancer, as data and the operations on it: the table that
// `ipvsadm` and kube-proxy edit, the schedulers, and the hooks the packet walker calls.
export { emptyIpvs, IPVS_SCHEDULERS, type IpvsConnState, type IpvsConnection, type IpvsProtocol, type IpvsScheduler, type IpvsState, type IpvsStats, type IpvsTimeouts, type RealServer, type VirtualService } from "./types";
export { dhBucket, pickServer, serverKey, shBucket, type ScheduleInput } from "./schedulers";
export { addDestination, addService, deleteDestination, deleteService, editDestination, editService, expireConnections, findDestination, findService, flush, IpvsError, zeroStats, type DestinationSpec, type IpvsErrno, type ServiceSpec } from "./table";
export { ipvsConnectionState, ipvsPacket, ipvsSchedule, ipvsService, type IpvsPacket } from "./schedule";
export { readRates } from "./stats";
