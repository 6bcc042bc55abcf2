/**
 * `kubectl config set-cluster`: creates or modifies a cluster stanza (`setClusterOptions`):
 * `--server` (which drops a previous `tls-server-name`), `--certificate-authority` (a path, made
 * absolute, or with `--embed-certs` the file's contents), `--insecure-skip-tls-verify` (which
 * drops the CA), `--tls-server-name`, `--proxy-url`.
 *
 * @example
 * kubectl config set-cluster lab --server=https://10.0.0.1:6443   // Cluster "lab" set.
 */
import { encodeBase64 } from "../../../../util/base64";
import { KubectlError } from "../../../errors";
import { parseBool } from "../../../parse";
import type { KubectlVerb } from "../../../types";
import { cloneConfig, dropFields, normalizeStanza } from "./model";
import { configRun } from "./shared";

/** `kubectl config set-cluster`. */
export const configSetClusterVerb: KubectlVerb = {
  name: "set-cluster",
  short: "Set a cluster entry in kubeconfig",
  long: "Set a cluster entry in kubeconfig.\n\n Specifying a name that already exists will merge new fields on top of existing values for those fields.",
  examples: [
    "  # Set only the server field on the e2e cluster entry without touching other values",
    "  kubectl config set-cluster e2e --server=https://1.2.3.4",
    "  ",
    "  # Embed certificate authority data for the e2e cluster entry",
    "  kubectl config set-cluster e2e --embed-certs --certificate-authority=~/.kube/e2e/kubernetes.ca.crt",
    "  ",
    "  # Disable cert checking for the e2e cluster entry",
    "  kubectl config set-cluster e2e --insecure-skip-tls-verify=true",
    "  ",
    "  # Set the custom TLS server name to use for validation for the e2e cluster entry",
    "  kubectl config set-cluster e2e --tls-server-name=my-cluster-name",
    "  ",
    "  # Set the proxy URL for the e2e cluster entry",
    "  kubectl config set-cluster e2e --proxy-url=https://1.2.3.4",
  ].join("\n"),
  usage:
    "kubectl config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com] [options]",
  flags: [
    { name: "certificate-authority", type: "string", usage: "Path to certificate-authority file for the cluster entry in kubeconfig" },
    { name: "embed-certs", type: "bool", usage: "embed-certs for the cluster entry in kubeconfig" },
    { name: "insecure-skip-tls-verify", type: "bool", usage: "insecure-skip-tls-verify for the cluster entry in kubeconfig" },
    { name: "proxy-url", type: "string", usage: "proxy-url for the cluster entry in kubeconfig" },
    { name: "server", type: "string", usage: "server for the cluster entry in kubeconfig" },
    { name: "tls-server-name", type: "string", usage: "tls-server-name for the cluster entry in kubeconfig" },
  ],
  run: configRun(
    ["config", "set-cluster"],
    () => configSetClusterVerb,
    (out, args, files, ctx) => {
      const name = args.operands[0];
      const ca = args.string("certificate-authority") ?? "";
      const insecure = args.has("insecure-skip-tls-verify") ? parseBool(args.string("insecure-skip-tls-verify")!) === true : undefined;
      const embed = args.bool("embed-certs");
      if (name === "") throw new KubectlError("you must specify a non-empty cluster name");
      if (insecure && ca !== "") throw new KubectlError("you cannot specify a certificate authority and insecure mode at the same time");
      if (embed) {
        if (ca === "") throw new KubectlError("you must specify a --certificate-authority to embed");
        if (!ctx.shell.fs.exists(ctx.shell.resolve(ca))) throw new KubectlError(`could not stat certificate-authority file ${ca}: stat ${ca}: no such file or directory`);
      }
      const next = cloneConfig(files.merged);
      const cluster = { ...next.clusters.get(name) };
      if (args.has("server")) {
        cluster.server = args.string("server");
        delete cluster["tls-server-name"];
      }
      if (args.has("tls-server-name")) cluster["tls-server-name"] = args.string("tls-server-name");
      if (insecure !== undefined) {
        cluster["insecure-skip-tls-verify"] = insecure;
        if (insecure) dropFields(cluster, "certificate-authority", "certificate-authority-data");
      }
      if (args.has("certificate-authority")) {
        if (embed) {
          cluster["certificate-authority-data"] = encodeBase64(ctx.shell.fs.readFile(ctx.shell.resolve(ca)));
          dropFields(cluster, "insecure-skip-tls-verify", "certificate-authority");
        } else {
          cluster["certificate-authority"] = ca === "" ? "" : ctx.shell.resolve(ca);
          if (ca !== "") dropFields(cluster, "insecure-skip-tls-verify", "certificate-authority-data");
        }
      }
      if (args.has("proxy-url")) cluster["proxy-url"] = args.string("proxy-url");
      next.clusters.set(name, normalizeStanza("clusters", cluster));
      files.save(next);
      out.out(`Cluster "${name}" set.\n`);
      return 0;
    },
    1,
  ),
};
