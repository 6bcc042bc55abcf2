/**
 * Web and cache servers from the catalog: nginx (with the official image's entrypoint
 * scripts), Apache httpd, Redis, traefik/whoami and hashicorp/http-echo. Their start-up,
 * shutdown and bind-failure output is what those programs print.
 *
 * @example
 * nginxProgram(ctx); // listens on :80, logs "/docker-entrypoint.sh: Configuration complete; ready for start up"
 */
import { utcParts } from "../format";
import { serveHttpEcho, serveWhoami } from "./http-go";
import { serveHttpd, serveNginx } from "./http-static";
import { daemon, err, flagValue, goLogTime, lines, oneShot, out, proc, tcp, type BindFailure, type Listen, type LogLine, type ProgramContext, type ProgramRun, type Signal, type SignalReply } from "./kit";

const NGINX_ENTRYPOINT = `/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh
/docker-entrypoint.sh: Configuration complete; ready for start up`;

/** An nginx error-log notice: `2026/01/12 09:00:03 [notice] 1#1: …`. */
const notice = (ms: number, pid: number, text: string) => err(`${goLogTime(ms)} [notice] ${pid}#${pid}: ${text}`);

/** What nginx's handlers need: its worker PIDs, the entrypoint's lines and its version. */
interface Nginx {
  workers: number[];
  entry: LogLine[];
  version: string;
}

function nginxSignal({ workers }: Nginx, signal: Signal, now: number): SignalReply {
  const number = signal === "SIGQUIT" ? 3 : signal === "SIGINT" ? 2 : 15;
  const output: LogLine[] = [notice(now, 1, `signal ${number} (${signal}) received, ${signal === "SIGQUIT" ? "shutting down" : "exiting"}`)];
  for (const w of workers) output.push(notice(now, w, signal === "SIGQUIT" ? "gracefully shutting down" : "exiting"), notice(now, w, "exit"));
  for (const w of workers) output.push(notice(now, 1, `signal 17 (SIGCHLD) received from ${w}`), notice(now, 1, `worker process ${w} exited with code 0`));
  output.push(notice(now, 1, "exit"));
  return { afterMs: 120, exitCode: 0, output };
}

function nginxBindFailed({ entry }: Nginx, listen: Listen, now: number): BindFailure {
  const output: LogLine[] = [...entry];
  for (let attempt = 0; attempt < 5; attempt++) {
    for (const addr of [`0.0.0.0:${listen.port}`, `[::]:${listen.port}`]) {
      const text = `bind() to ${addr} failed (98: Address already in use)`;
      output.push(err(`${goLogTime(now + attempt * 500)} [emerg] 1#1: ${text}`), err(`nginx: [emerg] ${text}`));
    }
  }
  output.push(err(`${goLogTime(now + 2500)} [emerg] 1#1: still could not bind()`), err("nginx: [emerg] still could not bind()"));
  return { output, exitCode: 1, afterMs: 2500 };
}

/** nginx from the official image: master + one worker per CPU, port 80, graceful SIGQUIT. */
export function nginxProgram(ctx: ProgramContext, viaEntrypoint: boolean): ProgramRun {
  const args = viaEntrypoint ? ctx.argv.slice(1) : ctx.argv;
  const entry = viaEntrypoint ? lines("stdout", NGINX_ENTRYPOINT) : [];
  const foreground = args.join(" ").includes("daemon off;");
  // Without `daemon off;` nginx forks into the background and PID 1 exits: the container ends.
  if (!foreground) return oneShot(entry, 0, [proc(`nginx ${args.slice(1).join(" ")}`.trim())]);
  const firstWorker = viaEntrypoint ? 29 : 7;
  const workers = Array.from({ length: ctx.cpus }, (_, i) => firstWorker + i);
  const t = ctx.now;
  const compiler = ctx.image.flavor === "alpine" ? "gcc 14.2.0 (Alpine 14.2.0) " : "gcc 12.2.0 (Debian 12.2.0-14) ";
  const startup = [
    ...entry,
    notice(t, 1, 'using the "epoll" event method'),
    notice(t, 1, `nginx/${ctx.image.version}`),
    notice(t, 1, `built by ${compiler}`),
    notice(t, 1, `OS: Linux ${ctx.kernel}`),
    notice(t, 1, "getrlimit(RLIMIT_NOFILE): 1048576:1048576"),
    notice(t, 1, "start worker processes"),
    ...workers.map((w) => notice(t, 1, `start worker process ${w}`)),
  ];
  return daemon({
    processes: [proc(`nginx: master process ${args.join(" ")}`, 0, 11_400, 7_600), ...workers.map(() => proc("nginx: worker process", 101, 11_860, 2_900, "S"))],
    listens: [tcp(80)],
    startup,
    data: { workers, entry, version: ctx.image.version },
    onSignal: nginxSignal,
    bindFailed: nginxBindFailed,
    serve: serveNginx,
  });
}

