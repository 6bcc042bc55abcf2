/**
 * The official PostgreSQL and MySQL images. Both refuse to initialise a database without a
 * password in the environment (exit 1 with their entrypoint's message, then CrashLoopBackOff),
 * and both write their data directory, so a volume that survives a restart skips initdb.
 *
 * @example
 * postgresProgram(ctx); // without POSTGRES_PASSWORD: "Error: Database is uninitialized and superuser password is not specified." exit 1
 */
import { utcParts } from "../format";
import { daemon, err, lines, oneShot, proc, tcp, type BindFailure, type Listen, type LogLine, type ProgramContext, type ProgramRun, type SignalReply } from "./kit";

const POSTGRES_NO_PASSWORD = `Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html`;

const INITDB = `The files belonging to this database system will be owned by user "postgres".
This user must also own the server process.

The database cluster will be initialized with locale "en_US.utf8".
The default database encoding has accordingly been set to "UTF8".
The default text search configuration will be set to "english".

Data page checksums are disabled.

fixing permissions on existing directory {PGDATA} ... ok
creating subdirectories ... ok
selecting dynamic shared memory implementation ... posix
selecting default "max_connections" ... 100
selecting default "shared_buffers" ... 128MB
selecting default time zone ... Etc/UTC
creating configuration files ... ok
running bootstrap script ... ok
performing post-bootstrap initialization ... ok
syncing data to disk ... ok


Success. You can now start the database server using:

    pg_ctl -D {PGDATA} -l logfile start
`;

