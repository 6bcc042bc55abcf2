// The CNI layer's public face: the pod network behind the kubelet's seam, Calico's datastore
// (what calicoctl reads) and the names the plugins derive.
export { ContainerNetworking } from "./pod-network";
export { CalicoDatastore, DEFAULT_ASN, NODE_ANNOTATIONS } from "./calico/datastore";
export { caliVethName, cniChainName, workloadEndpointName } from "./names";
