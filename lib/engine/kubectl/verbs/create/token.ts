/**
 * `kubectl create token SA`: a TokenRequest (`create serviceaccounts/token`) for the service
 * account. The apiserver signs an ES256 JWT with the cluster's `sa.key` for the audiences asked
 * (default: the apiserver's own issuer) and lifetime (`--duration`, default one hour, at least
 * ten minutes). kubectl prints the token alone — with a newline only on a terminal — or the
 * TokenRequest with `-o`.
 *
 * @example
 * await sh.run("kubectl create token robot -n dev"); // eyJhbGciOiJFUzI1NiIs…
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { type ServiceAccount, type Stored, authorizeRequest, invalidError, issueToken, notFoundError } from "../../../api";
import { KubectlError, usageError } from "../../errors";
import { printFlags } from "../../flags";
import { controlPlaneFile } from "../../identity";
import { outputFormat, printFormatted, runVerb } from "../../output";
import { parseGoDuration } from "../../parse";
import { parsePrivateKeyPem } from "../../../pki";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";

const DEFAULT_SECONDS = 3600;
const MIN_SECONDS = 600;

/** A uuid-shaped id derived from what makes this request unique (the engine draws no randomness here). */
function tokenID(account: Stored<ServiceAccount>, now: number, revision: string): string {
  const hex = bytesToHex(sha256(utf8ToBytes(`${account.metadata.uid}/${now}/${revision}`)));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    if (args.operands.length !== 1) throw usageError("kubectl create token", "SERVICE_ACCOUNT_NAME is required");
    const [name] = args.operands;
    const durationMs = parseGoDuration(args.string("duration") ?? "0") ?? 0;
    if (durationMs < 0) throw new KubectlError("--duration must be greater than or equal to 0");
    if (durationMs % 1000 !== 0) throw new KubectlError("--duration cannot be expressed in units less than seconds");
    const audiences = args.strings("audience");
    if (audiences.some((a) => a === "")) throw new KubectlError("--audience must not be an empty string");
    if (args.string("bound-object-kind") || args.string("bound-object-name") || args.string("bound-object-uid")) {
      throw new KubectlError("--bound-object-kind is not supported in this environment");
    }
    const format = outputFormat(ctx, args, "generic");
    const namespace = ctx.namespace;
    const { cluster, user } = ctx;
    const failed = (error: unknown) => new KubectlError(`failed to create token: ${error instanceof Error ? error.message : String(error)}`);
    try {
      authorizeRequest(cluster.store, user, { verb: "create", namespace, apiGroup: "", resource: "serviceaccounts", subresource: "token", name });
    } catch (error) {
      throw failed(error);
    }
    const account = cluster.store.find<ServiceAccount>("ServiceAccount", namespace, name);
    if (!account) throw failed(notFoundError({ group: "", resource: "serviceaccounts" }, name));
    const seconds = durationMs > 0 ? durationMs / 1000 : DEFAULT_SECONDS;
    if (seconds < MIN_SECONDS) {
      throw failed(invalidError({ group: "authentication.k8s.io", kind: "TokenRequest" }, name, [
        { type: "FieldValueInvalid", field: "spec.expirationSeconds", badValue: seconds, detail: "may not specify a duration less than 10 minutes" },
      ]));
    }
    const key = parsePrivateKeyPem(controlPlaneFile(cluster, "/etc/kubernetes/pki/sa.key") ?? "");
    if (!key) throw failed(new Error("no service account signing key on the control plane"));
    const issuer = `https://kubernetes.default.svc.${cluster.scenario.network.clusterDomain}`;
    const now = cluster.clock.now();
    const token = issueToken({
      namespace, serviceAccount: { name, uid: account.metadata.uid }, issuer, now, expirationSeconds: seconds, jti: tokenID(account, now, cluster.store.resourceVersion), key,
      ...(audiences.length > 0 ? { audiences } : {}),
    });
    if (format.type !== "human") {
      const request = {
        kind: "TokenRequest",
        apiVersion: "authentication.k8s.io/v1",
        metadata: { name, namespace, creationTimestamp: null },
        spec: { audiences: audiences.length > 0 ? audiences : [issuer], expirationSeconds: seconds, boundObjectRef: null },
        status: { token, expirationTimestamp: cluster.clock.rfc3339(Math.floor(now / 1000) * 1000 + seconds * 1000) },
      };
      out.out(printFormatted([request], format, { list: false, typedOrder: true, allowMissingKeys: args.bool("allow-missing-template-keys") }));
      return 0;
    }
    out.out(ctx.shell.terminal.isTerminal ? `${token}\n` : token);
    return 0;
  });
}

/** `kubectl create token`. */
export const createToken: KubectlVerb = {
  name: "token",
  short: "Request a service account token",
  long: "Request a service account token.",
  examples:
    '  # Request a token to authenticate to the kube-apiserver as the service account "myapp" in the current namespace\n  kubectl create token myapp\n  \n  # Request a token for a service account in a custom namespace\n  kubectl create token myapp --namespace myns\n  \n  # Request a token with a custom expiration\n  kubectl create token myapp --duration 10m\n  \n  # Request a token with a custom audience\n  kubectl create token myapp --audience https://example.com\n  \n  # Request a token bound to an instance of a Secret object\n  kubectl create token myapp --bound-object-kind Secret --bound-object-name mysecret\n  \n  # Request a token bound to an instance of a Secret object with a specific UID\n  kubectl create token myapp --bound-object-kind Secret --bound-object-name mysecret --bound-object-uid 0d4691ed-659b-4935-a832-355f77ee47cc',
  usage: "kubectl create token SERVICE_ACCOUNT_NAME [options]",
  flags: [
    ...printFlags(),
    { name: "audience", type: "stringArray", usage: "Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences." },
    { name: "bound-object-kind", type: "string", usage: "Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided." },
    { name: "bound-object-name", type: "string", usage: "Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind." },
    { name: "bound-object-uid", type: "string", usage: "UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used." },
    { name: "duration", type: "duration", default: "0s", usage: "Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime." },
  ],
  run,
};
