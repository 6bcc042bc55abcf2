/**
 * `kubectl cp`: copies files and directories between the shell's machine and a container, the
 * way kubectl 1.32 does it — through `tar` run inside the container with exec. From a pod,
 * `tar cf - SRC` runs there (its stderr, such as GNU tar's "Removing leading `/' from member
 * names", reaches kubectl's stdout, as upstream wires it) and the archive is unpacked under
 * DEST with SRC's path prefix stripped; to a pod, `test -d DEST` decides whether DEST is a
 * directory to copy into, then `tar -xmf - -C DIR` unpacks there. The archive itself is not
 * materialised: the entries go straight from one file system to the other, with tar's
 * messages and failures (no tar in the image, missing source, missing target directory).
 *
 * @example
 * kubectl cp web:/etc/nginx/nginx.conf ./nginx.conf   // tar: Removing leading `/' from member names
 * kubectl cp ./index.html web:/usr/share/nginx/html/
 */
import { badRequestError, type Pod } from "../../../../api";
import type { FileSystem, LocationInit, Output } from "../../../../shell";
import { KubectlError } from "../../../errors";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { withOutput } from "../common/output";
import { defaultContainer, hasContainer } from "../common/pods";

/** One side of the copy: a local path, or `[namespace/]pod:path`. */
interface FileSpec {
  namespace?: string;
  pod?: string;
  file: string;
}

const FORMAT_ERROR = "filespec must match the canonical format: [[namespace/]pod:]file/path";

/** `extractFileSpec`. */
function fileSpec(arg: string, namespace: string): FileSpec {
  const colon = arg.indexOf(":");
  if (colon < 0) return { file: arg };
  const podRef = arg.slice(0, colon);
  const file = arg.slice(colon + 1);
  const parts = podRef.split("/");
  if (parts.length === 1 && parts[0] !== "") return { namespace, pod: parts[0], file };
  if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") return { namespace: parts[0], pod: parts[1], file };
  throw new KubectlError(FORMAT_ERROR);
}

/** POSIX `path.Clean`. */
function clean(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
    } else parts.push(part);
  }
  const joined = parts.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

const baseName = (path: string) => clean(path).split("/").pop() || "/";
const dirName = (path: string) => {
  const c = clean(path);
  const i = c.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : c.slice(0, i);
};

/** tar as the image ships it: BusyBox's applet words its messages differently from GNU tar. */
function tarMessages(fs: FileSystem) {
  const busybox = fs.exists("/bin/busybox");
  return {
    leadingSlash: busybox ? "tar: removing leading '/' from member names\n" : "tar: Removing leading `/' from member names\n",
    cannotStat: (p: string) =>
      busybox ? { text: `tar: can't open '${p}': No such file or directory\n`, code: 1 } : { text: `tar: ${p}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n`, code: 2 },
    cannotChdir: (p: string) =>
      busybox ? { text: `tar: can't change directory to '${p}': No such file or directory\n`, code: 1 } : { text: `tar: ${p}: Cannot chdir: No such file or directory\ntar: Error is not recoverable: exiting now\n`, code: 2 },
  };
}

