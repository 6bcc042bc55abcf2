/**
 * `curl`: HTTP and HTTPS through the packet walker from the shell's network namespace (a
 * node, the client host, a pod after `kubectl exec`). The version is the machine's (7.81.0 on
 * the Ubuntu nodes, 8.11.1 in Alpine images such as curlimages/curl); see transfer.ts for what
 * it does and prints. Virtual time advances by the transfer's duration, so a timeout takes
 * its time in the cluster too.
 *
 * @example
 * curl -s http://10.96.0.12/          # nginx's welcome page
 * curl -sS -m 2 http://10.96.0.12:81  # curl: (7) Failed to connect to 10.96.0.12 port 81 after 0 ms: Connection refused
 */
import type { Command } from "../../../shell";
import { currentNet } from "../context";
import { runCurl } from "./transfer";

export { runCurl, type CurlEnv, type CurlRun } from "./transfer";

export const curlCommand: Command = {
  name: "curl",
  summary: "transfer a URL",
  usage: "curl [options...] <url>",
  description: "Transfers data from a server over HTTP or HTTPS, through this machine's network namespace.",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "curl: (7) Couldn't connect to server: this location has no network namespace\n", exitCode: 7 };
    const run = runCurl(args.argv, {
      network: here.network,
      stack: here.stack,
      fs: ctx.fs,
      resolvePath: (p) => ctx.resolve(p),
      now: ctx.clock.now(),
      stdoutIsTerminal: ctx.terminal.isTerminal,
    });
    ctx.clock.advance(Math.ceil(run.elapsedMs));
    const stdout = run.chunks.filter((c) => c.fd === 1).map((c) => c.text).join("");
    const stderr = run.chunks.filter((c) => c.fd === 2).map((c) => c.text).join("");
    return { stdout, stderr, exitCode: run.exitCode, chunks: run.chunks };
  },
};