/** postgres's log prefix: `2026-01-12 09:00:03.123 UTC [1] LOG:  `. */
function pgLog(ms: number, pid: number, text: string): LogLine {
  const t = utcParts(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return err(`${t.year}-${two(t.month + 1)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}.${String(t.millis).padStart(3, "0")} UTC [${pid}] ${text}`);
}

const postgresSignal = (_starting: string, _s: unknown, now: number): SignalReply => ({
  afterMs: 150,
  exitCode: 0,
  output: [
    pgLog(now, 1, "LOG:  received fast shutdown request"),
    pgLog(now, 1, "LOG:  aborting any active transactions"),
    pgLog(now, 1, "LOG:  shutting down"),
    pgLog(now + 100, 1, "LOG:  database system is shut down"),
  ],
});

/** `starting` is the server's first log line (its version). */
const postgresBindFailed = (starting: string, listen: Listen, now: number): BindFailure => ({
  output: [
    pgLog(now, 1, starting),
    pgLog(now, 1, 'LOG:  could not bind IPv4 address "0.0.0.0": Address already in use'),
    pgLog(now, 1, `HINT:  Is another postmaster already running on port ${listen.port}? If not, wait a few seconds and retry.`),
    pgLog(now, 1, "FATAL:  could not create any TCP/IP sockets"),
    pgLog(now, 1, "LOG:  database system is shut down"),
  ],
  exitCode: 1,
});

/** `postgres` via docker-entrypoint.sh: initdb on first start, then the server on 5432. */
export function postgresProgram(ctx: ProgramContext): ProgramRun {
  const pgdata = ctx.env.PGDATA ?? "/var/lib/postgresql/data";
  const initialised = ctx.fs.exists(`${pgdata}/PG_VERSION`);
  const processes = [proc("postgres", 999, 219_000, 29_000, "Ss")];
  if (!initialised && !ctx.env.POSTGRES_PASSWORD && ctx.env.POSTGRES_HOST_AUTH_METHOD !== "trust") {
    return oneShot(lines("stderr", POSTGRES_NO_PASSWORD), 1, processes, 60);
  }
  const version = `${ctx.image.version} (Debian ${ctx.env.PG_VERSION ?? ctx.image.version})`;
  const starting = `LOG:  starting PostgreSQL ${version} on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`;
  const t = ctx.now;
  const output: LogLine[] = [];
  if (initialised) {
    output.push(err(""), err("PostgreSQL Database directory appears to contain a database; Skipping initialization"), err(""));
  } else {
    ctx.fs.mkdirp(pgdata);
    ctx.fs.writeFile(`${pgdata}/PG_VERSION`, `${ctx.image.version.split(".")[0]}\n`);
    output.push(...lines("stdout", INITDB.replaceAll("{PGDATA}", pgdata)));
    output.push(err("initdb: warning: enabling \"trust\" authentication for local connections"));
    output.push(err("initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb."));
    output.push(pgLog(t + 900, 48, starting), pgLog(t + 900, 48, 'LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'));
    output.push(pgLog(t + 950, 48, "LOG:  database system is ready to accept connections"), err(""), err("/usr/local/bin/docker-entrypoint.sh: ignoring /docker-entrypoint-initdb.d/*"), err(""));
    output.push(pgLog(t + 1000, 48, "LOG:  received fast shutdown request"), pgLog(t + 1050, 48, "LOG:  database system is shut down"), err(""));
    output.push(err("PostgreSQL init process complete; ready for start up."), err(""));
  }
  output.push(
    pgLog(t + 1200, 1, starting),
    pgLog(t + 1200, 1, 'LOG:  listening on IPv4 address "0.0.0.0", port 5432'),
    pgLog(t + 1200, 1, 'LOG:  listening on IPv6 address "::", port 5432'),
    pgLog(t + 1210, 1, 'LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'),
    pgLog(t + 1250, 1, "LOG:  database system is ready to accept connections"),
  );
  const children = ["checkpointer ", "background writer ", "walwriter ", "autovacuum launcher ", "logical replication launcher "];
  return daemon({
    processes: [...processes, ...children.map((c) => proc(`postgres: ${c}`, 999, 219_000, 6_000))],
    listens: [tcp(5432)],
    startup: output,
    data: starting,
    onSignal: postgresSignal,
    bindFailed: postgresBindFailed,
  });
}

/** What mysqld's handlers need: the entrypoint's opening lines, the start time (ISO) and version. */
interface Mysql {
  head: LogLine[];
  iso: string;
  version: string;
}

const mysqlServer = (iso: string, code: string, text: string) => err(`${iso} 0 [System] [${code}] [Server] ${text}`);

const mysqlSignal = ({ iso, version }: Mysql): SignalReply => ({
  afterMs: 800, exitCode: 0, output: [mysqlServer(iso, "MY-013172", `Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: ${version}).`)],
});

const mysqlBindFailed = ({ head, iso }: Mysql, listen: Listen): BindFailure => ({
  output: [...head, err(`${iso} 0 [ERROR] [MY-010262] [Server] Can't start server: Bind on TCP/IP port: Address already in use`), err(`${iso} 0 [ERROR] [MY-010257] [Server] Do you already have another mysqld server running on port: ${listen.port} ?`), err(`${iso} 0 [ERROR] [MY-010119] [Server] Aborting`)],
  exitCode: 1,
});

/** `mysqld` via docker-entrypoint.sh: needs a root password option, serves 3306 and 33060. */
export function mysqlProgram(ctx: ProgramContext): ProgramRun {
  const two = (n: number) => String(n).padStart(2, "0");
  const t = utcParts(ctx.now);
  const entry = `${t.year}-${two(t.month + 1)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}+00:00`;
  const note = (text: string) => err(`${entry} [Note] [Entrypoint]: ${text}`);
  const release = ctx.env.MYSQL_VERSION ?? ctx.image.version;
  const processes = [proc("mysqld", 999, 2_480_000, 412_000, "Ssl", 0.6)];
  const head = [note(`Entrypoint script for MySQL Server ${release} started.`), note("Switching to dedicated user 'mysql'"), note(`Entrypoint script for MySQL Server ${release} started.`)];
  const initialised = ctx.fs.exists("/var/lib/mysql/mysql.ibd");
  if (!initialised && !ctx.env.MYSQL_ROOT_PASSWORD && !ctx.env.MYSQL_ALLOW_EMPTY_PASSWORD && !ctx.env.MYSQL_RANDOM_ROOT_PASSWORD) {
    const why = lines("stderr", `${entry} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD`);
    return oneShot([...head, ...why], 1, processes, 300);
  }
  ctx.fs.mkdirp("/var/lib/mysql");
  ctx.fs.writeFile("/var/lib/mysql/mysql.ibd", "");
  const iso = new Date(ctx.now).toISOString().replace("Z", "000Z");
  const server = (code: string, text: string) => mysqlServer(iso, code, text);
  return daemon({
    processes,
    listens: [tcp(3306, "::"), tcp(33060, "::")],
    startup: [
      ...head,
      ...(initialised ? [] : [note("Initializing database files"), note("Database files initialized"), note("Starting temporary server"), note("Temporary server started."), note("Stopping temporary server"), note("Temporary server stopped"), err(""), note("MySQL init process done. Ready for start up."), err("")]),
      server("MY-015015", "MySQL Server - start."),
      server("MY-010116", `/usr/sbin/mysqld (mysqld ${ctx.image.version}) starting as process 1`),
      server("MY-011323", "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock"),
      server("MY-010931", `/usr/sbin/mysqld: ready for connections. Version: '${ctx.image.version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`),
    ],
    data: { head, iso, version: ctx.image.version },
    onSignal: mysqlSignal,
    bindFailed: mysqlBindFailed,
  });
}
