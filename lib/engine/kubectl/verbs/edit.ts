/**
 * `kubectl edit`: writes the objects as YAML (`-o json`: JSON) under kubectl's header comment to
 * a temporary file, opens `$KUBE_EDITOR`, `$EDITOR` or `vi` on it (a full-screen program in the
 * terminal), then patches each object with what changed, as editoptions.go does: unchanged
 * files are `Edit cancelled, no changes made.`, an empty one `Edit cancelled, saved file was
 * empty.`, a syntax error or an invalid object reopens the editor with the failures listed at
 * the top, and an edited object prints `deployment.apps/web edited`.
 *
 * @example
 * await sh.run("kubectl edit deployment web");   // vi opens on /tmp/kubectl-edit-1234567890.yaml
 * await sh.input(":wq\r");                        // { result: { stderr: "Edit cancelled, no changes made.\n" } }
 */
import { ApiError, type KubeObject, qualifiedResource, resourceForObject, type ResourceInfo } from "../../api";
import { applyMergePatch } from "../../api/store/merge-patch";
import type { Output } from "../../shell";
import { fnv1a32 } from "../../util/hash";
import { clonePlain, equalPlain } from "../../util/plain";
import { completeResourceOperands } from "../complete";
import { KubectlError } from "../errors";
import { fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, saveConfigFlag, validateFlag } from "../flags";
import { withLastApplied } from "../last-applied";
import { nameLine, printFormatted, runVerb } from "../output";
import { fetchResources, fileTargets, parseResourceArgs } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { decodeJSON, decodeYAML, splitDocuments } from "../yaml-decode";

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  "# and an empty file will abort the edit. If an error occurs while saving this file will be\n" +
  "# reopened with the relevant failures.\n#\n";

const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

