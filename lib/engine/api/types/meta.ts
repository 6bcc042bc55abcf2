/**
 * The shapes every API object shares (`metav1`): ObjectMeta, owner references, label
 * selectors and conditions. Objects are plain JSON records, exactly what `kubectl get -o json`
 * shows, so the kubectl layer can print them without conversion.
 *
 * @example
 * const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } };
 */

/** `metav1.OwnerReference`, stored exactly as given; the garbage collector reads it. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** `metav1.ObjectMeta`. Timestamps are RFC 3339 strings with second precision, as served. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  /** Null inside pod templates, where Go serializes the zero time. */
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Any object the store holds. Kind modules narrow it (`Pod`, `Service`, …). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** An object as the store returns it: frozen, with its system fields filled in. */
export type Stored<T extends KubeObject = KubeObject> = Readonly<T> & {
  readonly metadata: Readonly<ObjectMeta> & { readonly name: string; readonly uid: string; readonly resourceVersion: string };
};

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** `metav1.LabelSelector` (`matchLabels` AND `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** The condition shape shared by most status blocks. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown" | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  lastUpdateTime?: string;
  lastHeartbeatTime?: string;
  observedGeneration?: number;
}

/** `intstr.IntOrString`: a port number or name, a count or a percentage. */
export type IntOrString = number | string;

/** `core/v1.LocalObjectReference`. */
export interface LocalObjectReference {
  name?: string;
}

/** `core/v1.ObjectReference` (events, claim refs, endpoint targets). */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}
