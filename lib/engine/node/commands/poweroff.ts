/**
 * `poweroff`: the node stops at once; its containers stop, its kubelet stops posting leases.
 *
 * @example
 * poweroff   # Connection to node01 closed by remote host.
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { goDown } from "./power";

export function poweroffCommand(agent: NodeAgent): Command {
  return {
    name: "poweroff",
    summary: "power off the machine",
    usage: "poweroff [OPTIONS...]",
    path: "/usr/sbin/poweroff",
    spec: { flags: [{ name: "force", short: "f", long: "force", help: "force immediate power-off" }, { name: "no-wall", long: "no-wall", help: "don't send wall message" }] },
    run: (_args, ctx) => goDown(agent, ctx, "poweroff"),
  };
}
