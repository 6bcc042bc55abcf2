// The packet walker's public face: exchanges (what programs do), the walk itself (one packet),
// captures (tcpdump), what machines register (sockets, power), and traces (the diagram's).
export { connectTcp, echo, echoReplyBytes, sendUdp, type EchoInit, type Exchange, type ExchangeInit, type Outcome, type ServerView, type TcpInit, type UdpInit, type UnreachableReason } from "./exchange";
export { Walk, describe, icmpName, routeText, tcpFlags, type Arrival, type Errno, type StepKind, type WalkHop, type WalkStep } from "./walk";
export { Capture, CaptureSet, type CapturedFrame } from "./capture";
export { bindAccepts, type BoundSocket, type NetMachine, type SocketOwner } from "./machines";
export { recordExchange, traceOf, traceOutcome } from "./trace";
export type { ArpPacket, EthernetFrame, IcmpHeader, IpipPayload, Ipv4Packet, TcpHeader, Transport, UdpHeader } from "./packet";
