/**
 * What `poweroff`, `reboot` and `shutdown` share: the node goes down, and the learner's shell
 * on it goes with it, the way ssh reports a connection the remote end dropped: `Connection to
 * node01 closed by remote host.`, then (an interactive session's pty) `Connection to node01
 * closed.` in place of bash's `logout`, which a killed shell never prints.
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
  ctx.session.exit(255, `Connection to ${agent.name} closed.\n`);
  return { stdout: "", stderr: `Connection to ${agent.name} closed by remote host.\n`, exitCode: 255 };
}
