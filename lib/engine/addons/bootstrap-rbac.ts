// The RBAC the apiserver's bootstrap policy and kubeadm create: the user-facing ClusterRoles
// (cluster-admin, admin, edit, view), discovery roles, and the bindings that make the
// kubeadm admin (`kubeadm:cluster-admins`, since v1.29) and `system:masters` cluster admins.
const READ = "[get, list, watch]";
const WRITE = "[create, delete, deletecollection, patch, update]";
const READ_WRITE = "[get, list, watch, create, delete, deletecollection, patch, update]";

export function bootstrapRbacManifests(): string {
  const labels = "  labels:\n    kubernetes.io/bootstrapping: rbac-defaults\n";
  return `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-admin
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
- nonResourceURLs: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: admin
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}rules:
- apiGroups: [""]
  resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy, services, services/proxy, endpoints, persistentvolumeclaims, configmaps, secrets, serviceaccounts, replicationcontrollers, replicationcontrollers/scale, events]
  verbs: ${READ_WRITE}
- apiGroups: [apps]
  resources: [deployments, deployments/scale, deployments/rollback, replicasets, replicasets/scale, daemonsets, statefulsets, statefulsets/scale, controllerrevisions]
  verbs: ${READ_WRITE}
- apiGroups: [networking.k8s.io]
  resources: [ingresses, networkpolicies]
  verbs: ${READ_WRITE}
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: ${READ_WRITE}
- apiGroups: [""]
  resources: [namespaces]
  verbs: ${READ}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edit
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}rules:
- apiGroups: [""]
  resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy, services, services/proxy, endpoints, persistentvolumeclaims, configmaps, secrets, serviceaccounts, replicationcontrollers, replicationcontrollers/scale]
  verbs: ${WRITE}
- apiGroups: [apps]
  resources: [deployments, deployments/scale, deployments/rollback, replicasets, replicasets/scale, daemonsets, statefulsets, statefulsets/scale]
  verbs: ${WRITE}
- apiGroups: [networking.k8s.io]
  resources: [ingresses, networkpolicies]
  verbs: ${WRITE}
- apiGroups: ["", apps, networking.k8s.io]
  resources: [pods, services, endpoints, persistentvolumeclaims, configmaps, serviceaccounts, replicationcontrollers, events, deployments, replicasets, daemonsets, statefulsets, ingresses, networkpolicies, namespaces]
  verbs: ${READ}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: view
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}rules:
- apiGroups: [""]
  resources: [pods, pods/log, pods/status, services, services/status, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, configmaps, serviceaccounts, replicationcontrollers, replicationcontrollers/scale, replicationcontrollers/status, events, namespaces, namespaces/status, limitranges, resourcequotas, bindings]
  verbs: ${READ}
- apiGroups: [apps]
  resources: [deployments, deployments/scale, deployments/status, replicasets, replicasets/scale, replicasets/status, daemonsets, daemonsets/status, statefulsets, controllerrevisions]
  verbs: ${READ}
- apiGroups: [networking.k8s.io]
  resources: [ingresses, ingresses/status, networkpolicies]
  verbs: ${READ}
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: ${READ}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:discovery
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}rules:
- nonResourceURLs: [/api, /api/*, /apis, /apis/*, /healthz, /livez, /openapi, /openapi/*, /readyz, /version, /version/]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:basic-user
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}rules:
- apiGroups: [authorization.k8s.io]
  resources: [selfsubjectaccessreviews, selfsubjectrulesreviews]
  verbs: [create]
- apiGroups: [authentication.k8s.io]
  resources: [selfsubjectreviews]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-admin
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:masters
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kubeadm:cluster-admins
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: kubeadm:cluster-admins
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:discovery
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:discovery
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:authenticated
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:basic-user
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "true"
${labels}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:basic-user
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:authenticated
`;
}
