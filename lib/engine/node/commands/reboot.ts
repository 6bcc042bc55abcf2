/**
 * `reboot`: the node goes down now and comes back 30 s later with a new boot, its pods'
 * sandboxes recreated by the kubelet.
 *
 * @example
 * reboot   # Connection to node01 closed by remote host.
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { goDown } from "./power";

export function rebootCommand(agent: NodeAgent): Command {
  return {
    name: "reboot",
    summary: "reboot the machine",
    usage: "reboot [OPTIONS...]",
    path: "/usr/sbin/reboot",
    spec: { flags: [{ name: "force", short: "f", long: "force", help: "force immediate reboot" }, { name: "no-wall", long: "no-wall", help: "don't send wall message" }] },
    run: (_args, ctx) => goDown(agent, ctx, "reboot"),
  };
}
