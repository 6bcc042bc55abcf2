/**
 * The commands a node's shell gets from its agents, one module each. `docker` exists only on
 * nodes whose runtime is Docker Engine; elsewhere bash answers `docker: command not found`.
 *
 * @example
 * registry.register(...nodeCommandList(agents, agents.node("node01")!));
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import type { NodeAgents } from "../agents";
import { crictlCommand } from "./crictl";
import { dockerCommand } from "./docker";
import { freeCommand } from "./free";
import { journalctlCommand } from "./journalctl";
import { kubeadmCommand } from "../../pki/commands";
import { lsnsCommand } from "./lsns";
import { nsenterCommand } from "./nsenter";
import { poweroffCommand } from "./poweroff";
import { psCommand } from "./ps";
import { rebootCommand } from "./reboot";
import { shutdownCommand } from "./shutdown";
import { systemctlCommand } from "./systemctl";
import { unameCommand } from "./uname";
import { uptimeCommand } from "./uptime";

export function nodeCommandList(agents: NodeAgents, agent: NodeAgent): Command[] {
  const docker = agents.scenario.runtime === "docker";
  return [
    crictlCommand(agent, agents.runtime, docker),
    ...(docker ? [dockerCommand(agent)] : []),
    freeCommand(agent),
    journalctlCommand(agent),
    kubeadmCommand,
    lsnsCommand(agent),
    nsenterCommand(agent),
    poweroffCommand(agent),
    psCommand(agent),
    rebootCommand(agent),
    shutdownCommand(agent, agents.cluster),
    systemctlCommand(agent),
    unameCommand(agent),
    uptimeCommand(agent),
  ];
}
