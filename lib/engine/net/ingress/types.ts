/**
 * The configuration ingress-nginx builds from the API objects (its `ingress.Configuration`):
 * servers by host, each with its locations, the upstreams they proxy to, and the certificates
 * chosen by SNI. Plain frozen data: the routing decision, the generated nginx.conf and the
 * proxy all read this one model.
 *
 * @example
 * const model = buildModel(objects);        // from Ingresses, IngressClasses, Services, slices, Secrets
 * route(model, "foo.bar.com", "/bar/x");    // { server: "foo.bar.com", location: { path: "/bar/", … } }
 */

/** The path types of networking.k8s.io/v1. */
export type PathType = "Exact" | "Prefix" | "ImplementationSpecific";

/** How nginx matches one `location`: `= /x`, a plain prefix `/x`, or a case-insensitive regex `~* "^/x"`. */
export type LocationKind = "exact" | "prefix" | "regex";

/** Where a location sends its requests: a Service port's upstream, or the controller's own 404. */
export interface Upstream {
  /** ingress-nginx's upstream name: `namespace-service-port` (`upstream-default-backend` for the 404). */
  name: string;
  namespace: string;
  service: string;
  /** The Service port as the Ingress names it (number or name). */
  port: number | string;
  /** The ready endpoints (`ip:port`), sorted; empty: nginx answers 503. */
  endpoints: readonly string[];
}

/** One nginx `location` of a server. */
export interface Location {
  kind: LocationKind;
  /** The path as nginx's location has it (`/foo/` for a Prefix `/foo`). */
  path: string;
  /** The path as the Ingress wrote it, and its type. */
  ingressPath: string;
  pathType: PathType;
  /** The Ingress it came from (`namespace/name`); undefined for a server's default `/`. */
  ingress?: { namespace: string; name: string };
  upstream: string;
  /** `nginx.ingress.kubernetes.io/rewrite-target`. */
  rewriteTarget?: string;
  /** `ssl-redirect: "false"` turns off the HTTP → HTTPS redirect for the Ingress's locations. */
  sslRedirect: boolean;
  /** `allowlist-source-range` (or its old name): CIDRs; undefined allows all. */
  allow?: readonly string[];
  /** This location is the server's default `/` (not written by any Ingress path). */
  isDefault: boolean;
}

/** A certificate as the proxy presents it: the Secret it came from and what a client sees of it. */
export interface ServingCertificate {
  /** `namespace/name` of the kubernetes.io/tls Secret, or undefined for the fake certificate. */
  secret?: string;
  subject: string;
  issuer: string;
  names: readonly string[];
  selfSigned: boolean;
}

/** One nginx `server`: a host (`_` the catch-all) and its locations, in nginx.conf order. */
export interface Server {
  host: string;
  locations: readonly Location[];
  /** The host is listed in an Ingress's `tls` with a usable Secret: HTTPS, and HTTP redirects to it. */
  tls?: ServingCertificate;
  /** Some path of the host uses regular expressions (`use-regex` or `rewrite-target` on one of its Ingresses). */
  regex: boolean;
}

/** An Ingress the controller skipped, and why (the controller's log says it). */
export interface Skipped {
  ingress: string;
  reason: string;
}

export interface IngressModel {
  /** Servers in nginx.conf order: `_` first, then hosts sorted. */
  servers: readonly Server[];
  upstreams: ReadonlyMap<string, Upstream>;
  /** The Ingresses this controller serves (`namespace/name`), oldest first. */
  ingresses: readonly string[];
  skipped: readonly Skipped[];
}

/** The IngressClass controller value ingress-nginx answers to (`--controller-class`). */
export const CONTROLLER_CLASS = "k8s.io/ingress-nginx";
/** `--ingress-class`: the annotation value (`kubernetes.io/ingress.class`) it also takes. */
export const INGRESS_CLASS = "nginx";
/** The upstream of the controller's own default backend (nginx answering 404 itself). */
export const DEFAULT_UPSTREAM = "upstream-default-backend";
/** The catch-all server's name. */
export const CATCH_ALL = "_";
/** The self-signed certificate ingress-nginx makes at start and serves when no Secret matches. */
export const FAKE_CERTIFICATE_CN = "Kubernetes Ingress Controller Fake Certificate";
