/**
 * `kubectl config set-credentials`: creates or modifies a user stanza (`setCredentialsOptions`):
 * client certificate and key (paths made absolute, or embedded with `--embed-certs`), a bearer
 * token or basic auth (setting one clears the other), an auth provider with its arguments, an
 * exec credential plugin.
 *
 * @example
 * kubectl config set-credentials alice --token=abc123   // User "alice" set.
 */
import { encodeBase64 } from "../../../../util/base64";
import { KubectlError } from "../../../errors";
import { renderVerbHelp } from "../../../help";
import type { KubectlArgs, KubectlVerb } from "../../../types";
import { type Stanza, cloneConfig, dropFields, normalizeStanza } from "./model";
import { configRun, goList } from "./shared";
import { SET_CREDENTIALS_HELP } from "./set-credentials-help";

/** `cmdutil.ParsePairs`: `key=value` sets, `key-` removes. */
function pairs(values: readonly string[], flag: string): { set: [string, string][]; remove: string[] } {
  const set: [string, string][] = [];
  const remove: string[] = [];
  for (const value of values) {
    if (value.endsWith("-") && !value.includes("=")) remove.push(value.slice(0, -1));
    else if (value.includes("=") && !value.startsWith("=")) set.push([value.slice(0, value.indexOf("=")), value.slice(value.indexOf("=") + 1)]);
    else throw new KubectlError(`invalid ${flag}: ${value}`);
  }
  return { set, remove };
}

/** The auth-provider and exec parts of `modifyAuthInfo`. */
function plugins(user: Stanza, args: KubectlArgs): void {
  if (args.has("auth-provider")) {
    const name = args.string("auth-provider");
    const provider = user["auth-provider"] as { name?: string } | undefined;
    if (!provider || provider.name !== name) user["auth-provider"] = { name };
  }
  const provider = user["auth-provider"] as { name?: string; config?: Record<string, string> } | undefined;
  if (provider) {
    const { set, remove } = pairs(args.strings("auth-provider-arg"), "auth-provider-arg");
    const config = { ...provider.config };
    for (const key of remove) delete config[key];
    for (const [key, value] of set) config[key] = value;
    user["auth-provider"] = { ...provider, config };
  }
  if (args.has("exec-command")) {
    const exec = user.exec as Record<string, unknown> | undefined;
    user.exec = exec ? { ...exec, command: args.string("exec-command"), args: undefined } : { command: args.string("exec-command") };
  }
  const exec = user.exec as { apiVersion?: string; args?: string[]; env?: { name: string; value: string }[]; [k: string]: unknown } | undefined;
  if (!exec) return;
  if (args.has("exec-api-version")) exec.apiVersion = args.string("exec-api-version");
  if (args.strings("exec-arg").length > 0) exec.args = [...args.strings("exec-arg")];
  const { set, remove } = pairs(args.strings("exec-env"), "exec-env");
  let env = (exec.env ?? []).filter((e) => !remove.includes(e.name));
  for (const [name, value] of set) {
    const found = env.find((e) => e.name === name);
    if (found) env = env.map((e) => (e.name === name ? { name, value } : e));
    else env = [...env, { name, value }];
  }
  if (env.length > 0 || remove.length > 0) exec.env = env;
  if (args.has("exec-interactive-mode")) exec.interactiveMode = args.string("exec-interactive-mode");
  if (args.has("exec-provide-cluster-info")) exec.provideClusterInfo = args.bool("exec-provide-cluster-info");
}

/** `kubectl config set-credentials`. */
export const configSetCredentialsVerb: KubectlVerb = {
  name: "set-credentials",
  short: "Set a user entry in kubeconfig",
  ...SET_CREDENTIALS_HELP,
  run: configRun(["config", "set-credentials"], () => configSetCredentialsVerb, (out, args, files, ctx) => {
    if (args.operands.length !== 1) {
      out.out(renderVerbHelp(["config", "set-credentials"], configSetCredentialsVerb));
      throw new KubectlError(`unexpected args: ${goList(args.operands)}`);
    }
    const name = args.operands[0];
    const token = args.string("token") ?? "";
    const basic = (args.string("username") ?? "") !== "" || (args.string("password") ?? "") !== "";
    if (name === "") throw new KubectlError("you must specify a non-empty user name");
    if (token !== "" && basic) throw new KubectlError("you cannot specify more than one authentication method at the same time: --token, --username/--password");
    const embed = args.bool("embed-certs");
    const certFiles = [["client-certificate", args.string("client-certificate") ?? ""], ["client-key", args.string("client-key") ?? ""]] as const;
    if (embed) {
      if (certFiles.every(([, p]) => p === "")) throw new KubectlError("you must specify a --client-certificate or --client-key to embed");
      for (const [flag, path] of certFiles) {
        if (path !== "" && !ctx.shell.fs.exists(ctx.shell.resolve(path))) throw new KubectlError(`could not stat ${flag} file ${path}: stat ${path}: no such file or directory`);
      }
    }
    const next = cloneConfig(files.merged);
    const user: Stanza = { ...next.users.get(name) };
    for (const [flag, path] of certFiles) {
      if (!args.has(flag)) continue;
      if (embed) {
        user[`${flag}-data`] = encodeBase64(ctx.shell.fs.readFile(ctx.shell.resolve(path)));
        delete user[flag];
      } else {
        user[flag] = path === "" ? "" : ctx.shell.resolve(path);
        if (path !== "") delete user[`${flag}-data`];
      }
    }
    let setToken = false;
    let setBasic = false;
    if (args.has("token")) {
      user.token = token;
      setToken = token !== "";
    }
    for (const field of ["username", "password"]) {
      if (!args.has(field)) continue;
      user[field] = args.string(field);
      setBasic ||= (args.string(field) ?? "") !== "";
    }
    plugins(user, args);
    // Setting one kind of credential clears the other.
    if (setToken && !setBasic) dropFields(user, "username", "password");
    if (setBasic && !setToken) dropFields(user, "token");
    next.users.set(name, normalizeStanza("users", user));
    files.save(next);
    out.out(`User "${name}" set.\n`);
    return 0;
  }),
};
