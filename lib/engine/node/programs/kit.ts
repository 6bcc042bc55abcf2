/**
 * What a container's main process is, as the runtime sees it: the processes it runs, the
 * sockets it binds, what it prints and when it exits, and how it answers signals. Each image
 * family has a module that builds one of these from the container's argv and env.
 *
 * @example
 * const run = daemon({ processes: [proc("redis-server *:6379", 999)], listens: [tcp(6379)], startup: lines });
 * run.step(now); // { output: lines }
 */
import type { AppReply, AppRequest, ServerCertificate } from "../../net/app/types";
import type { FileSystem } from "../../shell";
import type { ClusterNetwork, NetStack } from "../../net";
import type { StoreReader } from "../../api";
import type { CatalogImage } from "../images/catalog";

export interface LogLine {
  stream: "stdout" | "stderr";
  text: string;
  /** When it was written, if later than the step began (a script's tools take time). */
  at?: number;
}

/** A socket a program listens on. */
export interface Listen {
  port: number;
  protocol: "TCP" | "UDP";
  /** `0.0.0.0`, `127.0.0.1`, `::` */
  address: string;
  /** SO_BINDTODEVICE: the interface the socket is bound to (systemd-resolved's stub on lo). */
  device?: string;
}

/** One process of a container (the first is its PID 1). */
export interface ProcSpec {
  args: string;
  uid: number;
  vsz: number;
  rss: number;
  stat: string;
  cpu?: number;
}

/** What happened in one step of a program: output, and either a wake-up time or an exit. */
export interface Step {
  output: LogLine[];
  wakeAt?: number;
  exitCode?: number;
}

export type Signal = "SIGTERM" | "SIGQUIT" | "SIGINT";

/** How a program reacts to a stop signal; undefined when it ignores it (PID 1 without a handler). */
export type SignalReply = { afterMs: number; exitCode: number; output: LogLine[] } | undefined;

/** A running program. `step` is called at start and at every requested wake-up. */
export interface ProgramRun {
  readonly processes: readonly ProcSpec[];
  readonly listens: readonly Listen[];
  /** Runs until the program waits or ends; `net` lets it use the network tools from its pod (given per step: it is not state). */
  step(now: number, net?: ProgramTools): Step;
  signal(signal: Signal, now: number): SignalReply;
  /** What the program prints, and its exit code and delay, when it cannot bind `listen`. */
  bindFailed(listen: Listen, now: number): BindFailure;
  /**
   * The shell (`sh`, `bash`) PID 1 is while it waits on its standard input (started without a
   * script, with the pod spec's `stdin: true`): what an attached terminal types into (`kubectl
   * run -it`, `kubectl attach`). Undefined for every other program.
   */
  readonly stdinShell?: string;
  /**
   * The attached input ended that shell: `exit N` typed into it, or the end of its input (a
   * closed `stdinOnce` stream, Ctrl-D), with the shell's status then.
   */
  stdinEnded?(status: number, now: number): Step;
  /** A client's bytes reached one of its sockets (net/app): its answer and what it logs. Absent: it never answers. */
  serve?(request: AppRequest, ctx: ServeContext): Served;
  /** The certificate it presents on a TLS port for a ClientHello's server name (SNI); undefined: the port speaks plain text. */
  certificate?(port: number, serverName: string | undefined): ServerCertificate | undefined;
}

/**
 * The network tools (`wget`, `curl`, `nc`, `ping`…) a container's PID 1 runs from the pod's
 * network namespace: the same commands a terminal runs, with the script's clock.
 */
export interface ProgramTools {
  /** Runs `argv`; undefined when it is not a network tool (or not one that runs here). */
  run(argv: readonly string[], stdin: string, now: number): { stdout: string; stderr: string; exitCode: number; elapsedMs: number } | undefined;
}

/** What a server program looks at when a request reaches it. */
export interface ServeContext {
  /** The container's file system (nginx serves /usr/share/nginx/html from it). */
  fs: FileSystem;
  /** Virtual epoch ms the request arrived. */
  now: number;
  /** The addresses of its network namespace, interface by interface (traefik/whoami prints them). */
  addresses: readonly string[];
  /**
   * The cluster around it, for programs that talk on (a proxy opens its own connections and
   * reads the policies istiod would push to it): the network, its namespace, the API objects.
   */
  world?: { network: ClusterNetwork; stack: NetStack; store: StoreReader };
}

/** A server's answer to one request and the lines it logs about it (an access log on stdout). */
export interface Served {
  reply: AppReply;
  log: LogLine[];
}

/** A failed bind: the output, exit code, and how long the program kept retrying. */
export interface BindFailure {
  output: LogLine[];
  exitCode: number;
  afterMs?: number;
}

/** Everything a program may look at when it starts. */
export interface ProgramContext {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  image: CatalogImage;
  /** The container's file system (scripts read and write it). */
  fs: FileSystem;
  podName: string;
  namespace: string;
  nodeName: string;
  nodeIP: string;
  podIP: string;
  cpus: number;
  kernel: string;
  kubernetesVersion: string;
  /** When the container starts (virtual epoch ms). */
  now: number;
  /** The pod spec's `stdin`: a buffer for standard input is kept open (a shell then waits on it). */
  stdin?: boolean;
}

/** A program that cannot start at all (runc's error), e.g. a binary missing from the image. */
export interface StartFailure {
  startError: string;
}

export const out = (text: string): LogLine => ({ stream: "stdout", text });
export const err = (text: string): LogLine => ({ stream: "stderr", text });
export const tcp = (port: number, address = "0.0.0.0"): Listen => ({ port, protocol: "TCP", address });
export const udp = (port: number, address = "0.0.0.0"): Listen => ({ port, protocol: "UDP", address });

