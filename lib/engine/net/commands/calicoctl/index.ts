/**
 * `calicoctl` v3.29.1 (the release the cluster's Calico runs, so no version-mismatch check
 * fails) on the Kubernetes datastore: `get ippool|node|workloadendpoint|networkpolicy` (`-o wide`, `-n`,
 * `-A`), `node status` (the local BIRD's BGP peers; root only) and `ipam show`
 * (`--show-blocks`, `--ip=`). The datastore comes from `DATASTORE_TYPE`/`KUBECONFIG` or
 * `/etc/calico/calicoctl.cfg`, which the Calico labs write on every node. Calico's state is the
 * cluster network's (`network.calico`); on a cluster without Calico its custom resources do not
 * exist, though `get nodes` still lists the Kubernetes Nodes, as KDD maps them.
 *
 * @example
 * calicoctl get ippool -o wide
 * calicoctl node status
 * calicoctl ipam show --show-blocks
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { currentNet } from "../context";
import { getResources, kindOf } from "./get";
import { ipamShow, nodeStatus } from "./status";

const USAGE = `Usage:
  calicoctl [options] <command> [<args>...]

    create       Create a resource by file, directory or stdin.
    replace      Replace a resource by file, directory or stdin.
    apply        Apply a resource by file, directory or stdin.  This creates a resource
                 if it does not exist, and replaces a resource if it does exists.
    patch        Patch a pre-exisiting resource in place.
    delete       Delete a resource identified by file, directory, stdin or resource type and
                 name.
    get          Get a resource identified by file, directory, stdin or resource type and
                 name.
    label        Add or update labels of resources.
    convert      Convert config files between different API versions.
    ipam         IP address management.
    node         Calico node management.
    version      Display the version of this binary.
    datastore    Calico datastore management.

Options:
  -h --help                    Show this screen.
  -l --log-level=<level>       Set the log level (one of panic, fatal, error,
                               warn, info, debug) [default: panic]
     --context=<context>       The name of the kubeconfig context to use.
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  The calicoctl command line tool is used to manage Calico network and security
  policy, to view and manage endpoint configuration, and to manage a Calico
  node instance.

  See 'calicoctl <command> --help' to read about a specific subcommand.
`;

const SIMULATED = ["get", "ipam", "node"];

const ok = (stdout: string, exitCode = 0): CommandResult => ({ stdout, stderr: "", exitCode });
const fail = (text: string): CommandResult => ({ stdout: "", stderr: text.endsWith("\n") ? text : `${text}\n`, exitCode: 1 });
const invalid = (argv: readonly string[]) => fail(`Invalid option: 'calicoctl ${argv.join(" ")}'. Use flag '--help' to read about a specific subcommand.`);

/** Splits `--name=value`, `--name value` and `-x value` options from operands. */
function options(words: readonly string[], withValue: ReadonlySet<string>): { opts: Map<string, string>; operands: string[]; bad?: string } {
  const opts = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith("-") || w === "-") {
      operands.push(w);
      continue;
    }
    const eq = w.indexOf("=");
    const name = eq >= 0 ? w.slice(0, eq) : w;
    if (!withValue.has(name)) {
      if (eq >= 0) return { opts, operands, bad: w };
      opts.set(name, "");
      continue;
    }
    const value = eq >= 0 ? w.slice(eq + 1) : words[++i];
    if (value === undefined) return { opts, operands, bad: w };
    opts.set(name, value);
  }
  return { opts, operands };
}

/** The datastore calicoctl would talk to, or why it cannot. */
function datastore(ctx: CommandContext, config?: string): { ok: true } | { error: string } {
  let type = ctx.env.get("DATASTORE_TYPE") ?? "";
  let kubeconfig = ctx.env.get("KUBECONFIG") ?? "";
  const file = config ?? "/etc/calico/calicoctl.cfg";
  if (!type && ctx.fs.isFile(file)) {
    const text = ctx.fs.readFile(file);
    type = /datastoreType:\s*"?([\w-]+)"?/.exec(text)?.[1] ?? "";
    kubeconfig = /kubeconfig:\s*"?([^"\n]+)"?/.exec(text)?.[1]?.trim() ?? kubeconfig;
  } else if (config !== undefined && !ctx.fs.isFile(file)) {
    return { error: `Failed to create Calico API client: open ${file}: no such file or directory` };
  }
  if (type !== "kubernetes") return { error: "Failed to create Calico API client: no Calico datastore configured: set DATASTORE_TYPE=kubernetes and KUBECONFIG, or write /etc/calico/calicoctl.cfg" };
  if (!kubeconfig || !ctx.fs.isFile(kubeconfig)) return { error: `Failed to create Calico API client: stat ${kubeconfig || "/root/.kube/config"}: no such file or directory` };
  return { ok: true };
}

