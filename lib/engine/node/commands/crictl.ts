/**
 * `crictl` 1.32 against the node's containerd: `ps`, `pods`, `images`, `inspect`,
 * `inspectp`, `logs`, `exec` and `version`, with crictl's columns (tabwriter, min width 20, padding 3),
 * 13-character IDs, newest first, its filters (`--name`, `--pod`, `--namespace`, `--state`,
 * `-a`, `-q`, `--no-trunc`, `--latest`, `--last`) and its logrus failures (`FATA[0000] …`),
 * including the one when containerd is down.
 *
 * @example
 * crictl pods --name web
 * crictl inspectp -o go-template --template '{{.status.network.ip}} {{.info.pid}}' b2e4c1f09a7d3
 */
import { stringify } from "yaml";
import { Output, type Command, type CommandResult } from "../../shell";
import type { NodeAgent } from "../agent";
import { CONTAINERD_VERSION, DOCKER_VERSION } from "../machine";
import { crictlAgo, klogHeader } from "../format";
import type { ContainerInfo, Sandbox } from "../runtime/containerd";
import type { PodRuntimeService } from "../../cluster/services";
import { crictlExec } from "./crictl-exec";
import { inspectContainer, inspectSandbox, renderGoTemplate } from "./crictl-inspect";
import { humanSize, tabwrite } from "./kit";

const fatal = (message: string): CommandResult => ({ stdout: "", stderr: `FATA[0000] ${message}\n`, exitCode: 1 });
const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 13);
const DOWN = 'validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"';

type Flags = { values: Map<string, string>; operands: string[] } | { error: string };

/** urfave/cli flags: `--name v`, `--name=v`, `-n v`; booleans take no value. */
function parse(argv: readonly string[], bools: Record<string, string>, values: Record<string, string>): Flags {
  const out = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith("-") || word === "-") {
      operands.push(word);
      continue;
    }
    const [flag, attached] = word.replace(/^--?/, "").split(/=(.*)/s);
    if (bools[flag]) out.set(bools[flag], attached ?? "true");
    else if (values[flag]) {
      const value = attached ?? argv[++i];
      if (value === undefined) return { error: `flag needs an argument: ${word}` };
      out.set(values[flag], value);
    } else return { error: `flag provided but not defined: ${word.split("=")[0]}` };
  }
  return { values: out, operands };
}

function regex(pattern: string | undefined): RegExp | undefined {
  return pattern ? new RegExp(pattern) : undefined;
}

function truncateCount<T>(items: T[], f: Map<string, string>): T[] {
  if (f.get("latest") === "true") return items.slice(0, 1);
  const last = Number(f.get("last") ?? 0);
  return last > 0 ? items.slice(0, last) : items;
}

function ps(agent: NodeAgent, argv: readonly string[], now: number): CommandResult {
  const f = parse(argv, { a: "all", all: "all", q: "quiet", quiet: "quiet", "no-trunc": "notrunc", l: "latest", latest: "latest", v: "verbose", verbose: "verbose" },
    { name: "name", p: "pod", pod: "pod", state: "state", s: "state", namespace: "namespace", n: "last", last: "last", id: "id", image: "image", o: "output", output: "output" });
  if ("error" in f) return fatal(f.error);
  const v = f.values;
  const state = v.get("state")?.toLowerCase();
  if (state && !["created", "running", "exited", "unknown"].includes(state)) return fatal("list containers: --state should be one of created, running, exited or unknown");
  const name = regex(v.get("name"));
  const ns = regex(v.get("namespace"));
  let list = [...agent.runtime.containers.values()].filter((c) => {
    const s = c.state.replace("CONTAINER_", "").toLowerCase();
    if (state ? s !== state : v.get("all") !== "true" && !v.has("latest") && !v.has("last") && s !== "running") return false;
    if (v.get("pod") && !c.sandboxId.startsWith(v.get("pod")!)) return false;
    if (v.get("id") && !c.id.startsWith(v.get("id")!)) return false;
    if (name && !name.test(c.name)) return false;
    if (ns && !ns.test(c.labels["io.kubernetes.pod.namespace"] ?? "")) return false;
    return !v.get("image") || c.imageRef.includes(v.get("image")!);
  });
  list = truncateCount(list.sort((a, b) => b.createdAt - a.createdAt), v);
  if (v.get("quiet") === "true") return { stdout: list.map((c) => c.id + "\n").join(""), stderr: "", exitCode: 0 };
  const trunc = v.get("notrunc") !== "true";
  const rows = [["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"]];
  for (const c of list) {
    rows.push([trunc ? short(c.id) : c.id, trunc ? short(c.image.id) : c.image.id, crictlAgo(now - c.createdAt), stateName(c), c.name, String(c.attempt),
      trunc ? short(c.sandboxId) : c.sandboxId, c.labels["io.kubernetes.pod.name"] ?? "unknown", c.labels["io.kubernetes.pod.namespace"] ?? "unknown"]);
  }
  return { stdout: tabwrite(rows, 20, 3), stderr: "", exitCode: 0 };
}

