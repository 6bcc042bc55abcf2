/**
 * What `poweroff`, `reboot` and `shutdown` share: the node goes down, and the learner's shell
 * on it goes with it, the way ssh reports a connection the remote end dropped.
 *
 * @example
 * return goDown(agent, ctx, "poweroff");
 */
import type { CommandContext, CommandResult } from "../../shell";
import type { NodeAgent } from "../agent";

export function goDown(agent: NodeAgent, ctx: CommandContext, how: "poweroff" | "reboot"): CommandResult {
  if (how === "reboot") agent.reboot();
  else agent.powerOff();
  // The session on this node ends: sshd is gone before the shell can say goodbye.
  ctx.session.exit(255);
  return { stdout: "", stderr: `Connection to ${agent.name} closed by remote host.\n`, exitCode: 255 };
}
