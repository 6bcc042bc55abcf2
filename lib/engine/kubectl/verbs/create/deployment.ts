/**
 * `kubectl create deployment NAME --image=… [-- COMMAND…]`, as create_deployment.go builds it:
 * labels and selector `app=NAME`, one container per image named after the image (registry path,
 * tag and digest dropped; `.`/`_` turned into `-` with a random suffix), `--port` on the first
 * container, `--replicas`, and the command after `--` for every container.
 *
 * @example
 * await sh.run("kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80");
 * // deployment.apps/web created
 */
import { fnv1a32 } from "../../../util/hash";
import { KubectlError } from "../../errors";
import type { KubectlArgs, KubectlContext } from "../../types";
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";

/** `utilrand.String`'s alphabet (no vowels, no confusable digits). */
const RAND_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * `sanitizeAndUniquify`: a name with `.` or `_` becomes DNS-1123-safe plus a 5-character suffix.
 * Upstream's suffix is random; here it derives from the name and the virtual time, so replays match.
 */
function sanitizeAndUniquify(name: string, now: number): string {
  if (!/[_.]/.test(name)) return name;
  let h = fnv1a32(`${name}@${now}`);
  let suffix = "";
  for (let i = 0; i < 5; i++) {
    suffix += RAND_ALPHABET[h % RAND_ALPHABET.length];
    h = Math.floor(h / RAND_ALPHABET.length) ^ fnv1a32(suffix);
  }
  return `${name.replace(/[_.]/g, "-")}-${suffix}`;
}

/** The container name kubectl derives from an image reference. */
export function containerNameForImage(image: string, now: number): string {
  let name = image.split("/").at(-1)!;
  if (name.includes(":")) name = name.split(":")[0];
  if (name.includes("@")) name = name.split("@")[0];
  return sanitizeAndUniquify(name, now);
}

function build(name: string, args: KubectlArgs, ctx: KubectlContext) {
  const images = args.strings("image");
  const command = args.afterDash;
  if (images.length > 1 && command.length > 0) throw new KubectlError("cannot specify multiple --image options and command");
  const labels = { app: name };
  const now = ctx.shell.clock.now();
  const port = args.int("port") ?? -1;
  // Fields in Container's struct order: name, image, command, ports, resources.
  const containers = images.map((image, i) => ({
    name: containerNameForImage(image, now),
    image,
    ...(command.length > 0 ? { command: [...command] } : {}),
    ...(i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
    resources: {},
  }));
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: typedMeta(name, ctx, labels),
    spec: {
      replicas: args.int("replicas") ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

/** `kubectl create deployment`. */
export const createDeployment = generatorVerb({
  name: "deployment",
  aliases: ["deploy"],
  short: "Create a deployment with the specified name",
  long: "Create a deployment with the specified name.",
  examples:
    "  # Create a deployment named my-dep that runs the busybox image\n  kubectl create deployment my-dep --image=busybox\n  \n  # Create a deployment with a command\n  kubectl create deployment my-dep --image=busybox -- date\n  \n  # Create a deployment named my-dep that runs the nginx image with 3 replicas\n  kubectl create deployment my-dep --image=nginx --replicas=3\n  \n  # Create a deployment named my-dep that runs the busybox image and expose port 5701\n  kubectl create deployment my-dep --image=busybox --port=5701\n  \n  # Create a deployment named my-dep that runs multiple containers\n  kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx",
  usage: "kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
  flags: [
    ...GENERATOR_FLAGS,
    { name: "image", type: "stringSlice", usage: "Image names to run. A deployment can have multiple images set for multi-container pod." },
    { name: "port", type: "int", default: "-1", usage: "The containerPort that this deployment exposes." },
    { name: "replicas", short: "r", type: "int", default: "1", usage: "Number of replicas to create. Default is 1." },
  ],
  required: ["image"],
  post: { what: "deployment", path: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments` },
  build,
});