type Json = unknown;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Why the file is reopened: `head`, then `* other` lines (editoptions.go's editReason). */
interface Reason {
  head: string;
  other: string[];
}

/** The header with the reasons, each line of a reason commented (`hashOnLineBreak`). */
function header(reasons: readonly Reason[]): string {
  const hash = (s: string) => s.replace(/\n(?!#)/g, "\n# ");
  let out = HEADER;
  for (const r of reasons) {
    out += r.other.length > 0 ? `# ${hash(r.head)}:\n` : `# ${hash(r.head)}\n`;
    for (const o of r.other) out += `# * ${hash(o)}\n`;
    out += "#\n";
  }
  return out;
}

/** `cmdutil.ManualStrip`: drops comment lines (not `#!`). */
function manualStrip(text: string): string {
  const lines = text.split("\n");
  return lines.filter((line) => !(line.trim().startsWith("#") && !line.trim().startsWith("#!"))).join("\n");
}

/** `cmdutil.StripComments`: the file as JSON when it parses as YAML, else without comment lines. */
function stripComments(text: string): string {
  const decoded = decodeYAML(text);
  return decoded.ok ? JSON.stringify(decoded.value ?? null) : manualStrip(text);
}

/** `hasLines`: any line that is neither blank nor a comment. */
function hasLines(text: string): boolean {
  return text.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

/** `jsonpatch.CreateMergePatch(original, modified)`: what changed, `null` for what went away. */
function createMergePatch(original: Json, modified: Json): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const a = isObject(original) ? original : {};
  const b = isObject(modified) ? modified : {};
  for (const key of Object.keys(a)) if (!(key in b)) patch[key] = null;
  for (const [key, value] of Object.entries(b)) {
    if (!(key in a)) patch[key] = clonePlain(value);
    else if (!equalPlain(a[key], value)) {
      patch[key] = isObject(a[key]) && isObject(value) ? createMergePatch(a[key], value) : clonePlain(value);
    }
  }
  return patch;
}

/** Go's json.Marshal of a map: keys sorted, compact. */
function goJSONCompact(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(goJSONCompact).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJSONCompact(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Objects read back from the edited file (a List yields its items), or the builder's parse error. */
function parseEdited(text: string, json: boolean): { objects: KubeObject[] } | { error: string } {
  const objects: KubeObject[] = [];
  const docs = json || /^\s*\{/.test(text) ? [text] : splitDocuments(text);
  for (const doc of docs) {
    const decoded = json || /^\s*\{/.test(doc) ? decodeJSON(doc) : decodeYAML(doc);
    if (!decoded.ok) return { error: `error parsing edited-file: ${json ? "" : "error converting YAML to JSON: "}${decoded.error}` };
    const value = decoded.value;
    if (value === null || value === undefined) continue;
    if (!isObject(value)) return { error: `error parsing edited-file: json: cannot unmarshal ${Array.isArray(value) ? "array" : typeof value} into Go value of type map[string]interface {}` };
    if (typeof value.kind !== "string" || value.kind === "") return { error: `Object 'Kind' is missing in '${JSON.stringify(value)}'` };
    if (value.kind === "List" && Array.isArray(value.items)) {
      for (const item of value.items) if (isObject(item)) objects.push(item as unknown as KubeObject);
    } else objects.push(value as unknown as KubeObject);
  }
  return { objects };
}

/** The file name os.CreateTemp would pick, from the virtual clock (a replay picks the same). */
function tempFile(ctx: KubectlContext, pass: number, json: boolean): string {
  const seed = `${ctx.shell.clock.now()}:${pass}:${ctx.shell.host.name}`;
  return `/tmp/kubectl-edit-${fnv1a32(seed)}${json ? ".json" : ".yaml"}`;
}

/** `$KUBE_EDITOR`, `$EDITOR` or `vi`, split as kubectl splits it; `shell` when it needs quoting. */
function editorCommand(ctx: KubectlContext): { words: string[]; shell: boolean; text: string } {
  const env = ctx.shell.env;
  const exported = (name: string) => (env.isExported(name) ? (env.get(name) ?? "") : "");
  const editor = exported("KUBE_EDITOR") || exported("EDITOR") || "vi";
  if (!editor.includes(" ")) return { words: [editor], shell: false, text: editor };
  if (!/["'\\]/.test(editor)) return { words: editor.split(" "), shell: false, text: editor };
  return { words: [editor], shell: true, text: `/bin/bash -c ${editor}` };
}

/** Launches the editor on `file` (the shell runs it as a full-screen program). */
async function launch(ctx: KubectlContext, file: string, out: Output): Promise<void> {
  const editor = editorCommand(ctx);
  const shown = editor.shell ? editor.text : editor.words.join(" ");
  const result = editor.shell
    ? await ctx.shell.session.runScript(`${editor.words[0]} "${file}"`, "", ctx.shell.env)
    : await ctx.shell.exec([...editor.words, file]);
  // exec's "command not found" is what Go's exec.ErrNotFound becomes.
  if (result.exitCode === 127) throw new KubectlError(`unable to launch the editor "${shown}"`);
  out.out(result.stdout);
  out.err(result.stderr);
  if (result.exitCode !== 0) throw new KubectlError(`there was a problem with the editor "${shown}"`);
}

/** The objects named on the command line or in `-f` files, as the server has them now. */
function originals(ctx: KubectlContext, args: KubectlArgs): { objects: KubeObject[]; infos: ResourceInfo[] } {
  if (args.strings("filename").length > 0) {
    const { targets, errors } = fileTargets(ctx, args);
    if (errors.length > 0) throw errors[0];
    const objects: KubeObject[] = [];
    for (const target of targets) {
      if (!target.live) {
        throw new KubectlError(`${qualifiedResource({ group: target.info.group, resource: target.info.plural })} "${target.object.metadata.name ?? ""}" not found`);
      }
      objects.push(target.live);
    }
    return { objects, infos: targets.map((t) => t.info) };
  }
  if (args.operands.length === 0) throw new KubectlError(NO_RESOURCES);
  const request = parseResourceArgs(ctx, args.operands);
  const { groups, errors } = fetchResources(ctx, request, {});
  if (errors.length > 0) throw errors[0];
  const found = groups.flatMap((g) => g.objects.map((o) => ({ o, info: g.info })));
  return { objects: found.map((f) => f.o), infos: found.map((f) => f.info) };
}

function resourceString(info: ResourceInfo): string {
  return qualifiedResource({ group: info.group, resource: info.plural });
}

async function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb(async (out) => {
    if (args.string("kustomize")) throw new KubectlError("kustomize is not supported here");
    const subresource = args.string("subresource");
    if (subresource) throw new KubectlError(subresource === "status" ? "--subresource is not supported here" : `invalid subresource value: "${subresource}". Must be one of [status]`);
    const format = args.string("output") ?? "";
    if (!["", "yaml", "json"].includes(format)) {
      throw new KubectlError(`unable to match a printer suitable for the output format "${format}", allowed formats are: json,yaml`);
    }
    const json = format === "json";
    const { objects, infos } = originals(ctx, args);
    if (objects.length === 0) throw new KubectlError("edit cancelled, no objects found");
    const original = objects.length === 1 ? objects[0] : ({ apiVersion: "v1", kind: "List", metadata: {}, items: objects } as unknown as KubeObject);
    const printed = printFormatted([original], { type: json ? "json" : "yaml" }, { list: false });
    const originalText = (json ? "" : HEADER) + printed;

    let edited = "";
    let containsError = false;
    let reasons: Reason[] = [];
    let previousFile = "";
    for (let pass = 0; ; pass++) {
      const file = tempFile(ctx, pass, json);
      const body = containsError ? manualStrip(edited) : printed;
      const text = (json ? "" : header(reasons)) + body;
      ctx.shell.fs.writeFile(file, text, { parents: true });
      const editedBefore = edited;
      try {
        await launch(ctx, file, out);
      } catch (error) {
        if (previousFile) preserved(ctx, previousFile, out);
        throw error;
      }
      edited = ctx.shell.fs.isFile(file) ? ctx.shell.fs.readFile(file) : "";
      if (containsError && stripComments(editedBefore) === stripComments(edited)) {
        preserved(ctx, file, out);
        throw new KubectlError("Edit cancelled, no valid changes were saved.");
      }
      if (previousFile && ctx.shell.fs.isFile(previousFile)) ctx.shell.fs.unlink(previousFile);
      previousFile = "";
      if (stripComments(originalText) === stripComments(edited)) {
        ctx.shell.fs.unlink(file);
        out.err("Edit cancelled, no changes made.\n");
        return 0;
      }
      if (!hasLines(edited)) {
        ctx.shell.fs.unlink(file);
        out.err("Edit cancelled, saved file was empty.\n");
        return 0;
      }
      previousFile = file;
      const parsed = parseEdited(edited, json);
      if ("error" in parsed) {
        containsError = true;
        reasons = [{ head: `The edited file had a syntax error: ${parsed.error}`, other: [] }];
        continue;
      }
      containsError = false;
      reasons = [];
      const results = { retryable: 0, notfound: 0, invalid: 0 };
      for (const object of parsed.objects) {
        const ns = object.metadata?.namespace;
        const info = resourceForObject(object.apiVersion, object.kind);
        if (info?.namespaced && ns && ns !== ctx.namespace) {
          preserved(ctx, file, out);
          throw new KubectlError(`the namespace from the provided object "${ns}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${ns}' to perform this operation.`);
        }
        const index = objects.findIndex((o) => o.metadata.uid !== undefined && o.metadata.uid === object.metadata?.uid);
        if (index < 0 || !info) {
          preserved(ctx, file, out);
          throw new KubectlError(`no original object found for ${object.kind ?? ""} "${object.metadata?.name ?? ""}"`);
        }
        const before = objects[index];
        const target = args.bool("save-config") ? withLastApplied(object, false) : object;
        if (equalPlain(before, target)) {
          out.out(nameLine(before, "skipped"));
          continue;
        }
        const patch = createMergePatch(before, target);
        const metadata = isObject(patch.metadata) ? patch.metadata : {};
        if ("apiVersion" in patch || "kind" in patch || "name" in metadata || "managedFields" in patch) {
          preserved(ctx, file, out);
          throw new KubectlError("At least one of apiVersion, kind and name was changed");
        }
        if (args.bool("output-patch")) out.out(`Patch: ${goJSONCompact(patch)}\n`);
        const what = `${resourceString(infos[index])} "${before.metadata.name ?? ""}"`;
        try {
          const live = ctx.store.get(before.kind, before.metadata.namespace, before.metadata.name ?? "");
          const next = applyMergePatch(live, patch) as KubeObject;
          const updated = ctx.store.update({ ...next, metadata: { ...next.metadata, resourceVersion: live.metadata.resourceVersion } });
          out.out(nameLine(updated, "edited"));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          if (error.reason === "Invalid") {
            results.invalid += 1;
            const causes = error.status.details?.causes ?? [];
            reasons.push({ head: `${what} was not valid`, other: causes.map((c) => `${c.field ?? ""}: ${c.message}`) });
            out.err(`error: ${what} is invalid\n`);
          } else if (error.reason === "NotFound") {
            results.notfound += 1;
            out.err(`error: ${what} could not be found on the server\n`);
          } else {
            results.retryable += 1;
            out.err(`error: ${what} could not be patched: ${error.message}\n`);
          }
        }
      }
      if (results.retryable > 0) {
        out.err(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
        return 1;
      }
      if (results.notfound > 0) {
        out.err(`The edits you made on deleted resources have been saved to "${file}"\n`);
        return 1;
      }
      if (results.invalid === 0) {
        ctx.shell.fs.unlink(file);
        return 0;
      }
      containsError = true;
    }
  });
}

/** `preservedFile`: where the edits were kept, when the file is still there. */
function preserved(ctx: KubectlContext, file: string, out: Output): void {
  if (file && ctx.shell.fs.exists(file)) out.err(`A copy of your changes has been stored to "${file}"\n`);
}

/** `kubectl edit`. */
export const editVerb: KubectlVerb = {
  name: "edit",
  short: "Edit a resource on the server",
  long:
    "Edit a resource from the default editor.\n\n The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.\n\n You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.\n\n Editing is done with the API version used to fetch the resource. To edit using a specific API version, fully-qualify the resource, version, and group.\n\n The default format is YAML. To edit in JSON, specify \"-o json\".\n\n The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.\n\n In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.",
  examples:
    "  # Edit the service named 'registry'\n  kubectl edit svc/registry\n  \n  # Use an alternative editor\n  KUBE_EDITOR=\"nano\" kubectl edit svc/registry\n  \n  # Edit the job 'myjob' in JSON using the v1 API format\n  kubectl edit job.v1.batch/myjob -o json\n  \n  # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation\n  kubectl edit deployment/mydeployment -o yaml --save-config\n  \n  # Edit the 'status' subresource for the 'mydeployment' deployment\n  kubectl edit deployment mydeployment --subresource='status'",
  usage: "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
  flags: [
    ...printFlags(),
    fieldManagerFlag("kubectl-edit"),
    filenameFlag("Filename, directory, or URL to files to use to edit the resource"),
    kustomizeFlag("Process the kustomization directory. This flag can't be used together with -f or -R."),
    { name: "output-patch", type: "bool", usage: "Output the patch if the resource is edited." },
    recursiveFlag,
    saveConfigFlag,
    { name: "subresource", type: "string", usage: "If specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future." },
    validateFlag,
    { name: "windows-line-endings", type: "bool", usage: "Defaults to the line ending native to your platform." },
  ],
  run,
  complete: completeResourceOperands,
};
