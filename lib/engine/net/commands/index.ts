/**
 * The network tools, one module each (ip, iptables, ipvsadm, conntrack, ping, curl, nc, …).
 * They are module-level (no closures: they reach the kernel state through the shell location's
 * `netns`), so the same objects serve every node's shell and every container whose image ships
 * the binary.
 */
import type { Command } from "../../shell";
import { bridgeCommand } from "./bridge";
import { brctlCommand } from "./brctl";
import { ethtoolCommand } from "./ethtool";
import { calicoctlCommand } from "./calicoctl";
import { ipCommand } from "./ip";
import { sysctlCommand } from "./sysctl";
import { unshareCommand } from "./unshare";
import { ipvsadmCommand } from "./ipvsadm";
import { pingCommand } from "./ping";
import { conntrackCommand } from "./conntrack";
import { iptablesCommand } from "./iptables/iptables";
import { iptablesRestoreCommand } from "./iptables/iptables-restore";
import { iptablesSaveCommand } from "./iptables/iptables-save";
import { ipsetCommand } from "./ipset";
import { curlCommand } from "./curl";
import { tcpdumpCommand } from "./tcpdump";
import { wgetCommand } from "./wget";
import { ssCommand } from "./ss";
import { netstatCommand } from "./netstat";
import { ncCommand } from "./nc";
import { tracerouteCommand } from "./traceroute";
import { digCommand, getentCommand, hostCommand, nslookupCommand } from "./dns";
import { netlabCommand } from "./netlab";
import { istioctlCommand } from "../../mesh/istioctl";
import { opensslCommand } from "../../pki/commands";

export const NETWORK_COMMANDS: readonly Command[] = Object.freeze([
  ipvsadmCommand,
  ipCommand,
  calicoctlCommand,
  bridgeCommand,
  brctlCommand,
  sysctlCommand,
  unshareCommand,
  ethtoolCommand,
  pingCommand,
  conntrackCommand,
  iptablesCommand,
  iptablesSaveCommand,
  iptablesRestoreCommand,
  ipsetCommand,
  curlCommand,
  tcpdumpCommand,
  wgetCommand,
  ssCommand,
  netstatCommand,
  ncCommand,
  tracerouteCommand,
  digCommand,
  nslookupCommand,
  hostCommand,
  getentCommand,
  netlabCommand,
  opensslCommand,
  istioctlCommand,
]);

export { currentNet, currentStack } from "./context";
