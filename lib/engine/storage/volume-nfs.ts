/**
 * The NFS server people run inside a cluster: `registry.k8s.io/volume-nfs:0.8`, the image of
 * the upstream example (kubernetes/examples, staging/volumes/nfs), a CentOS 7 with nfs-utils
 * whose PID 1 is `/usr/local/bin/run_nfs.sh /exports /`. For each directory it is given the
 * script appends `DIR *(rw,fsid=0,insecure,no_root_squash)` to /etc/exports and copies the
 * image's index.html there, starts rpcbind (111), rpc.mountd (20048), `exportfs -r`, the
 * kernel's nfsd (2049) and rpc.statd, prints "NFS started" and sleeps; SIGTERM runs its trap
 * (`rpc.nfsd 0`, `exportfs -au`, "Stopping NFS", exit 0).
 *
 * The exports are the container's own files: /exports is whatever volume the pod mounts there
 * (an emptyDir, a claim), so what clients write lands in that volume. The first `fsid=0` export
 * (/exports) is NFSv4's root: clients mount `SERVICE-IP:/`. The container must be privileged
 * for nfsd in a real cluster; the example's manifest says so and the lab does not check it.
 *
 * @example
 * volumeNfsProgram(ctx, ["/exports", "/"]).step(now).output; // Serving /exports, Serving /, …, NFS started
 */
import type { FileSystem } from "../shell";
import { err, out, proc, tcp, udp, type BindFailure, type Listen, type ProcSpec, type ProgramContext, type ProgramRun, type SignalReply, type Step } from "../node/programs/kit";
import type { ExportEntry } from "./exports";
import { reloadExports, type NfsExporter } from "./exporter";
import { MOUNTD_PORT, NFS_PORT, RPCBIND_PORT } from "./server";

/** The image's entry script (its basename is how a container's argv picks this program). */
export const RUN_NFS_SCRIPT = "/usr/local/bin/run_nfs.sh";

/** The options the script exports every directory with (fsid=0: NFSv4's root). */
const EXPORT_OPTIONS = "*(rw,fsid=0,insecure,no_root_squash)";

export class VolumeNfsServer implements ProgramRun, NfsExporter {
  table: ExportEntry[] = [];
  readonly listens: readonly Listen[] = [tcp(RPCBIND_PORT), udp(RPCBIND_PORT), tcp(MOUNTD_PORT), tcp(NFS_PORT)];
  readonly processes: readonly ProcSpec[];
  private started = false;

  constructor(
    readonly fs: FileSystem,
    private readonly dirs: readonly string[],
  ) {
    // CentOS 7's ids: rpc is 32, rpcuser 29; the loop's `sleep 5` is always there to see.
    this.processes = [
      proc(`/bin/bash ${RUN_NFS_SCRIPT} ${dirs.join(" ")}`.trim(), 0, 11_636, 1_476),
      proc("/usr/sbin/rpcbind -w", 32, 64_904, 1_412),
      proc("/usr/sbin/rpc.mountd -N 2 -V 3", 0, 47_996, 4_096),
      proc("/usr/sbin/rpc.statd --no-notify", 29, 50_800, 7_992),
      proc("sleep 5", 0, 4_312, 356, "S"),
    ];
  }

  step(): Step {
    if (this.started) return { output: [] };
    this.started = true;
    const output = [];
    for (const dir of this.dirs) {
      this.fs.appendFile("/etc/exports", `${dir} ${EXPORT_OPTIONS}\n`);
      this.fs.writeFile(`${dir === "/" ? "" : dir}/index.html`, this.fs.readFile("/tmp/index.html"), { mode: 0o644 });
      output.push(out(`Serving ${dir}`));
    }
    // `rpcinfo 127.0.0.1 > /dev/null` finds no rpcbind yet: its complaint reaches the log.
    output.push(err("rpcinfo: can't contact rpcbind: RPC: Remote system error - Connection refused"), out("Starting rpcbind"));
    output.push(...this.reexport().map(err), out("NFS started"));
    return { output };
  }

  /** `exportfs -r`: the table becomes what the container's /etc/exports says. */
  reexport(): string[] {
    return reloadExports(this);
  }

  /** The script's `trap stop TERM`: nfsd stops, everything is unexported, /etc/exports emptied. */
  signal(signal: string): SignalReply {
    if (signal !== "SIGTERM") return undefined;
    this.table = [];
    this.fs.writeFile("/etc/exports", "\n");
    return { afterMs: 100, exitCode: 0, output: [out("Stopping NFS")] };
  }

  /** A second NFS server in one pod: the lab stops it at once (the real script would limp on without its daemons). */
  bindFailed(): BindFailure {
    return { output: [], exitCode: 1 };
  }
}

/** `run_nfs.sh DIR…`: the server over the container's file system. */
export function volumeNfsProgram(ctx: ProgramContext, dirs: readonly string[]): ProgramRun {
  return new VolumeNfsServer(ctx.fs, dirs);
}