/** Copies a file or a directory tree between file systems (symbolic links are left out, as kubectl skips them). */
function copyTree(from: FileSystem, source: string, to: FileSystem, target: string, skipped: (path: string, link: string) => void): void {
  const stat = from.lstat(source);
  if (stat.kind === "symlink") {
    skipped(target, from.readlink(source));
    return;
  }
  if (stat.kind === "dir") {
    if (!to.isDirectory(target)) to.mkdirp(target);
    for (const name of from.list(source)) copyTree(from, `${source}/${name}`.replace(/^\/\//, "/"), to, `${target}/${name}`.replace(/^\/\//, "/"), skipped);
    return;
  }
  to.writeFile(target, from.readFile(source), { parents: true, mode: stat.mode });
}

/** The container's file system, reached by exec'ing `command` there (refused as exec is: no such binary, not running…). */
function containerLocation(ctx: KubectlContext, args: KubectlArgs, out: Output, spec: FileSpec, command: readonly string[]): LocationInit {
  const pod = ctx.store.get<Pod>("Pod", spec.namespace, spec.pod!);
  let container = args.string("container") ?? "";
  if (container === "") container = defaultContainer(pod, (m) => out.err(m));
  else if (!hasContainer(pod, container)) throw badRequestError(`container ${container} is not valid for pod ${pod.metadata.name}`);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw new KubectlError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const target = ctx.runtime.execLocation(spec.namespace!, spec.pod!, container, command);
  if (!target.ok) throw new KubectlError(target.message);
  return target.location;
}

/** `copyFromPod`: `tar cf - SRC` there, `untarAll` here. */
function copyFromPod(ctx: KubectlContext, args: KubectlArgs, out: Output, src: FileSpec, dest: FileSpec): number {
  const location = containerLocation(ctx, args, out, src, ["tar", "cf", "-", src.file]);
  const remote = location.fs;
  const tar = tarMessages(remote);
  const source = clean(src.file.startsWith("/") ? src.file : `${location.cwd ?? "/"}/${src.file}`);
  if (src.file.startsWith("/")) out.out(tar.leadingSlash);
  if (!remote.exists(source)) {
    const failure = tar.cannotStat(src.file);
    out.out(failure.text);
    throw new KubectlError(`command terminated with exit code ${failure.code}`, failure.code, true);
  }
  const local = ctx.shell.fs;
  const target = ctx.shell.resolve(dest.file);
  if (local.isDirectory(target) && !remote.isDirectory(source)) throw new KubectlError(`open ${dest.file}: is a directory`);
  copyTree(remote, source, local, target, (path, link) => out.err(`warning: skipping symlink: "${path}" -> "${link}"\n`));
  return 0;
}

/** `copyToPod`: `test -d DEST` there, then `tar -xmf - -C DIR` fed from here. */
function copyToPod(ctx: KubectlContext, args: KubectlArgs, out: Output, src: FileSpec, dest: FileSpec): number {
  const local = ctx.shell.fs;
  const source = ctx.shell.resolve(src.file);
  if (!local.exists(source)) throw new KubectlError(`${src.file} doesn't exist in local filesystem`);
  const location = containerLocation(ctx, args, out, dest, ["tar", "-xmf", "-"]);
  const remote = location.fs;
  const resolve = (p: string) => clean(p.startsWith("/") ? p : `${location.cwd ?? "/"}/${p}`);
  let file = clean(dest.file);
  if (remote.isDirectory(resolve(file))) file = clean(`${file}/${baseName(src.file)}`);
  const directory = resolve(dirName(file));
  if (!remote.isDirectory(directory)) {
    const failure = tarMessages(remote).cannotChdir(dirName(file));
    out.err(failure.text);
    throw new KubectlError(`command terminated with exit code ${failure.code}`, failure.code, true);
  }
  copyTree(local, source, remote, resolve(file), () => undefined);
  return 0;
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    if (args.operands.length !== 2) throw new KubectlError("source and destination are required");
    const src = fileSpec(args.operands[0], ctx.namespace);
    const dest = fileSpec(args.operands[1], ctx.namespace);
    if (src.pod && dest.pod) throw new KubectlError("one of src or dest must be a local file specification");
    if (src.file === "" || dest.file === "") throw new KubectlError("filepath can not be empty");
    if (src.pod) return copyFromPod(ctx, args, out, src, dest);
    if (dest.pod) return copyToPod(ctx, args, out, src, dest);
    throw new KubectlError("one of src or dest must be a remote file specification");
  });
}

/** `kubectl cp`. */
export const cpVerb: KubectlVerb = {
  name: "cp",
  short: "Copy files and directories to and from containers",
  long: "Copy files and directories to and from containers.",
  examples: [
    "# !!!Important Note!!!",
    "# Requires that the 'tar' binary is present in your container",
    "# image.  If 'tar' is not present, 'kubectl cp' will fail.",
    "#",
    "# For advanced use cases, such as symlinks, wildcard expansion or",
    "# file mode preservation, consider using 'kubectl exec'.",
    "",
    "# Copy /tmp/foo local file to /tmp/bar in a remote pod in namespace <some-namespace>",
    "tar cf - /tmp/foo | kubectl exec -i -n <some-namespace> <some-pod> -- tar xf - -C /tmp/bar",
    "",
    "# Copy /tmp/foo from a remote pod to /tmp/bar locally",
    "kubectl exec -n <some-namespace> <some-pod> -- tar cf - /tmp/foo | tar xf - -C /tmp/bar",
    "",
    "# Copy /tmp/foo_dir local directory to /tmp/bar_dir in a remote pod in the default namespace",
    "kubectl cp /tmp/foo_dir <some-pod>:/tmp/bar_dir",
    "",
    "# Copy /tmp/foo local file to /tmp/bar in a remote pod in a specific container",
    "kubectl cp /tmp/foo <some-pod>:/tmp/bar -c <specific-container>",
    "",
    "# Copy /tmp/foo local file to /tmp/bar in a remote pod in namespace <some-namespace>",
    "kubectl cp /tmp/foo <some-namespace>/<some-pod>:/tmp/bar",
    "",
    "# Copy /tmp/foo from a remote pod to /tmp/bar locally",
    "kubectl cp <some-namespace>/<some-pod>:/tmp/foo /tmp/bar",
  ]
    .map((l) => `  ${l}`)
    .join("\n"),
  usage: "kubectl cp <file-spec-src> <file-spec-dest> [options]",
  flags: [
    {
      name: "container",
      short: "c",
      type: "string",
      usage:
        "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen",
    },
    { name: "no-preserve", type: "bool", usage: "The copied file/directory's ownership and permissions will not be preserved in the container" },
    {
      name: "retries",
      type: "int",
      default: "0",
      usage: "Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).",
    },
  ],
  run,
  offline: () => ({ discovery: 0 }),
};