function runCalicoctl(argv: readonly string[], ctx: CommandContext): CommandResult {
  const global = options(argv, new Set(["-l", "--log-level", "--context"]));
  const [command, ...rest] = global.operands;
  if (global.opts.has("-h") || global.opts.has("--help")) return ok(USAGE);
  if (!command) return ok(USAGE, 1);
  if (!SIMULATED.includes(command)) {
    if (USAGE.includes(`    ${command} `)) return fail(`calicoctl ${command}: not simulated here (calicoctl get, node status and ipam show are)`);
    return fail(`Unknown command: "${command}"`);
  }
  const net = currentNet(ctx);
  const calico = net?.network.calico;
  const words = argv.slice(argv.indexOf(command) + 1);
  if (command === "node") {
    if (rest[0] !== "status" || words.length !== 1) return words.length === 0 ? invalid(argv) : fail(`calicoctl node ${rest[0] ?? ""}: not simulated here (calicoctl node status is)`);
    if (ctx.host.uid !== 0) return fail("This command must be run as root.");
    const out = nodeStatus(calico, net?.stack.host ?? ctx.host.name, ctx.clock.now());
    return ok(out.stdout, out.exitCode);
  }
  if (command === "ipam") {
    const parsed = options(words, new Set(["--ip", "-c", "--config"]));
    if (parsed.bad || parsed.operands[0] !== "show" || parsed.operands.length !== 1) return parsed.operands[0] && parsed.operands[0] !== "show" && !parsed.bad ? fail(`calicoctl ipam ${parsed.operands[0]}: not simulated here (calicoctl ipam show is)`) : invalid(argv);
    const store = datastore(ctx, parsed.opts.get("-c") ?? parsed.opts.get("--config"));
    if ("error" in store) return fail(store.error);
    if (!calico?.installed) return fail("the server could not find the requested resource (get IPAMBlocks.crd.projectcalico.org)");
    const out = ipamShow(calico, { showBlocks: parsed.opts.has("--show-blocks"), ip: parsed.opts.get("--ip") });
    return ok(out.stdout, out.exitCode);
  }
  const parsed = options(words, new Set(["-o", "--output", "-n", "--namespace", "-c", "--config"]));
  const known = new Set(["-o", "--output", "-n", "--namespace", "-c", "--config", "-A", "--all-namespaces", "--allow-version-mismatch", "--export"]);
  if (parsed.bad || [...parsed.opts.keys()].some((k) => !known.has(k)) || parsed.operands.length === 0) return invalid(argv);
  const output = parsed.opts.get("-o") ?? parsed.opts.get("--output") ?? "ps";
  if (output !== "ps" && output !== "wide") return fail(`calicoctl get -o ${output}: not simulated here (the ps and wide tables are)`);
  const kind = kindOf(parsed.operands[0]);
  if (!kind) return fail(`Failed to get resources: resource type '${parsed.operands[0]}' is not supported`);
  const store = datastore(ctx, parsed.opts.get("-c") ?? parsed.opts.get("--config"));
  if ("error" in store) return fail(store.error);
  if (!calico) return fail("Failed to get resources: the server could not find the requested resource");
  if (!calico.installed && kind !== "Node") return fail(`Failed to get resources: the server could not find the requested resource (get ${kind === "IPPool" ? "IPPools" : kind === "NetworkPolicy" ? "NetworkPolicies" : "WorkloadEndpoints"}.crd.projectcalico.org)`);
  const names = parsed.operands.slice(1);
  const base = { kind, wide: output === "wide", namespace: parsed.opts.get("-n") ?? parsed.opts.get("--namespace") ?? "default", allNamespaces: parsed.opts.has("-A") || parsed.opts.has("--all-namespaces") };
  if (names.length === 0) {
    const out = getResources(calico, base);
    return "error" in out ? fail(out.error) : ok(out.text);
  }
  let text = "";
  for (const name of names) {
    const out = getResources(calico, { ...base, name });
    if ("error" in out) return { stdout: text, stderr: `${out.error}\n`, exitCode: 1 };
    text += text ? out.text.slice(out.text.indexOf("\n") + 1) : out.text;
  }
  return ok(text);
}

export const calicoctlCommand: Command = {
  name: "calicoctl",
  summary: "manage Calico network and security policy",
  usage: "calicoctl [options] <command> [<args>...]",
  path: "/usr/local/bin/calicoctl",
  spec: { flags: [], raw: true },
  run: (args, ctx) => runCalicoctl(args.operands, ctx),
  complete: (words) => (words.length === 0 ? ["get", "ipam", "node"] : words[0] === "get" && words.length === 1 ? ["ippool", "networkpolicy", "node", "workloadendpoint"] : undefined),
};
