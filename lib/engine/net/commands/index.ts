/**
 * The network tools, one module each (ip, iptables, ipvsadm, conntrack, ping, curl, nc, …).
 * They are module-level (no closures: they reach the kernel state through the shell location's
 * `netns`), so the same objects serve every node's shell and every container whose image ships
 * the binary.
 */
import type { Command } from "../../shell";

export const NETWORK_COMMANDS: readonly Command[] = Object.freeze([
]);

export { currentNet, currentStack } from "./context";