/** httpd's error-log time: `Mon Jan 12 09:00:03.123000 2026`. */
function httpdStamp(ms: number): string {
  const d = new Date(ms).toUTCString().split(" "); // "Mon, 12 Jan 2026 09:00:03 GMT"
  const micros = String(utcParts(ms).millis).padStart(3, "0") + "000";
  return `${d[0].replace(",", "")} ${d[2]} ${d[1]} ${d[4]}.${micros} ${d[3]}`;
}

/** What httpd's handlers need: its start-up complaint about the server name, and its version. */
interface Httpd {
  fqdn: string;
  version: string;
}

const httpdSignal = (_httpd: Httpd, _s: Signal, now: number): SignalReply => ({
  afterMs: 200, exitCode: 0, output: [err(`[${httpdStamp(now)}] [mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down`)],
});

const httpdBindFailed = ({ fqdn }: Httpd, listen: Listen): BindFailure => ({
  output: [err(fqdn), err(`(98)Address already in use: AH00072: make_sock: could not bind to address [::]:${listen.port}`), err(`(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:${listen.port}`), err("no listening sockets available, shutting down"), err("AH00015: Unable to open logs")],
  exitCode: 1,
});

/** Apache httpd 2.4 in the foreground on port 80. */
export function httpdProgram(ctx: ProgramContext): ProgramRun {
  const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`;
  return daemon({
    processes: [proc("httpd -DFOREGROUND", 0, 5_900, 4_500), proc("httpd -DFOREGROUND", 33, 1_998_000, 3_600, "Sl"), proc("httpd -DFOREGROUND", 33, 1_998_000, 3_600, "Sl")],
    listens: [tcp(80)],
    startup: [
      err(fqdn),
      err(fqdn),
      err(`[${httpdStamp(ctx.now)}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${ctx.image.version} (Unix) configured -- resuming normal operations`),
      err(`[${httpdStamp(ctx.now)}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`),
    ],
    data: { fqdn, version: ctx.image.version },
    onSignal: httpdSignal,
    bindFailed: httpdBindFailed,
    serve: serveHttpd,
  });
}

/** Redis's log time: `12 Jan 2026 09:00:03.123`. */
function redisStamp(ms: number): string {
  const t = new Date(ms).toUTCString().split(" "); // "Mon, 12 Jan 2026 09:00:03 GMT"
  return `${t[1]} ${t[2]} ${t[3]} ${t[4]}.${String(utcParts(ms).millis).padStart(3, "0")}`;
}

/** A line of Redis's launcher (`C`, stamped with its start) or main process (`M`). */
const redisC = (startedAt: number, text: string) => out(`1:C ${redisStamp(startedAt)} ${text}`);
const redisM = (ms: number, text: string) => out(`1:M ${redisStamp(ms)} ${text}`);

const redisSignal = (_startedAt: number, _s: Signal, now: number): SignalReply => ({
  afterMs: 100,
  exitCode: 0,
  output: [
    out(`1:signal-handler (${Math.floor(now / 1000)}) Received SIGTERM scheduling shutdown...`),
    redisM(now, "* User requested shutdown..."),
    redisM(now, "* Saving the final RDB snapshot before exiting."),
    redisM(now, "* DB saved on disk"),
    redisM(now, "# Redis is now ready to exit, bye bye..."),
  ],
});

const redisBindFailed = (startedAt: number, listen: Listen, now: number): BindFailure => ({
  output: [
    redisC(startedAt, "* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
    redisM(now, `# Warning: Could not create server TCP listening socket *:${listen.port}: bind: Address already in use`),
    redisM(now, `# Failed listening on port ${listen.port} (tcp), aborting.`),
  ],
  exitCode: 1,
});

