// NetworkPolicy's public face: the semantics decided from the API objects (decide.ts, the
// reference), the view of pods and namespaces they read (model.ts), and the policies as Calico
// converts them (calico.ts), which Felix renders into iptables and calicoctl prints.
export { decideConnection, peerMatches, policyTypesOf, selectsPod, type ConnectionDecision, type PolicyEndpoint, type SideDecision, type Traffic } from "./decide";
export { podEndpoint, policyView, type PodEndpoint, type PolicyView } from "./model";
export { byFelixOrder, calicoSelector, DEFAULT_TIER, inPeer, KNP_ORDER, peerSetSelector, toCalicoPolicy, type CalicoPolicy, type CalicoPort, type CalicoRule, type Protocol } from "./calico";
