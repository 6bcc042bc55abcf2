/**
 * `kubectl config set PROPERTY_NAME PROPERTY_VALUE`: one field anywhere in the kubeconfig.
 *
 * @example
 * kubectl config set contexts.dev.namespace qa   // Property "contexts.dev.namespace" set.
 */
import { KubectlError } from "../../../errors";
import { goQuote } from "../../../printers";
import type { KubectlVerb } from "../../../types";
import { cloneConfig } from "./model";
import { applyProperty } from "./property";
import { configRun } from "./shared";

/** `kubectl config set`. */
export const configSetVerb: KubectlVerb = {
  name: "set",
  short: "Set an individual value in a kubeconfig file",
  long:
    "Set an individual value in a kubeconfig file.\n\n PROPERTY_NAME is a dot delimited name where each token represents either an attribute name or a map key.  Map keys may not contain dots.\n\n PROPERTY_VALUE is the new value you want to set. Binary fields such as 'certificate-authority-data' expect a base64 encoded string unless the --set-raw-bytes flag is used.\n\n Specifying an attribute name that already exists will merge new fields on top of existing values.",
  examples: [
    "  # Set the server field on the my-cluster cluster to https://1.2.3.4",
    "  kubectl config set clusters.my-cluster.server https://1.2.3.4",
    "  ",
    "  # Set the certificate-authority-data field on the my-cluster cluster",
    '  kubectl config set clusters.my-cluster.certificate-authority-data $(echo "cert_data_here" | base64 -i -)',
    "  ",
    "  # Set the cluster field in the my-context context to my-cluster",
    "  kubectl config set contexts.my-context.cluster my-cluster",
    "  ",
    "  # Set the client-key-data field in the cluster-admin user using --set-raw-bytes option",
    "  kubectl config set users.cluster-admin.client-key-data cert_data_here --set-raw-bytes=true",
  ].join("\n"),
  usage: "kubectl config set PROPERTY_NAME PROPERTY_VALUE [options]",
  flags: [{ name: "set-raw-bytes", type: "bool", usage: "When writing a []byte PROPERTY_VALUE, write the given string directly without base64 decoding." }],
  run: configRun(
    ["config", "set"],
    () => configSetVerb,
    (out, args, files) => {
      const [property, value] = args.operands;
      if (value === "") throw new KubectlError("you cannot use set to unset a property");
      if (property === "") throw new KubectlError("you must specify a property");
      const next = cloneConfig(files.merged);
      applyProperty(next, property, value, args.bool("set-raw-bytes"));
      files.save(next);
      out.out(`Property ${goQuote(property)} set.\n`);
      return 0;
    },
    2,
  ),
};
