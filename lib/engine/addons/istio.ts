// Istio 1.24 as `istioctl install --set profile=minimal` leaves it: the istio-system namespace,
// istiod (Deployment, Service, ServiceAccount), the mesh config, the injector's ConfigMap (its
// presence is what turns the sidecar injection of lib/engine/mesh on), and istiod's self-signed
// CA in the istio-ca-secret Secret, made when istiod first starts (`installedAt`).
import { privateKeyPem } from "../pki";
import { CA_SECRET, INJECTOR_CONFIGMAP, ISTIO_NAMESPACE, ISTIO_VERSION, PILOT_IMAGE, PROXY_IMAGE, TRUST_DOMAIN } from "../mesh/constants";
import { meshRoot, meshRootKey } from "../mesh/identity";

/** A text as a YAML block scalar under a key indented by `indent` spaces. */
function block(text: string, indent: number): string {
  const pad = " ".repeat(indent + 2);
  return `|\n${text.trimEnd().split("\n").map((l) => pad + l).join("\n")}`;
}

/** A gateway (the demo profile's ingress and egress): Envoy in router mode, no sidecar, its Service. */
function gateway(name: string, labels: { istio: string; component: string }, serviceType: string, ports: [string, number, number][]): string {
  return `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}-service-account
  namespace: ${ISTIO_NAMESPACE}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ISTIO_NAMESPACE}
  labels:
    app: ${name}
    istio: ${labels.istio}
    operator.istio.io/component: ${labels.component}
spec:
  type: ${serviceType}
  selector:
    app: ${name}
    istio: ${labels.istio}
  ports:
${ports.map(([n, port, target]) => `  - name: ${n}\n    port: ${port}\n    targetPort: ${target}\n    protocol: TCP`).join("\n")}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ISTIO_NAMESPACE}
  labels:
    app: ${name}
    istio: ${labels.istio}
    operator.istio.io/component: ${labels.component}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
      istio: ${labels.istio}
  template:
    metadata:
      labels:
        app: ${name}
        istio: ${labels.istio}
        sidecar.istio.io/inject: "false"
        service.istio.io/canonical-name: ${name}
        service.istio.io/canonical-revision: latest
    spec:
      serviceAccountName: ${name}-service-account
      containers:
      - name: istio-proxy
        image: ${PROXY_IMAGE}
        args: [proxy, router, --domain, $(POD_NAMESPACE).svc.cluster.local, --proxyLogLevel=warning, --proxyComponentLogLevel=misc:error, --log_output_level=default:info]
        env:
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: SERVICE_ACCOUNT
          valueFrom:
            fieldRef:
              fieldPath: spec.serviceAccountName
        ports:
        - containerPort: 15021
          protocol: TCP
        - containerPort: 15090
          name: http-envoy-prom
          protocol: TCP
        volumeMounts:
        - name: istiod-ca-cert
          mountPath: /var/run/secrets/istio
      volumes:
      - name: istiod-ca-cert
        configMap:
          name: istio-ca-root-cert
`;
}

/** The gateways the demo profile adds to istiod. */
export function istioGatewayManifests(): string {
  return [
    gateway("istio-ingressgateway", { istio: "ingressgateway", component: "IngressGateways" }, "LoadBalancer", [["status-port", 15021, 15021], ["http2", 80, 8080], ["https", 443, 8443]]),
    gateway("istio-egressgateway", { istio: "egressgateway", component: "EgressGateways" }, "ClusterIP", [["http2", 80, 8080], ["https", 443, 8443]]),
  ].join("---\n");
}

export function istioManifests(opts: { installedAt: number }): string {
  const root = meshRoot(opts.installedAt);
  const key = privateKeyPem(meshRootKey(root));
  const labels = `    app: istiod
    install.operator.istio.io/owning-resource: unknown
    istio: pilot
    istio.io/rev: default
    operator.istio.io/component: Pilot
    release: istio`;
  return `
apiVersion: v1
kind: Namespace
metadata:
  name: ${ISTIO_NAMESPACE}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: istiod
  namespace: ${ISTIO_NAMESPACE}
  labels:
${labels}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: ${ISTIO_NAMESPACE}
  labels:
    install.operator.istio.io/owning-resource: unknown
    istio.io/rev: default
    operator.istio.io/component: Pilot
    release: istio
data:
  mesh: ${block(`defaultConfig:
  discoveryAddress: istiod.${ISTIO_NAMESPACE}.svc:15012
defaultProviders:
  metrics:
  - prometheus
enablePrometheusMerge: true
rootNamespace: ${ISTIO_NAMESPACE}
trustDomain: ${TRUST_DOMAIN}`, 2)}
  meshNetworks: 'networks: {}'
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${INJECTOR_CONFIGMAP}
  namespace: ${ISTIO_NAMESPACE}
  labels:
    install.operator.istio.io/owning-resource: unknown
    istio.io/rev: default
    operator.istio.io/component: Pilot
    release: istio
data:
  config: ${block(`defaultTemplates: [sidecar]
policy: enabled
alwaysInjectSelector:
  []
neverInjectSelector:
  []
injectedAnnotations:`, 2)}
  values: ${block(`{"global":{"hub":"docker.io/istio","tag":"${ISTIO_VERSION}","proxy":{"image":"proxyv2","includeIPRanges":"*","excludeIPRanges":"","includeInboundPorts":"*","statusPort":15020},"proxy_init":{"image":"proxyv2"}},"sidecarInjectorWebhook":{"enableNamespacesByDefault":false,"rewriteAppHTTPProbe":true}}`, 2)}
---
apiVersion: v1
kind: Secret
metadata:
  name: ${CA_SECRET}
  namespace: ${ISTIO_NAMESPACE}
type: istio.io/ca-root
stringData:
  ca-cert.pem: ${block(root.pem, 2)}
  ca-key.pem: ${block(key, 2)}
  cert-chain.pem: ""
  key.pem: ""
  root-cert.pem: ""
---
apiVersion: v1
kind: Service
metadata:
  name: istiod
  namespace: ${ISTIO_NAMESPACE}
  labels:
${labels}
spec:
  selector:
    app: istiod
    istio: pilot
  ports:
  - name: grpc-xds
    port: 15010
    protocol: TCP
  - name: https-dns
    port: 15012
    protocol: TCP
  - name: https-webhook
    port: 443
    targetPort: 15017
    protocol: TCP
  - name: http-monitoring
    port: 15014
    protocol: TCP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod
  namespace: ${ISTIO_NAMESPACE}
  labels:
${labels}
spec:
  replicas: 1
  selector:
    matchLabels:
      istio: pilot
  template:
    metadata:
      labels:
        app: istiod
        istio: pilot
        istio.io/rev: default
        sidecar.istio.io/inject: "false"
      annotations:
        prometheus.io/port: "15014"
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: istiod
      containers:
      - name: discovery
        image: ${PILOT_IMAGE}
        args:
        - discovery
        - --monitoringAddr=:15014
        - --log_output_level=default:info
        - --domain
        - cluster.local
        - --keepaliveMaxServerConnectionAge
        - 30m
        ports:
        - containerPort: 8080
          protocol: TCP
        - containerPort: 15010
          protocol: TCP
        - containerPort: 15017
          protocol: TCP
        env:
        - name: REVISION
          value: default
        - name: PILOT_CERT_PROVIDER
          value: istiod
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: CLUSTER_ID
          value: Kubernetes
        resources:
          requests:
            cpu: 500m
            memory: 2048Mi
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop: [ALL]
          readOnlyRootFilesystem: true
          runAsNonRoot: true
`;
}