/** A process of a container with typical memory figures. */
export function proc(args: string, uid = 0, vsz = 10_000, rss = 4_000, stat = "Ss", cpu = 0): ProcSpec {
  return { args, uid, vsz, rss, stat, cpu };
}

/** Lines of text, each prefixed per line (`2026/01/12 09:00:03 [notice] 1#1: …`). */
export function lines(stream: LogLine["stream"], text: string): LogLine[] {
  return text.split("\n").map((t) => ({ stream, text: t }));
}

/**
 * A long-running server as data: its processes, sockets and start-up lines, and how it
 * answers a stop signal or a port it cannot bind. The handlers are module-level functions of
 * `data` (what they need, fixed at start), since a running program is part of the cluster's
 * state and state holds no closures (see ../../CONTEXT.md).
 */
export interface DaemonSpec<D> {
  processes: ProcSpec[];
  listens?: Listen[];
  startup: LogLine[];
  data?: D;
  /** Output and exit code on the stop signal; absent: it exits at once with 0 (100 ms). */
  onSignal?: (data: D, signal: Signal, now: number) => SignalReply;
  bindFailed?: (data: D, listen: Listen, now: number) => BindFailure;
  /** Its answer to a request on one of its sockets (module-level, like the handlers above). */
  serve?: (data: D, request: AppRequest, ctx: ServeContext) => Served;
  /** Its certificate on a TLS port, by SNI (module-level, like the handlers above). */
  certificate?: (data: D, port: number, serverName: string | undefined) => ServerCertificate | undefined;
}

/** A long-running server: prints its start-up lines, runs until signalled. */
export function daemon<D = undefined>(spec: DaemonSpec<D>): ProgramRun {
  return new Daemon(spec);
}

class Daemon<D> implements ProgramRun {
  private started = false;

  constructor(private readonly spec: DaemonSpec<D>) {}

  get processes(): readonly ProcSpec[] {
    return this.spec.processes;
  }

  get listens(): readonly Listen[] {
    return this.spec.listens ?? [];
  }

  step(): Step {
    if (this.started) return { output: [] };
    this.started = true;
    return { output: this.spec.startup };
  }

  signal(signal: Signal, now: number): SignalReply {
    return this.spec.onSignal ? this.spec.onSignal(this.spec.data as D, signal, now) : { afterMs: 100, exitCode: 0, output: [] };
  }

  bindFailed(listen: Listen, now: number): BindFailure {
    return this.spec.bindFailed?.(this.spec.data as D, listen, now) ?? { output: [err(`listen tcp :${listen.port}: bind: address already in use`)], exitCode: 1 };
  }

  get serve(): ((request: AppRequest, ctx: ServeContext) => Served) | undefined {
    return this.spec.serve ? this.serveRequest : undefined;
  }

  private serveRequest(request: AppRequest, ctx: ServeContext): Served {
    return this.spec.serve!(this.spec.data as D, request, ctx);
  }

  get certificate(): ((port: number, serverName: string | undefined) => ServerCertificate | undefined) | undefined {
    return this.spec.certificate ? this.certificateFor : undefined;
  }

  private certificateFor(port: number, serverName: string | undefined): ServerCertificate | undefined {
    return this.spec.certificate!(this.spec.data as D, port, serverName);
  }
}

/** A program that prints and exits after `afterMs`. */
export function oneShot(output: LogLine[], exitCode: number, processes: ProcSpec[], afterMs = 40): ProgramRun {
  return new OneShot(output, exitCode, processes, afterMs);
}

class OneShot implements ProgramRun {
  readonly listens: readonly Listen[] = [];
  private steps = 0;

  constructor(
    private readonly output: LogLine[],
    private readonly exitCode: number,
    readonly processes: readonly ProcSpec[],
    private readonly afterMs: number,
  ) {}

  step(now: number): Step {
    this.steps++;
    return this.steps === 1 ? { output: this.output, wakeAt: now + this.afterMs } : { output: [], exitCode: this.exitCode };
  }

  signal(): SignalReply {
    return { afterMs: 0, exitCode: 143, output: [] };
  }

  bindFailed(): BindFailure {
    return { output: [], exitCode: 1 };
  }
}

/** Go's default for an unhandled SIGTERM: the process dies of the signal (128 + 15). */
export const diesOfSignal = (): SignalReply => ({ afterMs: 0, exitCode: 143, output: [] });

/** `--flag=value` or `--flag value` from an argv, Go flag style (one or two dashes). */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--?/, "-");
    if (a === `-${name}` && i + 1 < argv.length && !argv[i + 1].startsWith("-")) return argv[i + 1];
    if (a.startsWith(`-${name}=`)) return a.slice(name.length + 2);
  }
  return undefined;
}

const two = (n: number) => String(n).padStart(2, "0");

/** Go's `log` package timestamp, also nginx's: `2026/01/12 09:00:03`. */
export function goLogTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Written chunks as log lines: each stream's text cut at its newlines, a last partial line kept. */
export function logLines(chunks: readonly { fd: 1 | 2; text: string }[]): LogLine[] {
  const lines: LogLine[] = [];
  const partial: Record<1 | 2, string> = { 1: "", 2: "" };
  for (const { fd, text } of chunks) {
    const parts = (partial[fd] + text).split("\n");
    partial[fd] = parts.pop()!;
    for (const line of parts) lines.push(fd === 1 ? out(line) : err(line));
  }
  if (partial[1]) lines.push(out(partial[1]));
  if (partial[2]) lines.push(err(partial[2]));
  return lines;
}
