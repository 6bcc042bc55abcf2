// The built-in scenarios, as YAML text in the same format a lesson's scenario.yaml uses. They
// live in a module (not .yaml files) because the engine runs in a browser worker with no file
// system; the text is parsed and validated exactly like a lesson's file.

const singleNode = `
name: single-node
description: One kubeadm node that is both control plane and worker, with the bridge CNI plugin.
nodes:
  - name: controlplane
    role: control-plane
    ip: 172.30.1.2
    schedulable: true
network:
  podCidr: 10.244.0.0/16
cni:
  plugin: bridge
`;

const threeNodeFlannel = `
name: three-node-flannel
description: A kubeadm control plane and two workers joined by flannel's VXLAN overlay.
nodes:
  - { name: controlplane, role: control-plane, ip: 172.30.1.2 }
  - { name: node01, role: worker, ip: 172.30.1.3 }
  - { name: node02, role: worker, ip: 172.30.1.4 }
network:
  podCidr: 10.244.0.0/16
cni:
  plugin: flannel
  backend: vxlan
`;

const threeNodeCalico = `
name: three-node-calico
description: A kubeadm control plane and two workers on Calico (IP-in-IP, BGP full mesh), enforcing NetworkPolicy.
nodes:
  - { name: controlplane, role: control-plane, ip: 172.30.1.2 }
  - { name: node01, role: worker, ip: 172.30.1.3 }
  - { name: node02, role: worker, ip: 172.30.1.4 }
network:
  podCidr: 192.168.0.0/16
cni:
  plugin: calico
  backend: ipip
networkPolicy: true
`;

const threeNodeBridge = `
name: three-node-bridge
description: A kubeadm control plane and two workers on the plain bridge CNI plugin with host-local IPAM and no overlay; pods on different nodes reach each other only once every node has a route to the others' pod CIDRs.
nodes:
  - { name: controlplane, role: control-plane, ip: 172.30.1.2 }
  - { name: node01, role: worker, ip: 172.30.1.3 }
  - { name: node02, role: worker, ip: 172.30.1.4 }
network:
  podCidr: 10.244.0.0/16
cni:
  plugin: bridge
`;

export const BUILTIN_SCENARIOS: Readonly<Record<string, string>> = {
  "single-node": singleNode,
  "three-node-flannel": threeNodeFlannel,
  "three-node-calico": threeNodeCalico,
  "three-node-bridge": threeNodeBridge,
};