const stateName = (c: ContainerInfo) => ({ CONTAINER_CREATED: "Created", CONTAINER_RUNNING: "Running", CONTAINER_EXITED: "Exited" })[c.state];

function pods(agent: NodeAgent, argv: readonly string[], now: number): CommandResult {
  const f = parse(argv, { q: "quiet", quiet: "quiet", "no-trunc": "notrunc", l: "latest", latest: "latest", v: "verbose", verbose: "verbose" },
    { name: "name", namespace: "namespace", s: "state", state: "state", id: "id", n: "last", last: "last", label: "label", o: "output", output: "output" });
  if ("error" in f) return fatal(f.error);
  const v = f.values;
  const name = regex(v.get("name"));
  const ns = regex(v.get("namespace"));
  const state = v.get("state")?.toLowerCase();
  const [lk, lv] = (v.get("label") ?? "").split("=");
  let list = [...agent.runtime.sandboxes.values()].filter((s) =>
    (!name || name.test(s.name)) && (!ns || ns.test(s.namespace)) && (!v.get("id") || s.id.startsWith(v.get("id")!)) &&
    (!state || (state === "ready") === (s.state === "SANDBOX_READY")) && (!lk || s.labels[lk] === lv));
  list = truncateCount(list.sort((a, b) => b.createdAt - a.createdAt), v);
  if (v.get("quiet") === "true") return { stdout: list.map((s) => s.id + "\n").join(""), stderr: "", exitCode: 0 };
  const trunc = v.get("notrunc") !== "true";
  const rows = [["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]];
  for (const s of list) rows.push([trunc ? short(s.id) : s.id, crictlAgo(now - s.createdAt), s.state === "SANDBOX_READY" ? "Ready" : "NotReady", s.name, s.namespace, String(s.attempt), "(default)"]);
  return { stdout: tabwrite(rows, 20, 3), stderr: "", exitCode: 0 };
}

function images(agent: NodeAgent, argv: readonly string[]): CommandResult {
  const f = parse(argv, { q: "quiet", quiet: "quiet", "no-trunc": "notrunc", digests: "digests", v: "verbose", verbose: "verbose", a: "all", all: "all" }, { o: "output", output: "output" });
  if ("error" in f) return fatal(f.error);
  const filter = f.operands[0];
  const stored = agent.images.list().filter((s) => !filter || [...s.tags].some((t) => t.startsWith(filter.includes("/") ? filter : `docker.io/library/${filter}`) || t.includes(`/${filter}`)));
  if (f.values.get("quiet") === "true") return { stdout: stored.map((s) => s.image.id + "\n").join(""), stderr: "", exitCode: 0 };
  const rows: string[][] = [];
  for (const s of stored) {
    const tags = s.tags.size > 0 ? [...s.tags] : [`${s.image.repository}:<none>`];
    for (const t of tags) {
      const colon = t.lastIndexOf(":");
      rows.push([t.slice(0, colon), t.slice(colon + 1), f.values.get("notrunc") === "true" ? s.image.id : short(s.image.id), humanSize(s.image.size)]);
    }
  }
  rows.sort((a, b) => (`${a[0]}:${a[1]}` < `${b[0]}:${b[1]}` ? -1 : 1));
  return { stdout: tabwrite([["IMAGE", "TAG", "IMAGE ID", "SIZE"], ...rows], 20, 3), stderr: "", exitCode: 0 };
}

/** Finds a container or sandbox by (unique prefix of) its ID. */
function byPrefix<T extends { id: string }>(items: Iterable<T>, id: string): T | undefined | "ambiguous" {
  const found = [...items].filter((x) => x.id.startsWith(id));
  return found.length > 1 ? "ambiguous" : found[0];
}

function inspect(agent: NodeAgent, argv: readonly string[], sandbox: boolean, now: number): CommandResult {
  const f = parse(argv, { q: "quiet", quiet: "quiet" }, { o: "output", output: "output", template: "template" });
  if ("error" in f) return fatal(f.error);
  const ids = f.operands;
  if (ids.length === 0) return fatal("ID cannot be empty");
  const out = new Output();
  for (const id of ids) {
    const kind = sandbox ? "sandbox" : "container";
    const target = sandbox ? byPrefix<Sandbox>(agent.runtime.sandboxes.values(), id) : byPrefix<ContainerInfo>(agent.runtime.containers.values(), id);
    if (!target || target === "ambiguous") {
      const err = `rpc error: code = NotFound desc = an error occurred when try to find ${kind} "${id}": not found`;
      out.err(`${klogHeader("E", now, agent.processes.peek())} log.go:32] "${sandbox ? "PodSandboxStatus" : "ContainerStatus"} from runtime service failed" err="${err.replace(/"/g, '\\"')}" ${sandbox ? "podSandboxID" : "containerID"}="${id}"\n`);
      out.err(`FATA[0000] getting the ${sandbox ? "pod sandbox" : "status of the container"} "${id}": ${err}\n`);
      return out.result(1);
    }
    const data = sandbox ? inspectSandbox(agent, target as Sandbox) : inspectContainer(agent, target as ContainerInfo);
    const format = f.values.get("output") ?? "json";
    if (format === "go-template") {
      const r = renderGoTemplate(f.values.get("template") ?? "", data);
      if (!r.ok) return fatal(r.error);
      out.out(r.text + "\n");
    } else if (format === "yaml") out.out(stringify(data));
    else if (format === "json") out.out(JSON.stringify(data, null, 2) + "\n");
    else return fatal(`unsupported output format "${format}"`);
  }
  return out.result(0);
}

function logs(agent: NodeAgent, argv: readonly string[]): CommandResult {
  const f = parse(argv, { t: "timestamps", timestamps: "timestamps", p: "previous", previous: "previous", f: "follow", follow: "follow" }, { tail: "tail", since: "since", limit: "limit" });
  if ("error" in f) return fatal(f.error);
  const id = f.operands[0];
  if (!id) return fatal("ID cannot be empty");
  const c = byPrefix<ContainerInfo>(agent.runtime.containers.values(), id);
  if (!c || c === "ambiguous") return fatal(`rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`);
  let lines = c.logs;
  const tail = Number(f.values.get("tail") ?? -1);
  if (tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  const out = new Output();
  for (const l of lines) {
    const text = f.values.get("timestamps") === "true" ? `${new Date(l.time).toISOString().replace(/Z$/, `${String(l.seq % 1_000_000).padStart(6, "0")}Z`)} ${l.text}\n` : `${l.text}\n`;
    if (l.stream === "stdout") out.out(text);
    else out.err(text);
  }
  return out.result(0);
}

const HELP = `NAME:
   crictl - client for CRI

USAGE:
   crictl [global options] command [command options]

VERSION:
   v1.32.0

COMMANDS:
   images, image, img  List images
   exec                Run a command in a running container
   inspect             Display the status of one or more containers
   inspectp            Display the status of one or more pods
   logs                Fetch the logs of a container
   pods                List pods
   ps                  List containers
   version             Display runtime version information
   help, h             Shows a list of commands or help for one command
`;

/** `crictl` on one node. */
export function crictlCommand(agent: NodeAgent, runtime: PodRuntimeService, docker: boolean): Command {
  return {
    name: "crictl",
    summary: "CLI for CRI-compatible container runtimes",
    usage: "crictl [global options] command [command options] [arguments...]",
    spec: { raw: true, flags: [] },
    run(args, ctx) {
      const [sub, ...rest] = args.operands;
      if (sub === undefined || sub === "help" || sub === "h" || sub === "--help" || sub === "-h") return { stdout: HELP, stderr: "", exitCode: 0 };
      if (sub === "--version" || sub === "-v") return { stdout: "crictl version v1.32.0\n", stderr: "", exitCode: 0 };
      if (agent.host.unit("containerd") !== "active") return fatal(DOWN);
      const now = ctx.clock.now();
      switch (sub) {
        case "ps":
          return ps(agent, rest, now);
        case "pods":
          return pods(agent, rest, now);
        case "images":
        case "image":
        case "img":
          return images(agent, rest);
        case "inspect":
          return inspect(agent, rest, false, now);
        case "inspectp":
          return inspect(agent, rest, true, now);
        case "logs":
          return logs(agent, rest);
        case "exec":
          return crictlExec(agent, runtime, rest, ctx);
        case "version":
          return {
            stdout: `Version:  0.1.0\nRuntimeName:  ${docker ? "docker" : "containerd"}\nRuntimeVersion:  ${docker ? DOCKER_VERSION : CONTAINERD_VERSION}\nRuntimeApiVersion:  v1\n`,
            stderr: "", exitCode: 0,
          };
        default:
          return { stdout: "", stderr: `No help topic for '${sub}'\n`, exitCode: 3 };
      }
    },
    complete: (words) => (words.length === 0 ? ["exec", "images", "inspect", "inspectp", "logs", "pods", "ps", "version"] : undefined),
  };
}
