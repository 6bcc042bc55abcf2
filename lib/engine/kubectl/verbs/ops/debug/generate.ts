/**
 * What `kubectl debug` sends to the server, built as debug.go builds it: the pod with one more
 * ephemeral container (patched through `pods/NAME/ephemeralcontainers`), a copy of the pod with
 * a debug container (`--copy-to`), or a pod on a node (`node/NAME`), each with the profile
 * applied. Generated names (`debugger-x7k2q`, `node-debugger-node01-x7k2q`) draw their suffix
 * from the cluster's client stream.
 *
 * @example
 * const { pod, container } = withEphemeralContainer(options, target, rng, out);
 */
import type { Container, EnvVar, Node, Pod, Stored } from "../../../../api";
import { ephemeralContainersOf } from "../../../../api";
import type { Output } from "../../../../shell";
import type { Rng } from "../../../../util/rng";
import { clonePlain } from "../../../../util/plain";
import { KubectlError } from "../../../errors";
import { applyProfile, type Profile } from "./profiles";

/** The command line, as `DebugOptions` holds it. */
export interface DebugOptions {
  image: string;
  container: string;
  /** After `--`: the command (or, with `--arguments-only`, the arguments). */
  args: readonly string[];
  argsOnly: boolean;
  env: readonly EnvVar[];
  pullPolicy: string;
  interactive: boolean;
  tty: boolean;
  quiet: boolean;
  target: string;
  profile: Profile;
  copyTo: string;
  setImages: ReadonlyMap<string, string>;
  keep: { labels: boolean; annotations: boolean; liveness: boolean; readiness: boolean; startup: boolean; initContainers: boolean };
  sameNode: boolean;
  shareProcesses: boolean;
}

/** The fields every generated debug container has, in Go struct order. */
function debugContainer(options: DebugOptions, name: string): Container {
  return {
    name,
    image: options.image,
    ...(options.argsOnly ? (options.args.length ? { args: [...options.args] } : {}) : options.args.length ? { command: [...options.args] } : {}),
    ...(options.env.length ? { env: options.env.map((e) => ({ ...e })) } : {}),
    ...(options.pullPolicy ? { imagePullPolicy: options.pullPolicy } : {}),
    terminationMessagePolicy: "File",
    ...(options.interactive ? { stdin: true } : {}),
    ...(options.tty ? { tty: true } : {}),
  };
}

/** `computeDebugContainerName`: `-c`, else `debugger-XXXXX` not yet taken in the pod (announced on stdout). */
function debugContainerName(options: DebugOptions, pod: Pod, rng: Rng, out: Output): string {
  if (options.container) return options.container;
  const taken = new Set([...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...ephemeralContainersOf(pod)].map((c) => c.name));
  let name = "";
  while (name === "" || taken.has(name)) name = `debugger-${rng.alnum(5)}`;
  if (!options.quiet) out.out(`Defaulting debug container name to ${name}.\n`);
  return name;
}

/** `generateDebugContainer`: the pod as it should be, with the new ephemeral container last. */
export function withEphemeralContainer(options: DebugOptions, pod: Stored<Pod>, rng: Rng, out: Output): { pod: Pod; container: string } {
  const name = debugContainerName(options, pod, rng, out);
  const copied = clonePlain(pod) as Pod;
  const ephemeral = { ...debugContainer(options, name), ...(options.target ? { targetContainerName: options.target } : {}) };
  (copied.spec as { ephemeralContainers?: unknown[] }).ephemeralContainers = [...ephemeralContainersOf(copied), ephemeral];
  applyProfile(options.profile, "ephemeral", copied, name);
  return { pod: copied, container: name };
}

/** `generatePodCopyWithDebugContainer`: the copy to create, and the container to attach to (none for `--set-image` alone). */
export function podCopy(options: DebugOptions, pod: Stored<Pod>, rng: Rng, out: Output): { pod: Pod; container: string } {
  const spec = clonePlain(pod.spec) as Pod["spec"];
  const metadata: Pod["metadata"] = { name: options.copyTo, namespace: pod.metadata.namespace };
  if (options.keep.annotations && pod.metadata.annotations) metadata.annotations = { ...pod.metadata.annotations };
  if (options.keep.labels && pod.metadata.labels) metadata.labels = { ...pod.metadata.labels };
  const copied: Pod = { apiVersion: "v1", kind: "Pod", metadata, spec };
  for (const c of spec.containers) {
    if (!options.keep.liveness) delete c.livenessProbe;
    if (!options.keep.readiness) delete c.readinessProbe;
    if (!options.keep.startup) delete c.startupProbe;
    const image = options.setImages.get(c.name) ?? options.setImages.get("*");
    if (image) c.image = image;
  }
  if (!options.keep.initContainers) delete spec.initContainers;
  delete (spec as { ephemeralContainers?: unknown }).ephemeralContainers;
  if (!options.sameNode) delete spec.nodeName;
  Object.assign(spec, { shareProcessNamespace: options.shareProcesses });
  let c = spec.containers.find((x) => x.name === options.container && options.container !== "");
  if (!c) {
    if (!options.image) {
      if (options.setImages.size > 0) return { pod: copied, container: "" };
      throw new KubectlError("you must specify image when creating new container");
    }
    c = { name: debugContainerName(options, copied, rng, out), terminationMessagePolicy: "File" } as Container;
    spec.containers.push(c);
  }
  if (options.args.length > 0) {
    if (options.argsOnly) c.args = [...options.args];
    else {
      c.command = [...options.args];
      delete c.args;
    }
  }
  if (options.env.length > 0) c.env = options.env.map((e) => ({ ...e }));
  if (options.image) c.image = options.image;
  if (options.pullPolicy) c.imagePullPolicy = options.pullPolicy;
  c.stdin = options.interactive;
  c.tty = options.tty;
  applyProfile(options.profile, "podCopy", copied, c.name);
  return { pod: copied, container: c.name };
}

/** `generateNodeDebugPod`: `node-debugger-NODE-XXXXX` bound to the node, tolerating every taint. */
export function nodeDebugPod(options: DebugOptions, node: Stored<Node>, namespace: string, rng: Rng, out: Output): { pod: Pod; container: string } {
  const container = options.container || "debugger";
  const name = `node-debugger-${node.metadata.name}-${rng.alnum(5)}`;
  if (!options.quiet) out.out(`Creating debugging pod ${name} with container ${container} on node ${node.metadata.name}.\n`);
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace },
    spec: { containers: [debugContainer(options, container)], nodeName: node.metadata.name, restartPolicy: "Never", tolerations: [{ operator: "Exists" }] },
  };
  applyProfile(options.profile, "node", pod, container);
  return { pod, container };
}
