/**
 * `kubectl version`: the client's build (kubectl v1.32.4 and its bundled kustomize), then the
 * apiserver's, which runs the scenario's Kubernetes version. `--client` skips the server; `-o
 * json|yaml` prints the `version.Info` records. Without a reachable apiserver the client part
 * is still printed before the connection error, as kubectl does.
 *
 * @example
 * kubectl version
 * // Client Version: v1.32.4
 * // Kustomize Version: v5.5.0
 * // Server Version: v1.32.4
 */
import { KubectlError } from "../../errors";
import { offlineResult, ServerUnreachableError } from "../../connection";
import { kubectlPid } from "../../klog";
import { goJSON, goYAML } from "../../printers";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";

const KUSTOMIZE = "v5.5.0";

/** `version.Info` of a v1.32.4 build (kubectl's own, as released). */
function buildInfo(gitVersion: string, buildDate: string) {
  const [major, minor] = gitVersion.replace(/^v/, "").split(".");
  return {
    major,
    minor,
    gitVersion,
    gitCommit: "59526cd4867447956156ae3a602fcbac10a2c335",
    gitTreeState: "clean",
    buildDate,
    goVersion: "go1.23.6",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

const CLIENT = buildInfo("v1.32.4", "2025-04-22T16:03:58Z");

function render(format: string, info: Record<string, unknown>): string {
  if (format === "json") return `${goJSON(info, { indent: "  ", typedOrder: true })}\n`;
  if (format === "yaml") return goYAML(info);
  const lines = [`Client Version: ${CLIENT.gitVersion}`, `Kustomize Version: ${KUSTOMIZE}`];
  const server = info.serverVersion as { gitVersion: string } | undefined;
  if (server) lines.push(`Server Version: ${server.gitVersion}`);
  return `${lines.join("\n")}\n`;
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  const format = args.string("output") ?? "";
  if (format !== "" && format !== "json" && format !== "yaml") {
    return { stdout: "", stderr: "error: --output must be 'yaml' or 'json'\n", exitCode: 1 };
  }
  const client = { clientVersion: CLIENT, kustomizeVersion: KUSTOMIZE };
  if (args.bool("client")) return { stdout: render(format, client), stderr: "", exitCode: 0 };
  let serverVersion: string;
  try {
    serverVersion = ctx.cluster.scenario.kubernetesVersion;
  } catch (error) {
    if (!(error instanceof ServerUnreachableError)) throw error;
    // kubectl prints what it knows, then fails on the server request (no discovery retries).
    const now = ctx.shell.clock.now();
    const failed = offlineResult(error.failure, { discovery: 0 }, { now, pid: kubectlPid(now), namespace: ctx.namespace });
    return { stdout: render(format, client), stderr: failed.stderr, exitCode: 1 };
  }
  // The apiserver image of the same release; its build ran minutes before kubectl's.
  const server = buildInfo(serverVersion, "2025-04-22T16:02:27Z");
  return { stdout: render(format, { ...client, serverVersion: server }), stderr: "", exitCode: 0 };
}

/** `kubectl version`. */
export const versionVerb: KubectlVerb = {
  name: "version",
  short: "Print the client and server version information",
  long: "Print the client and server version information for the current context.",
  examples: "  # Print the client and server versions for the current context\n  kubectl version",
  usage: "kubectl version [flags] [options]",
  flags: [
    { name: "client", type: "bool", usage: "If true, shows client version only (no server required)." },
    { name: "output", short: "o", type: "string", usage: "One of 'yaml' or 'json'." },
  ],
  offline: () => ({ discovery: 0 }),
  run: (args, ctx) => {
    if (args.operands.length > 0) throw new KubectlError(`extra arguments: [${args.operands.join(" ")}]`);
    return run(args, ctx);
  },
};
