import { z } from "zod";

/** A node of the scenario's cluster. Names and addresses are what `kubectl get nodes -o wide` shows. */
const NodeSpec = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lowercase RFC 1123 label"),
  role: z.enum(["control-plane", "worker"]),
  ip: z.ipv4(),
  labels: z.record(z.string(), z.string()).default({}),
  /** Extra taints beyond the control-plane one kubeadm adds. */
  taints: z.array(z.object({
    key: z.string(),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
  })).default([]),
  /** kubeadm taints the control plane; single-node labs remove the taint so pods can run there. */
  schedulable: z.boolean().optional(),
}).strict();

const CniSpec = z.object({
  plugin: z.enum(["bridge", "flannel", "calico"]),
  /** flannel: vxlan | host-gw; calico: ipip | ipip-cross-subnet | vxlan | vxlan-cross-subnet | none. */
  backend: z.enum(["vxlan", "host-gw", "ipip", "ipip-cross-subnet", "vxlan-cross-subnet", "none"]).optional(),
  wireguard: z.boolean().default(false),
}).strict();

/** A positive Go duration (`8760h0m0s`, `90m`). */
const GO_DURATION = /^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;

export const ScenarioSpec = z.object({
  name: z.string().min(1),
  description: z.string().default(""),
  kubernetesVersion: z.string().regex(/^v1\.32\.\d+$/).default("v1.32.4"),
  /** When the cluster was created (RFC 3339); the virtual clock starts a few minutes later. */
  createdAt: z.iso.datetime().default("2026-01-12T08:52:00Z"),
  runtime: z.enum(["containerd", "docker"]).default("containerd"),
  nodes: z.array(NodeSpec).min(1),
  network: z.object({
    nodeCidr: z.cidrv4().default("172.30.1.0/24"),
    podCidr: z.cidrv4(),
    serviceCidr: z.cidrv4().default("10.96.0.0/12"),
    clusterDomain: z.string().default("cluster.local"),
  }).strict(),
  cni: CniSpec,
  /** Whether NetworkPolicy objects are enforced (calico yes; flannel and bridge alone, no). */
  networkPolicy: z.boolean().optional(),
  kubeProxy: z.object({ mode: z.enum(["iptables", "ipvs"]).default("iptables") }).strict().default({ mode: "iptables" }),
  addons: z.array(z.enum(["coredns", "metrics-server", "ingress-nginx", "istio", "nfs-server"])).default(["coredns"]),
  /**
   * kubeadm's ClusterConfiguration (v1beta4) fields the PKI follows: how long the certificates
   * `kubeadm init` signs are valid (Go durations; kubeadm's defaults 8760h and 87600h). A short
   * period makes a cluster whose certificates expire while the learner works.
   */
  kubeadm: z.object({
    certificateValidityPeriod: z.string().regex(GO_DURATION, "must be a Go duration such as 8760h0m0s").optional(),
    caCertificateValidityPeriod: z.string().regex(GO_DURATION, "must be a Go duration such as 87600h0m0s").optional(),
  }).strict().optional(),
  /** Manifests applied once the cluster is up, as one multi-document YAML string. */
  manifests: z.string().default(""),
  /**
   * What broke before the learner arrived, done once at boot right after the manifests are
   * applied (so their pods meet it): files removed from a node's disk, such as a CNI
   * configuration. Part of the boot, so every fork starts with it and no transcript shows it.
   */
  setup: z.array(z.object({
    node: z.string(),
    remove: z.array(z.string().regex(/^\/./, "must be an absolute path to a file")).min(1),
  }).strict()).default([]),
}).strict();

export type ScenarioSpec = z.infer<typeof ScenarioSpec>;
export type ScenarioInput = z.input<typeof ScenarioSpec>;
export type NodeSpec = z.infer<typeof NodeSpec>;
