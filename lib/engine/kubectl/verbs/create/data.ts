/**
 * `kubectl create configmap NAME` and `kubectl create secret generic NAME`: data from
 * `--from-file`, `--from-literal` and `--from-env-file` (see `sources.ts`); a Secret's values
 * are base64-encoded and `--type` sets its type.
 *
 * @example
 * await sh.run("kubectl create configmap app-config --from-literal=mode=prod"); // configmap/app-config created
 * await sh.run("kubectl create secret generic db --from-literal=password=s3cr3t"); // secret/db created
 */
import { encodeBase64 } from "../../../util/base64";
import { KubectlError } from "../../errors";
import type { KubectlFlag } from "../../types";
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";
import { collectData, sortedRecord } from "./sources";

function sourceFlags(what: "configmap" | "secret", fileUsage: string): KubectlFlag[] {
  return [
    { name: "append-hash", type: "bool", usage: `Append a hash of the ${what} to its name.` },
    { name: "from-env-file", type: "stringSlice", usage: `Specify the path to a file to read lines of key=val pairs to create a ${what}.` },
    { name: "from-file", type: "stringSlice", usage: fileUsage },
    { name: "from-literal", type: "stringArray", usage: `Specify a key and literal value to insert in ${what} (i.e. mykey=somevalue)` },
  ];
}

/** `--append-hash` needs the content hash kubectl computes with SHA-256; not built here. */
function refuseAppendHash(append: boolean): void {
  if (append) throw new KubectlError("--append-hash is not supported here");
}

/** `kubectl create configmap`. */
export const createConfigMap = generatorVerb({
  name: "configmap",
  aliases: ["cm"],
  short: "Create a config map from a local file, directory or literal value",
  long: "Create a config map based on a file, directory, or specified literal value.\n\n A single config map may package one or more key/value pairs.\n\n When creating a config map based on a file, the key will default to the basename of the file, and the value will default to the file content.  If the basename is an invalid key, you may specify an alternate key.\n\n When creating a config map based on a directory, each file whose basename is a valid key in the directory will be packaged into the config map.  Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).",
  examples:
    "  # Create a new config map named my-config based on folder bar\n  kubectl create configmap my-config --from-file=path/to/bar\n  \n  # Create a new config map named my-config with specified keys instead of file basenames on disk\n  kubectl create configmap my-config --from-file=key1=/path/to/bar/file1.txt --from-file=key2=/path/to/bar/file2.txt\n  \n  # Create a new config map named my-config with key1=config1 and key2=config2\n  kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2\n  \n  # Create a new config map named my-config from the key=value pairs in the file\n  kubectl create configmap my-config --from-file=path/to/bar\n  \n  # Create a new config map named my-config from an env file\n  kubectl create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env",
  usage: "kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
  flags: [
    ...GENERATOR_FLAGS,
    ...sourceFlags(
      "configmap",
      "Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.",
    ),
  ],
  post: { what: "configmap", path: (ns) => `/api/v1/namespaces/${ns}/configmaps` },
  build: (name, args, ctx) => {
    refuseAppendHash(args.bool("append-hash"));
    const data = collectData("ConfigMap", name, args, ctx);
    // ConfigMap's struct order: metadata, then data (omitted when empty).
    return { kind: "ConfigMap", apiVersion: "v1", metadata: typedMeta(name, ctx), ...(data.size > 0 ? { data: sortedRecord(data) } : {}) };
  },
});

/** `kubectl create secret generic`. */
export const createSecretGeneric = generatorVerb(
  {
    name: "generic",
    short: "Create a secret from a local file, directory, or literal value",
    long: "Create a secret based on a file, directory, or specified literal value.\n\n A single secret may package one or more key/value pairs.\n\n When creating a secret based on a file, the key will default to the basename of the file, and the value will default to the file content. If the basename is an invalid key or you wish to chose your own, you may specify an alternate key.\n\n When creating a secret based on a directory, each file whose basename is a valid key in the directory will be packaged into the secret. Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).",
    examples:
      "  # Create a new secret named my-secret with keys for each file in folder bar\n  kubectl create secret generic my-secret --from-file=path/to/bar\n  \n  # Create a new secret named my-secret with specified keys instead of names on disk\n  kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-file=ssh-publickey=path/to/id_rsa.pub\n  \n  # Create a new secret named my-secret with key1=supersecret and key2=topsecret\n  kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret\n  \n  # Create a new secret named my-secret using a combination of a file and a literal\n  kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-literal=passphrase=topsecret\n  \n  # Create a new secret named my-secret from env files\n  kubectl create secret generic my-secret --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env",
    usage: "kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
    flags: [
      ...GENERATOR_FLAGS,
      ...sourceFlags(
        "secret",
        "Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.",
      ),
      { name: "type", type: "string", usage: "The type of secret to create" },
    ],
    post: { what: "secret", path: (ns) => `/api/v1/namespaces/${ns}/secrets`, colon: false },
    build: (name, args, ctx) => {
      refuseAppendHash(args.bool("append-hash"));
      const data = collectData("Secret", name, args, ctx);
      const type = args.string("type") ?? "";
      // Secret's struct order: metadata, data, type (both omitted when empty).
      return {
        kind: "Secret",
        apiVersion: "v1",
        metadata: typedMeta(name, ctx),
        ...(data.size > 0 ? { data: sortedRecord(data, encodeBase64) } : {}),
        ...(type !== "" ? { type } : {}),
      };
    },
  },
  "kubectl create secret",
);
