// ingress-nginx's configuration and its nginx: the model built from the API objects, the routing
// decision, the generated nginx.conf, the proxy the controller pods run, and the state on
// `cluster.network.ingress` (see CONTEXT.md).
export { IngressNginx, type IngressStore } from "./controller";
export { IngressStatusSync } from "./status";
export { startIngressNginx } from "./start";
export { buildModel, isOurs, upstreamName } from "./model";
export { route, chooseLocation, normalizePath, ServerIndex, type Route } from "./route";
export { renderNginxConf } from "./nginx-conf";
export { proxyRequest, nginxErrorPage, type Proxied, type ProxyPlace } from "./proxy";
export { certificateOfSecret, certificateCovers, fakeCertificate } from "./certificate";
export * from "./types";
