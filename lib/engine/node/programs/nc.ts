/**
 * A container whose PID 1 is netcat listening (`nc -lk -p 8080`, busybox's `nc -l -p 8080 -e
 * cat`, openbsd's `nc -lk 8080`, `-u` for UDP): it binds the port, writes what each client
 * sends to its stdout (so `kubectl logs` shows it), and answers only when `-e cat` echoes the
 * bytes back; otherwise the client's connection stays open until the client gives up, as
 * with a real listener nobody types into. Every connection is served as `-k` would.
 *
 * @example
 * ncListenProgram(ctx, ["-lk", "-p", "8080"]); // listens on 8080/TCP
 */
import type { AppRequest } from "../../net/app";
import { daemon, err, oneShot, out, proc, tcp, udp, type ProgramContext, type ProgramRun, type Served } from "./kit";

/** What the listener needs to answer: whether `-e cat` echoes. */
interface Listener {
  echo: boolean;
}

function serveListener({ echo }: Listener, request: AppRequest): Served {
  const lines = request.data.replace(/\n$/, "").split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
  return { reply: echo ? { kind: "data", data: request.data, close: false } : { kind: "silent" }, log: lines.map((l) => out(l)) };
}

/** `nc` as a container's command: listening, or (as a client) not simulated here. */
export function ncListenProgram(ctx: ProgramContext, args: readonly string[]): ProgramRun {
  const main = proc(`nc ${args.join(" ")}`.trim());
  let listen = false;
  let udpMode = false;
  let port: number | undefined;
  let exec: string | undefined;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("-")) {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === "l") listen = true;
      else if (f === "u") udpMode = true;
      else if (f === "p" || f === "e" || f === "w" || f === "q") {
        const value = a.slice(j + 1) || args[++i];
        if (f === "p") port = Number(value);
        if (f === "e") exec = value;
        break;
      }
    }
  }
  if (port === undefined && operands.length > 0) port = Number(operands[operands.length - 1]);
  if (!listen) return oneShot([err("nc: a container's nc connecting out is not simulated in this lab; run it from a shell (kubectl exec … -- nc HOST PORT)")], 1, [main], 5);
  if (port === undefined || !Number.isInteger(port) || port <= 0 || port > 65535) return oneShot([err("nc: missing port number")], 1, [main], 5);
  const echo = exec !== undefined && /(^|\/)cat$/.test(exec);
  if (exec !== undefined && !echo) return oneShot([err(`nc: -e ${exec}: only -e cat (an echo server) is simulated in this lab`)], 1, [main], 5);
  return daemon({ processes: [main], listens: [udpMode ? udp(port) : tcp(port)], startup: [], data: { echo }, serve: serveListener });
}
