// The service mesh (Istio 1.24-shaped): sidecar injection, istio-init's capture rules, the
// sidecar proxy with mTLS between workloads, PeerAuthentication and AuthorizationPolicy,
// workload certificates from istiod's CA, and istioctl.
export { ISTIO_VERSION, PORTS, PROXY_UID } from "./constants";
export { MeshControlPlane, rootCertificatePem, startMesh } from "./control-plane";
export { certificateHash, meshRoot, meshRootKey, parseSpiffeId, principalOf, spiffeId, workloadIdentity } from "./identity";
export { injectSidecar, injectionWanted } from "./inject";
export { captureRules, parseCaptureFlags } from "./iptables";
export { authorize, peerAuthenticationMode, policiesFor, type MtlsMode, type RequestAttributes } from "./policy";
export { SidecarProxy } from "./proxy";
