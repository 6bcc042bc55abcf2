/**
 * Istio 1.24's fixed numbers and names: the proxy's ports and uid, the images, the labels and
 * annotations injection reads and writes. One place, so the injector, istio-init's rules, the
 * proxy and istioctl agree.
 */

export const ISTIO_VERSION = "1.24.2";
export const PROXY_IMAGE = `docker.io/istio/proxyv2:${ISTIO_VERSION}`;
export const PILOT_IMAGE = `docker.io/istio/pilot:${ISTIO_VERSION}`;

export const ISTIO_NAMESPACE = "istio-system";
export const TRUST_DOMAIN = "cluster.local";

/** The uid and gid the sidecar runs as; istio-init's rules exempt its traffic by them. */
export const PROXY_UID = 1337;

/** Envoy's listeners: outbound capture, inbound capture, HBONE, health, merged metrics, Envoy's stats, admin. */
export const PORTS = Object.freeze({ outbound: 15001, inbound: 15006, hbone: 15008, health: 15021, agentMetrics: 15020, stats: 15090, admin: 15000, dns: 15053 });

/** The source address the inbound sidecar connects to the application from (istio-iptables exempts it). */
export const INBOUND_PASSTHROUGH_SOURCE = "127.0.0.6";

/** Where the injected sidecar finds istiod's root certificate (the istiod-ca-cert volume). */
export const ROOT_CERT_PATH = "/var/run/secrets/istio/root-cert.pem";

/** A workload certificate's lifetime (istiod's default `DEFAULT_WORKLOAD_CERT_TTL`: 24 h). */
export const WORKLOAD_CERT_TTL_MS = 24 * 3600_000;
/** The self-signed root's lifetime (istiod's `CITADEL_SELF_SIGNED_CA_CERT_TTL`: 10 years). */
export const ROOT_CERT_TTL_MS = 3650 * 24 * 3600_000;

export const LABELS = Object.freeze({
  injection: "istio-injection",
  revision: "istio.io/rev",
  podInject: "sidecar.istio.io/inject",
  tlsMode: "security.istio.io/tlsMode",
  canonicalName: "service.istio.io/canonical-name",
  canonicalRevision: "service.istio.io/canonical-revision",
});

/** The ConfigMap whose presence means the injector webhook is installed (istiod reads its template from it). */
export const INJECTOR_CONFIGMAP = "istio-sidecar-injector";
/** istiod's self-signed CA, as istiod stores it. */
export const CA_SECRET = "istio-ca-secret";
/** The root certificate istiod publishes to every namespace. */
export const ROOT_CONFIGMAP = "istio-ca-root-cert";
