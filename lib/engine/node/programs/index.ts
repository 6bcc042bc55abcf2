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
import { err, oneShot, proc, type ProgramContext, type ProgramRun, type StartFailure } from "./kit";
import { scriptProgram } from "./script";
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

/** Every program name the image has on PATH (its flavor's tools, its own binaries, entry scripts). */
export function imageTools(image: CatalogImage): Set<string> {
  const tools = new Set([...FLAVORS[image.flavor].tools, ...image.binaries]);
  for (const word of [...image.entrypoint, ...image.cmd]) tools.add(word.replace(/^.*\//, ""));
  return tools;
}

const base = (path: string) => path.replace(/^.*\//, "");

function runcError(binary: string): StartFailure {
  const why = binary.includes("/") ? `stat ${binary}: no such file or directory` : "executable file not found in $PATH";
  return {
    startError: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${binary}": ${why}: unknown`,
  };
}

function curlProgram(ctx: ProgramContext, args: readonly string[], dial: Dialer): ProgramRun {
  const main = [proc(`curl ${args.join(" ")}`.trim(), ctx.image.user ?? 0, 9_000, 5_000)];
  const url = args.find((a) => !a.startsWith("-"));
  if (!url) return oneShot([err("curl: try 'curl --help' or 'curl --manual' for more information")], 2, main, 5);
  const m = /^(?:(\w+):\/\/)?([^/:]+)(?::(\d+))?/.exec(url);
  const host = m?.[2] ?? url;
  const port = Number(m?.[3] ?? (m?.[1] === "https" ? 443 : 80));
  const result = dial.dial({ nodeName: ctx.nodeName, podIP: ctx.podIP }, host, port, "TCP");
  if (result === "connected") return oneShot([], 0, main, 20);
  if (result === "refused") return oneShot([err(`curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`)], 7, main, 5);
  if (result === "timeout") return oneShot([err(`curl: (28) Failed to connect to ${host} port ${port} after 134225 ms: Couldn't connect to server`)], 28, main, 134_225);
  return oneShot([err(`curl: (6) Could not resolve host: ${host}`)], 6, main, 5);
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
  }
  const system = systemProgram(binary, next);
  if (system) return system;
  return scriptProgram(next, argv, tools, flavor.shells[binary] ?? flavor.shells.sh ?? "ash");
}
