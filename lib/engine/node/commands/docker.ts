/**
 * `docker ps [-a] [-q]` on nodes whose runtime is Docker Engine (through cri-dockerd): each
 * pod's sandbox is a `k8s_POD_…` pause container beside its `k8s_<container>_…` containers.
 *
 * @example
 * docker ps -a   # exited containers too; other docker subcommands are not simulated
 */
import type { Command } from "../../shell";
import type { NodeAgent } from "../agent";
import { crictlAgo } from "../format";
import { tabwrite } from "./kit";

export function dockerCommand(agent: NodeAgent): Command {
  return {
    name: "docker",
    summary: "A self-sufficient runtime for containers",
    usage: "docker [OPTIONS] COMMAND",
    spec: { raw: true, flags: [] },
    run(args, ctx) {
      const [sub, ...rest] = args.operands;
      if (sub !== "ps") {
        if (sub === undefined) return { stdout: "", stderr: "Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n", exitCode: 0 };
        return { stdout: "", stderr: `docker: '${sub}' is not a docker command.\nSee 'docker --help'\n`, exitCode: 1 };
      }
      const bad = rest.find((w) => !["-a", "--all", "-q", "--quiet", "-aq", "-qa", "--no-trunc"].includes(w));
      if (bad) return { stdout: "", stderr: `unknown flag: ${bad}\nSee 'docker ps --help'.\n`, exitCode: 125 };
      const all = rest.some((w) => w.includes("a") && w !== "--quiet");
      const quiet = rest.some((w) => w.includes("q"));
      const now = ctx.clock.now();
      const rows: { id: string; image: string; command: string; created: number; running: boolean; exit: number; finished: number; name: string }[] = [];
      for (const s of agent.runtime.sandboxes.values()) {
        rows.push({ id: s.id, image: "registry.k8s.io/pause:3.10", command: "/pause", created: s.createdAt, running: s.state === "SANDBOX_READY", exit: 0, finished: now, name: `k8s_POD_${s.name}_${s.namespace}_${s.podUid}_${s.attempt}` });
      }
      for (const c of agent.runtime.containers.values()) {
        const s = agent.runtime.sandboxes.get(c.sandboxId);
        rows.push({
          id: c.id, image: c.image.id.slice(7, 19), command: c.argv.join(" "), created: c.createdAt, running: c.state === "CONTAINER_RUNNING", exit: c.exitCode ?? 0,
          finished: c.finishedAt ?? now, name: `k8s_${c.name}_${s?.name}_${s?.namespace}_${s?.podUid}_${c.attempt}`,
        });
      }
      const shown = rows.filter((r) => all || r.running).sort((a, b) => b.created - a.created);
      if (quiet) return { stdout: shown.map((r) => r.id.slice(0, 12) + "\n").join(""), stderr: "", exitCode: 0 };
      // docker's Ellipsis(command, 20), then strconv.Quote.
      const quote = (cmd: string) => JSON.stringify([...cmd].length > 20 ? [...cmd].slice(0, 19).join("") + "…" : cmd);
      const since = (ms: number) => crictlAgo(ms).replace(/ ago$/, "");
      const table = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]];
      for (const r of shown) {
        const status = r.running ? `Up ${since(now - r.created)}` : `Exited (${r.exit}) ${crictlAgo(now - r.finished)}`;
        table.push([r.id.slice(0, 12), r.image, quote(r.command), crictlAgo(now - r.created), status, "", r.name]);
      }
      return { stdout: tabwrite(table, 10, 3), stderr: "", exitCode: 0 };
    },
  };
}