/** Redis 7 as the official image starts it (gosu to uid 999, port 6379). */
export function redisProgram(ctx: ProgramContext, args: readonly string[]): ProgramRun {
  const port = Number(flagValue(args, "port") ?? 6379);
  const c = (text: string) => redisC(ctx.now, text);
  const m = (text: string) => redisM(ctx.now, text);
  return daemon({
    processes: [proc(`redis-server *:${port}`, 999, 138_000, 12_300, "Ssl", 0.2)],
    listens: [tcp(port)],
    startup: [
      c("* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
      c(`* Redis version=${ctx.image.version}, bits=64, commit=00000000, modified=0, pid=1, just started`),
      c("# Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf"),
      m("* monotonic clock: POSIX clock_gettime"),
      m(`* Running mode=standalone, port=${port}.`),
      m("* Server initialized"),
      m("* Ready to accept connections tcp"),
    ],
    data: ctx.now,
    onSignal: redisSignal,
    bindFailed: redisBindFailed,
  });
}

const whoamiSignal = (): SignalReply => ({ afterMs: 0, exitCode: 2, output: [] });

const whoamiBindFailed = (_site: { hostname: string }, listen: Listen, now: number): BindFailure => ({
  output: [err(`${goLogTime(now)} listen tcp :${listen.port}: bind: address already in use`)], exitCode: 1,
});

/** traefik/whoami: a tiny Go server that echoes the request, port 80 (or --port). */
export function whoamiProgram(ctx: ProgramContext): ProgramRun {
  const port = Number(flagValue(ctx.argv, "port") ?? 80);
  return daemon({
    processes: [proc(ctx.argv.join(" "), 0, 1_233_000, 6_200, "Ssl")],
    listens: [tcp(port)],
    startup: [err(`${goLogTime(ctx.now)} Starting up on port ${port}`)],
    data: { hostname: ctx.podName },
    onSignal: whoamiSignal,
    bindFailed: whoamiBindFailed,
    serve: serveWhoami,
  });
}

/** What http-echo's handlers need: where it listens, what it answers, its version. */
interface HttpEcho {
  listen: string;
  text: string;
  version: string;
}

const httpEchoSignal = (_echo: HttpEcho, _s: Signal, now: number): SignalReply => ({
  afterMs: 0, exitCode: 0, output: [err(`${goLogTime(now)} [INFO] received interrupt, shutting down...`)],
});

const httpEchoBindFailed = ({ listen }: HttpEcho, _l: Listen, now: number): BindFailure => ({
  output: [err(`${goLogTime(now)} [ERR] Error starting server: listen tcp ${listen}: bind: address already in use`)], exitCode: 1,
});

/** hashicorp/http-echo: answers every request with `-text`, on `-listen` (default :5678). */
export function httpEchoProgram(ctx: ProgramContext): ProgramRun {
  const text = flagValue(ctx.argv, "text");
  const listen = flagValue(ctx.argv, "listen") ?? ":5678";
  const port = Number(listen.slice(listen.lastIndexOf(":") + 1));
  const processes = [proc(ctx.argv.join(" "), 0, 1_236_000, 5_400, "Ssl")];
  if (text === undefined) return oneShot([err("[ERR] Missing -text option!")], 127, processes, 5);
  return daemon({
    processes,
    listens: [tcp(port)],
    startup: [err(`${goLogTime(ctx.now)} [INFO] server is listening on ${listen}`)],
    data: { listen, text, version: ctx.image.version },
    onSignal: httpEchoSignal,
    bindFailed: httpEchoBindFailed,
    serve: serveHttpEcho,
  });
}
