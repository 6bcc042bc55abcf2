/**
 * Where `kubectl config` reads and writes (`clientcmd.ClientConfigLoadingRules` plus
 * `ModifyConfig`): `--kubeconfig` alone, else every file in `$KUBECONFIG` merged (the first to
 * define a name or the current context wins), else `~/.kube/config`. A change to a stanza is
 * written back to the file it came from; a new stanza goes to the default file (the explicit
 * one, else the first existing file of `$KUBECONFIG`, else its last, else `~/.kube/config`).
 * Files are rewritten whole, as kubectl rewrites them, with mode 0600.
 *
 * @example
 * const files = KubeconfigFiles.load(ctx);
 * const next = cloneConfig(files.merged);
 * next.currentContext = "dev";
 * files.save(next);
 */
import { parse } from "yaml";
import type { FileSystem } from "../../../../shell";
import { equalPlain } from "../../../../util/plain";
import { KubectlError } from "../../../errors";
import { goYAML } from "../../../printers";
import type { KubectlContext } from "../../../types";
import { type ConfigModel, SECTIONS, type Section, cloneConfig, decodeConfig, emptyConfig, encodeConfig } from "./model";

/** The loaded files and their merge. */
export class KubeconfigFiles {
  /** Every file that defines each stanza, for writing it back. */
  private readonly origins: Record<Section, Map<string, string>> = { clusters: new Map(), users: new Map(), contexts: new Map() };
  readonly merged: ConfigModel = emptyConfig();

  private constructor(
    private readonly fs: FileSystem,
    /** Loading precedence. */
    readonly paths: readonly string[],
    readonly explicit: boolean,
    private readonly files: ReadonlyMap<string, ConfigModel>,
  ) {
    for (const path of paths) {
      const model = files.get(path);
      if (!model) continue;
      if (this.merged.currentContext === "") this.merged.currentContext = model.currentContext;
      if (Object.keys(this.merged.preferences).length === 0) this.merged.preferences = { ...model.preferences };
      for (const section of Object.keys(SECTIONS) as Section[]) {
        for (const [name, stanza] of model[section]) {
          if (this.merged[section].has(name)) continue;
          this.merged[section].set(name, stanza);
          this.origins[section].set(name, path);
        }
      }
    }
  }

  /** Reads the files the invocation's flags and environment name. */
  static load(ctx: KubectlContext): KubeconfigFiles {
    const explicit = ctx.globals.string("kubeconfig") ?? "";
    const env = ctx.shell.env.get("KUBECONFIG") ?? "";
    const home = ctx.shell.env.get("HOME") ?? "/root";
    const paths = explicit !== ""
      ? [ctx.shell.resolve(explicit)]
      : env !== ""
        ? [...new Set(env.split(":").filter((p) => p !== "").map((p) => ctx.shell.resolve(p)))]
        : [`${home}/.kube/config`];
    const files = new Map<string, ConfigModel>();
    for (const path of paths) {
      if (!ctx.shell.fs.exists(path) || ctx.shell.fs.isDirectory(path)) continue;
      let doc: unknown;
      try {
        doc = parse(ctx.shell.fs.readFile(path));
      } catch (e) {
        throw new KubectlError(`error loading config file "${path}": yaml: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      }
      files.set(path, decodeConfig(doc));
    }
    return new KubeconfigFiles(ctx.shell.fs, paths, explicit !== "", files);
  }

  /** `GetDefaultFilename`: where new stanzas and a new current context go. */
  defaultFile(): string {
    if (this.explicit || this.paths.length === 1) return this.paths[0];
    return this.paths.find((p) => this.files.has(p)) ?? this.paths[this.paths.length - 1];
  }

  /** The file a stanza was read from (for messages such as `deleted context x from /root/.kube/config`). */
  originOf(section: Section, name: string): string {
    return this.origins[section].get(name) ?? this.defaultFile();
  }

  /** `ModifyConfig`: writes every changed, new or removed stanza and the current context where each belongs. */
  save(next: ConfigModel): void {
    const pending = new Map<string, ConfigModel>();
    const fileModel = (path: string) => {
      let model = pending.get(path);
      if (!model) {
        model = cloneConfig(this.files.get(path) ?? emptyConfig());
        pending.set(path, model);
      }
      return model;
    };
    if (next.currentContext !== this.merged.currentContext) {
      // Clearing it clears the first file that sets it; setting it writes the default file.
      const target = next.currentContext === "" ? this.paths.find((p) => (this.files.get(p)?.currentContext ?? "") !== "") : this.defaultFile();
      if (target === undefined) throw new KubectlError("no config found to write context");
      fileModel(target).currentContext = next.currentContext;
    }
    for (const section of Object.keys(SECTIONS) as Section[]) {
      for (const [name, stanza] of next[section]) {
        const before = this.merged[section].get(name);
        if (before && equalPlain(before, stanza)) continue;
        fileModel(this.originOf(section, name))[section].set(name, stanza);
      }
      for (const name of this.merged[section].keys()) {
        if (!next[section].has(name)) fileModel(this.originOf(section, name))[section].delete(name);
      }
    }
    for (const [path, model] of pending) {
      const dir = path.slice(0, path.lastIndexOf("/")) || "/";
      if (!this.fs.exists(dir)) this.fs.mkdirp(dir);
      this.fs.writeFile(path, goYAML(encodeConfig(model)), { mode: 0o600 });
    }
  }
}
