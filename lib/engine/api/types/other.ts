/**
 * Networking, discovery, RBAC, storage, coordination and mesh kinds.
 *
 * @example
 * const np: NetworkPolicy = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy",
 *   metadata: { name: "deny-all" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } };
 */
import type { IntOrString, KubeObject, LabelSelector, ObjectReference } from "./meta";
import type { LoadBalancerIngress } from "./core";

export interface NetworkPolicyPort {
  protocol?: string;
  port?: IntOrString;
  endPort?: number;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicy extends KubeObject {
  spec: {
    podSelector: LabelSelector;
    ingress?: { ports?: NetworkPolicyPort[]; from?: NetworkPolicyPeer[] }[];
    egress?: { ports?: NetworkPolicyPort[]; to?: NetworkPolicyPeer[] }[];
    policyTypes?: string[];
  };
}

export interface IngressBackend {
  service?: { name: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface IngressRule {
  host?: string;
  http?: { paths: { path?: string; pathType?: string; backend: IngressBackend }[] };
}

export interface Ingress extends KubeObject {
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: IngressRule[];
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface IngressClass extends KubeObject {
  spec: {
    controller?: string;
    parameters?: { apiGroup?: string; kind: string; name: string; scope?: string; namespace?: string };
  };
}

export interface EndpointSliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
}

export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints?: EndpointSliceEndpoint[];
  ports?: { name?: string; protocol?: string; port?: number; appProtocol?: string }[];
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: { apiGroup: string; kind: string; name: string };
}

export interface StorageClass extends KubeObject {
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
}

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface PeerAuthentication extends KubeObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    mtls?: { mode?: string };
    portLevelMtls?: Record<string, { mode?: string }>;
  };
}

/** Istio's AuthorizationPolicy (`security.istio.io/v1`): the fields the proxy's RBAC filter reads. */
export interface AuthorizationPolicy extends KubeObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    action?: string;
    rules?: AuthorizationRule[];
  };
}

export interface AuthorizationRule {
  from?: { source?: { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[] } }[];
  to?: { operation?: { methods?: string[]; notMethods?: string[]; paths?: string[]; notPaths?: string[]; ports?: string[]; notPorts?: string[] } }[];
}
