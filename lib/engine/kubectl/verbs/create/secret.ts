/**
 * `kubectl create secret` and its `tls` sub-command (`generic` lives with the ConfigMap
 * generator, which it mirrors). A TLS secret holds the PEM files as `tls.crt`/`tls.key`; the
 * files are checked the way Go's `tls.X509KeyPair` first looks at them (PEM blocks of the right
 * type), not cryptographically.
 *
 * @example
 * await sh.run("kubectl create secret tls web-tls --cert=tls.crt --key=tls.key"); // secret/web-tls created
 */
import { encodeBase64 } from "../../../util/base64";
import { KubectlError } from "../../errors";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { unsupportedVerb } from "../unsupported";
import { createSecretGeneric } from "./data";
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";

function readPEM(ctx: KubectlContext, path: string): string {
  const full = ctx.shell.resolve(path);
  if (!ctx.shell.fs.isFile(full)) throw new KubectlError(`Cannot read file ${path}, open ${path}: no such file or directory`);
  return ctx.shell.fs.readFile(full);
}

const blocks = (pem: string) => [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);

/** The checks `tls.X509KeyPair` makes before it parses anything. */
function checkPair(cert: string, key: string): void {
  const certBlocks = blocks(cert);
  if (!certBlocks.includes("CERTIFICATE")) {
    if (certBlocks.some((b) => b.endsWith("PRIVATE KEY"))) {
      throw new KubectlError("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched");
    }
    throw new KubectlError("tls: failed to find any PEM data in certificate input");
  }
  const keyBlocks = blocks(key);
  if (!keyBlocks.some((b) => b === "PRIVATE KEY" || b.endsWith(" PRIVATE KEY"))) {
    if (keyBlocks.includes("CERTIFICATE")) throw new KubectlError("tls: found a certificate rather than a key in the PEM for the private key");
    throw new KubectlError("tls: failed to find any PEM data in key input");
  }
}

function buildTLS(name: string, args: KubectlArgs, ctx: KubectlContext) {
  const certPath = args.string("cert") ?? "";
  const keyPath = args.string("key") ?? "";
  if (certPath === "" || keyPath === "") throw new KubectlError("key and cert must be specified");
  if (args.bool("append-hash")) throw new KubectlError("--append-hash is not supported here");
  const cert = readPEM(ctx, certPath);
  const key = readPEM(ctx, keyPath);
  checkPair(cert, key);
  return {
    kind: "Secret",
    apiVersion: "v1",
    metadata: typedMeta(name, ctx),
    data: { "tls.crt": encodeBase64(cert), "tls.key": encodeBase64(key) },
    type: "kubernetes.io/tls",
  };
}

const createSecretTLS = generatorVerb(
  {
    name: "tls",
    short: "Create a TLS secret",
    long: "Create a TLS secret from the given public/private key pair.\n\n The public/private key pair must exist beforehand. The public key certificate must be .PEM encoded and match the given private key.",
    examples: "  # Create a new TLS secret named tls-secret with the given key pair\n  kubectl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key",
    usage: "kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
    flags: [
      ...GENERATOR_FLAGS,
      { name: "append-hash", type: "bool", usage: "Append a hash of the secret to its name." },
      { name: "cert", type: "string", usage: "Path to PEM encoded public key certificate." },
      { name: "key", type: "string", usage: "Path to private key associated with given certificate." },
    ],
    post: { what: "secret", path: (ns) => `/api/v1/namespaces/${ns}/secrets`, colon: false },
    build: buildTLS,
  },
  "kubectl create secret",
);

/** `kubectl create secret`: `generic` and `tls`. */
export const createSecret: KubectlVerb = {
  name: "secret",
  short: "Create a secret using a specified subcommand",
  long: "Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.",
  usage: "kubectl create secret (docker-registry | generic | tls) [options]",
  flags: [],
  subcommands: [
    unsupportedVerb("kubectl create secret", "docker-registry", "Create a secret for use with a Docker registry"),
    createSecretGeneric,
    createSecretTLS,
  ],
};
