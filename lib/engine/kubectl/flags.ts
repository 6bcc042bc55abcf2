/**
 * Flag declarations shared by several verbs, worded as kubectl 1.32 prints them in `--help`,
 * and the global flags every command accepts (`kubectl options`).
 *
 * @example
 * const flags: KubectlFlag[] = [...printFlags(), dryRunFlag, filenameFlag("that contains the configuration to apply")];
 */
import type { KubectlFlag } from "./types";

/** `kubectl options`: accepted by every command, before or after the verb. */
export const GLOBAL_FLAGS: readonly KubectlFlag[] = [
  { name: "as", type: "string", usage: "Username to impersonate for the operation. User could be a regular user or a service account in a namespace." },
  { name: "as-group", type: "stringArray", usage: "Group to impersonate for the operation, this flag can be repeated to specify multiple groups." },
  { name: "as-uid", type: "string", usage: "UID to impersonate for the operation." },
  { name: "cache-dir", type: "string", default: "/root/.kube/cache", usage: "Default cache directory" },
  { name: "certificate-authority", type: "string", usage: "Path to a cert file for the certificate authority" },
  { name: "client-certificate", type: "string", usage: "Path to a client certificate file for TLS" },
  { name: "client-key", type: "string", usage: "Path to a client key file for TLS" },
  { name: "cluster", type: "string", usage: "The name of the kubeconfig cluster to use" },
  { name: "context", type: "string", usage: "The name of the kubeconfig context to use" },
  { name: "disable-compression", type: "bool", usage: "If true, opt-out of response compression for all requests to the server" },
  {
    name: "insecure-skip-tls-verify",
    type: "bool",
    usage: "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
  },
  { name: "kubeconfig", type: "string", usage: "Path to the kubeconfig file to use for CLI requests." },
  { name: "log-flush-frequency", type: "duration", default: "5s", usage: "Maximum number of seconds between log flushes" },
  { name: "match-server-version", type: "bool", usage: "Require server version to match client version" },
  { name: "namespace", short: "n", type: "string", usage: "If present, the namespace scope for this CLI request" },
  { name: "password", type: "string", usage: "Password for basic authentication to the API server" },
  { name: "profile", type: "string", default: "none", usage: "Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)" },
  { name: "profile-output", type: "string", default: "profile.pprof", usage: "Name of the file to write the profile to" },
  {
    name: "request-timeout",
    type: "string",
    default: "0",
    usage:
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.",
  },
  { name: "server", short: "s", type: "string", usage: "The address and port of the Kubernetes API server" },
  {
    name: "tls-server-name",
    type: "string",
    usage: "Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used",
  },
  { name: "token", type: "string", usage: "Bearer token for authentication to the API server" },
  { name: "user", type: "string", usage: "The name of the kubeconfig user to use" },
  { name: "username", type: "string", usage: "Username for basic authentication to the API server" },
  { name: "v", short: "v", type: "int", default: "0", usage: "number for the log level verbosity" },
  {
    name: "vmodule",
    type: "string",
    usage: "comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)",
  },
  { name: "warnings-as-errors", type: "bool", usage: "Treat warnings received from the server as errors and exit with a non-zero exit code" },
];

const TEMPLATE_USAGE =
  "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].";

const OUTPUT_USAGE =
  "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).";

/** `--output` and its companions (`PrintFlags`), as verbs that print objects declare them. */
export function printFlags(outputUsage = OUTPUT_USAGE): KubectlFlag[] {
  return [
    {
      name: "allow-missing-template-keys",
      type: "bool",
      default: "true",
      usage: "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.",
    },
    { name: "output", short: "o", type: "string", usage: outputUsage },
    { name: "show-managed-fields", type: "bool", usage: "If true, keep the managedFields when printing objects in JSON or YAML format." },
    { name: "template", type: "string", usage: TEMPLATE_USAGE },
  ];
}

/** `--dry-run`. */
export const dryRunFlag: KubectlFlag = {
  name: "dry-run",
  type: "string",
  default: "none",
  noOptDefault: "unchanged",
  usage:
    'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
};

/** `--field-manager` with the verb's default manager name. */
export function fieldManagerFlag(manager: string): KubectlFlag {
  return { name: "field-manager", type: "string", default: manager, usage: "Name of the manager used to track field ownership." };
}

/** `-f/--filename` with the verb's own wording. */
export function filenameFlag(usage: string): KubectlFlag {
  return { name: "filename", short: "f", type: "stringSlice", usage };
}

/** `-k/--kustomize` (declared so it parses; kustomize itself is not built). */
export function kustomizeFlag(usage = "Process the kustomization directory. This flag can't be used together with -f or -R."): KubectlFlag {
  return { name: "kustomize", short: "k", type: "string", usage };
}

/** `-R/--recursive`. */
export const recursiveFlag: KubectlFlag = {
  name: "recursive",
  short: "R",
  type: "bool",
  usage: "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.",
};

/** `-l/--selector` with the common wording. */
export const selectorFlag: KubectlFlag = {
  name: "selector",
  short: "l",
  type: "string",
  usage:
    "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
};

/** `--field-selector`. */
export const fieldSelectorFlag: KubectlFlag = {
  name: "field-selector",
  type: "string",
  usage:
    "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
};

/** `--validate`. */
export const validateFlag: KubectlFlag = {
  name: "validate",
  type: "string",
  default: "strict",
  usage:
    'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
};

/** `--save-config`. */
export const saveConfigFlag: KubectlFlag = {
  name: "save-config",
  type: "bool",
  usage:
    "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.",
};
