/**
 * Which program a container runs: its argv (image ENTRYPOINT/CMD overridden by the pod's
 * command/args, as Docker and the CRI combine them), looked up among the binaries its image
 * ships. Entry scripts (`docker-entrypoint.sh`, `/entrypoint.sh`, `dumb-init --`) hand over
 * to the program after them. A binary the image lacks fails the start as runc does.
 *
 * @example
 * containerArgv(image, { command: ["sleep"], args: ["3600"] }); // ["sleep", "3600"]
 * startProgram(ctx, dial); // a ProgramRun, or { startError: 'failed to create containerd task: … exec: "foo": executable file not found in $PATH: unknown' }
 */
import type { CatalogImage } from "../images/catalog";
import { FLAVORS } from "../container/flavors";
import { agnhostProgram, type Dialer } from "./agnhost";
import { mysqlProgram, postgresProgram } from "./databases";
import { runCurl } from "../../net/commands/curl";
import { err, logLines, oneShot, proc, type ProgramContext, type ProgramRun, type StartFailure } from "./kit";
import { ingressNginxProgram } from "./ingress-nginx";
import { ncListenProgram } from "./nc";
import { pilotAgentProgram, pilotDiscoveryProgram } from "../../mesh/programs";
import { scriptProgram } from "./script";
import { volumeNfsProgram } from "../../storage/volume-nfs";
import { httpEchoProgram, httpdProgram, nginxProgram, redisProgram, whoamiProgram } from "./servers";
import { systemProgram } from "./system";

export type { Dialer, DialResult } from "./agnhost";

/** The argv a container starts with (before `$(VAR)` expansion). */
export function containerArgv(image: CatalogImage, spec: { command?: readonly string[]; args?: readonly string[] }): string[] {
  if (spec.command && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  if (spec.args && spec.args.length > 0) return [...image.entrypoint, ...spec.args];
  return [...image.entrypoint, ...image.cmd];
}

const ENTRY_SCRIPTS = new Set(["docker-entrypoint.sh", "entrypoint.sh", "dumb-init", "start_runit"]);

const base = (path: string) => path.replace(/^.*\//, "");

/**
 * Every program name the image has on PATH (its flavor's tools, its own binaries, entry
 * scripts): the entrypoint's program, and CMD's first word when it is the program (no
 * entrypoint, or an entry script that execs it), not CMD's arguments (`/exports`, `-g`).
 */
export function imageTools(image: CatalogImage): ReadonlySet<string> {
  let tools = toolsOfImage.get(image);
  if (tools === undefined) {
    const made = new Set([...FLAVORS[image.flavor].tools, ...image.binaries]);
    const entry = image.entrypoint[0];
    const programs = entry === undefined || ENTRY_SCRIPTS.has(base(entry)) ? [entry, image.cmd[0]] : [entry];
    for (const word of programs) if (word) made.add(base(word));
    tools = made;
    toolsOfImage.set(image, tools);
  }
  return tools;
}

// Every container start asks; an image (a catalog entry) never changes.
const toolsOfImage = new WeakMap<CatalogImage, ReadonlySet<string>>();

function runcError(binary: string): StartFailure {
  const why = binary.includes("/") ? `stat ${binary}: no such file or directory` : "executable file not found in $PATH";
  return {
    startError: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${binary}": ${why}: unknown`,
  };
}

/**
 * A container whose PID 1 is curl: the same transfer as the `curl` command, from the pod's
 * namespace, its output in the container's log (stdout the body, stderr the rest, the progress
 * meter included, as curl writes it to a pipe), and it exits when the transfer is done.
 */
function curlProgram(ctx: ProgramContext, args: readonly string[], dial: Dialer): ProgramRun {
  const main = [proc(`curl ${args.join(" ")}`.trim(), ctx.image.user ?? 0, 9_000, 5_000)];
  const where = dial.namespace({ nodeName: ctx.nodeName, podIP: ctx.podIP });
  if (!where) return oneShot([err("curl: (7) Couldn't connect to server")], 7, main, 5);
  const workdir = ctx.image.workdir;
  const run = runCurl(args, {
    network: where.network, stack: where.stack, fs: ctx.fs, now: ctx.now, stdoutIsTerminal: false,
    resolvePath: (path) => (path.startsWith("/") ? path : `${workdir.replace(/\/$/, "")}/${path}`),
  });
  return oneShot(logLines(run.chunks), run.exitCode, main, Math.max(5, Math.ceil(run.elapsedMs)));
}

/** Starts the container's program, or says why runc could not. */
export function startProgram(ctx: ProgramContext, dial: Dialer): ProgramRun | StartFailure {
  const tools = imageTools(ctx.image);
  let argv = [...ctx.argv];
  if (argv.length === 0) return { startError: "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: no command specified: unknown" };
  if (!tools.has(base(argv[0]))) return runcError(argv[0]);
  let viaEntrypoint = false;
  // Entry scripts set things up and `exec "$@"`: the program after them is what runs.
  while (ENTRY_SCRIPTS.has(base(argv[0])) && argv.length > 1) {
    argv = argv[1] === "--" ? argv.slice(2) : argv.slice(1);
    viaEntrypoint = true;
    if (argv.length === 0 || !tools.has(base(argv[0]))) return runcError(argv[0] ?? "");
  }
  const next = { ...ctx, argv };
  const binary = base(argv[0]);
  const flavor = FLAVORS[ctx.image.flavor];
  switch (binary) {
    case "nginx":
      return nginxProgram(viaEntrypoint ? { ...ctx, argv: ["/docker-entrypoint.sh", ...argv] } : next, viaEntrypoint);
    case "httpd":
    case "httpd-foreground":
      return httpdProgram(next);
    case "redis-server":
      return redisProgram(next, argv.slice(1));
    case "postgres":
      return postgresProgram(next);
    case "mysqld":
      return mysqlProgram(next);
    case "whoami":
      return whoamiProgram(next);
    case "http-echo":
      return httpEchoProgram(next);
    case "agnhost":
      return agnhostProgram(next, argv.slice(1), dial);
    case "curl":
      return curlProgram(next, argv.slice(1), dial);
    case "nc":
      return ncListenProgram(next, argv.slice(1));
    case "pilot-agent":
      return pilotAgentProgram(next, argv.slice(1), dial);
    case "pilot-discovery":
      return pilotDiscoveryProgram(next, argv.slice(1));
    case "nginx-ingress-controller":
      return ingressNginxProgram(next, dial);
    case "run_nfs.sh":
      return volumeNfsProgram(next, argv.slice(1));
  }
  const system = systemProgram(binary, next);
  if (system) return system;
  return scriptProgram(next, argv, tools, flavor.shells[binary] ?? flavor.shells.sh ?? "ash");
}
