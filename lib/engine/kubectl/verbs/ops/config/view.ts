/**
 * `kubectl config view`: the merged kubeconfig (or with `--merge=false` only the explicit
 * file), optionally minified to the current context (`--context` picks another), flattened,
 * and unless `--raw`/`--flatten` with certificate data as `DATA+OMITTED` and secrets as
 * `REDACTED`. Relative file references are shown resolved against the file they came from.
 *
 * @example
 * kubectl config view --minify -o jsonpath='{..namespace}'
 */
import { encodeBase64 } from "../../../../util/base64";
import { KubectlError, usageError } from "../../../errors";
import { printFlags } from "../../../flags";
import type { KubectlContext, KubectlVerb } from "../../../types";
import { outputFormat, printObject } from "../common/print";
import type { KubeconfigFiles } from "./files";
import { type ConfigModel, PATH_FIELDS, SECTIONS, type Section, cloneConfig, encodeConfig, minifyConfig, redactConfig } from "./model";
import { configRun, goList } from "./shared";

const FLATTENED: Record<string, string> = {
  "certificate-authority": "certificate-authority-data",
  "client-certificate": "client-certificate-data",
  "client-key": "client-key-data",
};

/** Relative paths resolved against the directory of the file that holds them (`ResolveLocalPaths`). */
function resolvePaths(model: ConfigModel, files: KubeconfigFiles): ConfigModel {
  const copy = cloneConfig(model);
  for (const section of Object.keys(SECTIONS) as Section[]) {
    for (const [name, stanza] of copy[section]) {
      const origin = files.originOf(section, name);
      const dir = origin.slice(0, origin.lastIndexOf("/")) || "/";
      for (const field of PATH_FIELDS[section]) {
        const value = stanza[field];
        if (typeof value === "string" && value !== "" && !value.startsWith("/")) stanza[field] = `${dir}/${value}`;
      }
    }
  }
  return copy;
}

/** `FlattenConfig`: file references replaced by their contents, base64-encoded. */
function flatten(model: ConfigModel, ctx: KubectlContext): ConfigModel {
  const copy = cloneConfig(model);
  for (const section of ["clusters", "users"] as const) {
    for (const stanza of copy[section].values()) {
      for (const [field, dataField] of Object.entries(FLATTENED)) {
        const path = stanza[field];
        if (typeof path !== "string" || path === "") continue;
        if (!ctx.shell.fs.exists(path)) throw new KubectlError(`open ${path}: no such file or directory`);
        stanza[dataField] = encodeBase64(ctx.shell.fs.readFile(path));
        delete stanza[field];
      }
    }
  }
  return copy;
}

/** `kubectl config view`. */
export const configViewVerb: KubectlVerb = {
  name: "view",
  short: "Display merged kubeconfig settings or a specified kubeconfig file",
  long:
    "Display merged kubeconfig settings or a specified kubeconfig file.\n\n You can use --output jsonpath={...} to extract specific values using a jsonpath expression.",
  examples:
    "  # Show merged kubeconfig settings\n  kubectl config view\n  \n  # Show merged kubeconfig settings, raw certificate data, and exposed secrets\n  kubectl config view --raw\n  \n  # Get the password for the e2e user\n  kubectl config view -o jsonpath='{.users[?(@.name == \"e2e\")].user.password}'",
  usage: "kubectl config view [flags] [options]",
  flags: [
    ...printFlags().map((f) => (f.name === "output" ? { ...f, default: "yaml" } : f)),
    { name: "flatten", type: "bool", usage: "Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)" },
    { name: "merge", type: "bool", default: "true", usage: "Merge the full hierarchy of kubeconfig files" },
    { name: "minify", type: "bool", usage: "Remove all information not used by current-context from the output" },
    { name: "raw", type: "bool", usage: "Display raw byte data and sensitive data" },
  ],
  run: configRun(["config", "view"], () => configViewVerb, (out, args, files, ctx) => {
    if (args.operands.length > 0) throw usageError("kubectl config view", `unexpected arguments: ${goList(args.operands)}`);
    const format = outputFormat(args, "yaml")!;
    let model = resolvePaths(files.merged, files);
    if (args.bool("minify")) {
      const context = ctx.globals.string("context");
      if (context) model.currentContext = context;
      try {
        model = minifyConfig(model);
      } catch (error) {
        throw new KubectlError((error as Error).message);
      }
    }
    if (args.bool("flatten")) model = flatten(model, ctx);
    else if (!args.bool("raw")) model = redactConfig(model);
    // The v1 Config is a Go struct: JSON keeps its field order.
    out.out(printObject(encodeConfig(model), format, true));
    return 0;
  }),
};
