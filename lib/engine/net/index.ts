// The network layer's public face (layers 4–5 of DESIGN §2): kernel state per namespace and the cluster's wires.
export { NETWORK_COMMANDS, currentNet, currentStack } from "./commands";
export { locationIn, shellSource } from "./commands/context";
export { autoIPv6, hasCarrier, hostAddresses, operState } from "./kernel/link-state";
export { mountProcSysNet, readSysctl, writeSysctl } from "./kernel/sysctl";
export { checkNexthop, resolveRoute, selectSource } from "./kernel/fib";
export { ClusterNetwork, HOST_NETNS_INODE, type Segment } from "./network";
export { NetStack, type NetStackInit } from "./kernel/stack";
export type { Address, FdbEntry, Link, LinkKind, LinkStats, PeerRef, VxlanInfo, WireguardInfo, WireguardPeer } from "./kernel/link";
export type { Neighbour, NeighbourState } from "./kernel/neighbour";
export { lookupRoute, longestMatch, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Route, type RouteProto, type RouteType, type RoutingRule, type RoutingState } from "./kernel/route";
export type { Chain, Match, Netfilter, Rule, RuleSpec, Table, TableName, Target } from "./netfilter/types";
export { addEntry, createSet, deleteEntry, destroySet, hitLabel, IpSetError, parseRule, restoreTables, testEntry, traverse, type CtState, type CtView, type IpSet, type PacketView, type RestoreOptions, type RestoreResult, type RuleHit, type TraverseEnv, type TraverseResult, type Verdict } from "./netfilter";
export type { ConntrackEntry, ConntrackTable, L4Protocol, Tuple } from "./conntrack/types";
export type { IpvsScheduler, IpvsState, RealServer, VirtualService } from "./ipvs/types";
export { ipvsConnectionState, ipvsPacket, ipvsSchedule, ipvsService, type IpvsConnState, type IpvsConnection, type IpvsPacket } from "./ipvs";
export { KubeProxy, startKubeProxies, syncKubeletChains } from "./kube-proxy";
