import { describe, expect, it } from "vitest";
import type { KubeObject } from "@/lib/engine/api";
import { deployment, errorText, newCluster, pod } from "./helpers";

const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const svc = (spec: Record<string, unknown>, name = "web"): KubeObject => ({ apiVersion: "v1", kind: "Service", metadata: { name }, spec });
const container = (extra: Record<string, unknown>) => ({ spec: { containers: [{ name: "app", image: "nginx:1.27", ...extra }] } });
const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
});

/** [case, object, exactly what kubectl prints] */
type Case = [string, KubeObject, string];

const podCases: Case[] = [
  ["no containers", pod("p", { spec: { containers: [] } }), 'The Pod "p" is invalid: spec.containers: Required value'],
  ["no image", pod("p", { spec: { containers: [{ name: "app" }] } }), 'The Pod "p" is invalid: spec.containers[0].image: Required value'],
  ["bad container name", pod("p", { spec: { containers: [{ name: "Web", image: "x:1" }] } }), `The Pod "p" is invalid: spec.containers[0].name: Invalid value: "Web": ${LABEL}`],
  ["duplicate container", pod("p", { spec: { containers: [{ name: "a", image: "x:1" }, { name: "a", image: "y:1" }] } }), 'The Pod "p" is invalid: spec.containers[1].name: Duplicate value: "a"'],
  ["bad pod name", pod("Web_1"), `The Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": ${SUBDOMAIN}`],
  ["no name", pod(""), 'The Pod "" is invalid: metadata.name: Required value: name or generateName is required'],
  ["restart policy", pod("p", { spec: { restartPolicy: "Sometimes" } }), 'The Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  ["dns policy", pod("p", { spec: { dnsPolicy: "Google" } }), 'The Pod "p" is invalid: spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
  ["pull policy", pod("p", container({ imagePullPolicy: "Sometimes" })), 'The Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
  ["port out of range", pod("p", container({ ports: [{ containerPort: 70000 }] })), 'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  ["port protocol", pod("p", container({ ports: [{ containerPort: 80, protocol: "HTTP" }] })), 'The Pod "p" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  ["missing volume", pod("p", container({ volumeMounts: [{ name: "data", mountPath: "/data" }] })), 'The Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  ["env name", pod("p", container({ env: [{ name: "A=B", value: "x" }] })), `The Pod "p" is invalid: spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
  ["bad label", pod("p", { metadata: { labels: { app: "a b" } } }),
    `The Pod "p" is invalid: metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
  ["two errors", pod("p", { spec: { containers: [{ name: "app" }], restartPolicy: "Sometimes" } }),
    'The Pod "p" is invalid: \n* spec.containers[0].image: Required value\n* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
];

const serviceCases: Case[] = [
  ["bad type", svc({ type: "Bogus", ports: [{ port: 80 }] }), 'The Service "web" is invalid: spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  ["no ports", svc({ selector: { app: "web" } }), 'The Service "web" is invalid: spec.ports: Required value'],
  ["port 0", svc({ ports: [{ port: 0, targetPort: 80 }] }), 'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
  ["unnamed ports", svc({ ports: [{ port: 80 }, { port: 443 }] }), 'The Service "web" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value'],
  ["nodePort on ClusterIP", svc({ ports: [{ port: 80, nodePort: 30080 }] }), "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  ["duplicate port", svc({ ports: [{ name: "a", port: 80 }, { name: "b", port: 80 }] }),
    'The Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
  ["ExternalName without name", svc({ type: "ExternalName" }), 'The Service "web" is invalid: spec.externalName: Required value'],
  ["bad service name", svc({ ports: [{ port: 80 }] }, "1web"), `The Service "1web" is invalid: metadata.name: Invalid value: "1web": ${DNS1035}`],
  ["session affinity", svc({ sessionAffinity: "Sticky", ports: [{ port: 80 }] }), 'The Service "web" is invalid: spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
  ["malformed clusterIP", svc({ clusterIP: "abc", ports: [{ port: 80 }] }), 'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  ["headless NodePort", svc({ type: "NodePort", clusterIP: "None", ports: [{ port: 80 }] }), "The Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
  ["bad targetPort name", svc({ ports: [{ port: 80, targetPort: "http_port" }] }),
    'The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
];

const workloadCases: Case[] = [
  ["deployment without selector", { ...deployment("d"), spec: { template: template({ app: "x" }) } },
    'The Deployment "d" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
  ["deployment selector mismatch", deployment("d", { template: template({ app: "y" }) }),
    'The Deployment "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`'],
  ["deployment empty selector", deployment("d", { selector: {} }),
    'The Deployment "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
  ["deployment restart policy", deployment("d", { template: template({ app: "d" }, { restartPolicy: "Never" }) }),
    'The Deployment "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  ["negative replicas", deployment("d", { replicas: -1 }), 'The Deployment "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
  ["no template containers", deployment("d", { template: { metadata: { labels: { app: "d" } }, spec: { containers: [] } } }),
    'The Deployment "d" is invalid: spec.template.spec.containers: Required value'],
  ["both rolling limits 0", deployment("d", { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }),
    'The Deployment "d" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
  ["bad percent", deployment("d", { strategy: { rollingUpdate: { maxSurge: "abc" } } }),
    "The Deployment \"d\" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
  ["over 100%", deployment("d", { strategy: { rollingUpdate: { maxUnavailable: "120%" } } }),
    'The Deployment "d" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%'],
  ["replicaset without selector", { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs" }, spec: { template: template({ app: "x" }) } },
    'The ReplicaSet "rs" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
  ["rc without template", { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "rc" }, spec: {} },
    'The ReplicationController "rc" is invalid: \n* spec.selector: Required value\n* spec.template: Required value'],
  ["rc selector mismatch", { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "rc" }, spec: { selector: { app: "a" }, template: template({ app: "b" }) } },
    'The ReplicationController "rc" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`'],
  ["daemonset surge and unavailable", { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "ds" },
    spec: { selector: { matchLabels: { app: "x" } }, template: template({ app: "x" }), updateStrategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } } },
    'The DaemonSet "ds" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero'],
];

const otherCases: Case[] = [
  ["configmap key", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "a/b": "x" } },
    `The ConfigMap "c" is invalid: data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`],
  ["secret base64", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: "not base64!" } },
    'Error from server (BadRequest): Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3'],
  ["tls secret keys", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "kubernetes.io/tls", data: {} },
    'The Secret "s" is invalid: \n* data[tls.crt]: Required value\n* data[tls.key]: Required value'],
  ["namespace name", { apiVersion: "v1", kind: "Namespace", metadata: { name: "Dev" } }, `The Namespace "Dev" is invalid: metadata.name: Invalid value: "Dev": ${LABEL}`],
  ["policy type", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np" }, spec: { podSelector: {}, policyTypes: ["Inbound"] } },
    'The NetworkPolicy "np" is invalid: spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Ingress", "Egress"'],
  ["empty peer", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np" }, spec: { podSelector: {}, ingress: [{ from: [{}] }] } },
    'The NetworkPolicy "np" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer'],
  ["bad cidr", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np" }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/33" } }] }] } },
    'The NetworkPolicy "np" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
  ["except outside cidr", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np" },
    spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.1.0.0/24"] } }] }] } },
    'The NetworkPolicy "np" is invalid: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`'],
  ["ingress pathType", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "ing" },
    spec: { rules: [{ host: "a.example.com", http: { paths: [{ path: "/", backend: { service: { name: "web", port: { number: 80 } } } }] } }] } },
    'The Ingress "ing" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
  ["ingress without port", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "ing" },
    spec: { rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web" } } }] } }] } },
    'The Ingress "ing" is invalid: spec.rules[0].http.paths[0].backend: Required value: port name or number is required'],
  ["ingress without rules", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "ing" }, spec: {} },
    'The Ingress "ing" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
  ["ingress IP host", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "ing" },
    spec: { rules: [{ host: "10.0.0.1", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] } },
    'The Ingress "ing" is invalid: spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
  ["ingress class controller", { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: {} },
    'The IngressClass "nginx" is invalid: spec.controller: Required value'],
  ["rolebinding roleRef kind", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "rb" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Roles", name: "r" }, subjects: [{ kind: "ServiceAccount", name: "default" }] },
    'The RoleBinding "rb" is invalid: roleRef.kind: Unsupported value: "Roles": supported values: "Role", "ClusterRole"'],
  ["role without verbs", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: [] }] },
    'The Role "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value'],
  ["peer authentication mode", { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default" }, spec: { mtls: { mode: "strict" } } },
    'The PeerAuthentication "default" is invalid: spec.mtls.mode: Unsupported value: "strict": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"'],
  ["pvc without storage", { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c" }, spec: { accessModes: ["ReadWriteOnce"] } },
    'The PersistentVolumeClaim "c" is invalid: spec.resources[storage]: Required value'],
  ["pv without source", { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"] } },
    'The PersistentVolume "pv" is invalid: spec: Required value: must specify a volume type'],
];

describe.each([
  ["Pod", podCases],
  ["Service", serviceCases],
  ["workloads", workloadCases],
  ["other kinds", otherCases],
] as const)("%s validation", (_group, cases) => {
  it.each(cases)("%s", (_name, obj, text) => {
    const { store } = newCluster();
    expect(errorText(() => store.create(obj))).toBe(text);
  });
});

describe("update validation", () => {
  it("keeps workload selectors immutable", () => {
    const { store } = newCluster();
    store.create(deployment("d"));
    expect(errorText(() => store.patch("Deployment", "default", "d", { spec: { selector: { matchLabels: { app: "e" } }, template: { metadata: { labels: { app: "e" } } } } }))).toBe(
      'The Deployment "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"e"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it("locks immutable ConfigMaps and Secret types", () => {
    const { store } = newCluster();
    store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" }, immutable: true });
    expect(errorText(() => store.patch("ConfigMap", "default", "c", { data: { a: "2" } }))).toBe(
      "The ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
    );
    store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" } });
    expect(errorText(() => store.patch("Secret", "default", "s", { type: "kubernetes.io/basic-auth", data: { username: "YQ==" } }))).toBe(
      'The Secret "s" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    );
  });

  it("forbids changing a binding's roleRef", () => {
    const { store } = newCluster();
    store.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "rb" }, roleRef: { kind: "Role", name: "a" } });
    expect(errorText(() => store.patch("RoleBinding", "default", "rb", { roleRef: { name: "b" } }))).toBe(
      'The RoleBinding "rb" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
    );
  });
});
