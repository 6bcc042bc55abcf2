/**
 * `kubectl create namespace NAME` and `kubectl create serviceaccount NAME`: the two generators
 * that build nothing but metadata (a Namespace also carries its empty spec and status).
 *
 * @example
 * await sh.run("kubectl create namespace team-a"); // namespace/team-a created
 * await sh.run("kubectl create sa deployer -n team-a"); // serviceaccount/deployer created
 */
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";

/** `kubectl create namespace`. */
export const createNamespace = generatorVerb({
  name: "namespace",
  aliases: ["ns"],
  short: "Create a namespace with the specified name",
  long: "Create a namespace with the specified name.",
  examples: "  # Create a new namespace named my-namespace\n  kubectl create namespace my-namespace",
  usage: "kubectl create namespace NAME [--dry-run=server|client|none] [options]",
  flags: GENERATOR_FLAGS,
  build: (name) => ({ kind: "Namespace", apiVersion: "v1", metadata: typedMeta(name), spec: {}, status: {} }),
});

/** `kubectl create serviceaccount`. */
export const createServiceAccount = generatorVerb({
  name: "serviceaccount",
  aliases: ["sa"],
  short: "Create a service account with the specified name",
  long: "Create a service account with the specified name.",
  examples: "  # Create a new service account named my-service-account\n  kubectl create serviceaccount my-service-account",
  usage: "kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]",
  flags: GENERATOR_FLAGS,
  post: { what: "serviceaccount", path: (ns) => `/api/v1/namespaces/${ns}/serviceaccounts` },
  build: (name, _args, ctx) => ({ kind: "ServiceAccount", apiVersion: "v1", metadata: typedMeta(name, ctx) }),
});
