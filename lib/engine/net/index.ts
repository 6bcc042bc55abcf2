// The network layer's public face (layers 4–5 of DESIGN §2): kernel state per namespace and the cluster's wires.
export { NETWORK_COMMANDS, currentNet, currentStack } from "./commands";
export { ClusterNetwork, HOST_NETNS_INODE, type Segment } from "./network";
export { NetStack, type NetStackInit } from "./kernel/stack";
export type { Address, FdbEntry, Link, LinkKind, LinkStats, PeerRef, VxlanInfo, WireguardInfo, WireguardPeer } from "./kernel/link";
export type { Neighbour, NeighbourState } from "./kernel/neighbour";
export { lookupRoute, longestMatch, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Route, type RouteProto, type RouteType, type RoutingRule, type RoutingState } from "./kernel/route";
export type { Chain, Match, Netfilter, Rule, RuleSpec, Table, TableName, Target } from "./netfilter/types";
export type { ConntrackEntry, ConntrackTable, L4Protocol, Tuple } from "./conntrack/types";
export type { IpvsScheduler, IpvsState, RealServer, VirtualService } from "./ipvs/types";
