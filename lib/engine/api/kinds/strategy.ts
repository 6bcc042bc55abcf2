/**
 * The per-kind registry strategy, after the apiserver's `RESTCreateStrategy` /
 * `RESTUpdateStrategy`: decoding checks, versioned defaults, create-time preparation (admission,
 * allocation, status reset), validation, generation tracking, the status subresource, graceful
 * deletion, selectable fields and the server-side table. The store runs these in upstream's
 * order; a kind module only says what is special about its kind.
 *
 * @example
 * const configMapStrategy: KindStrategy<ConfigMap> = {
 *   kind: "ConfigMap", nameValidator: nameIsDNSSubdomain,
 *   validateSpec: (cm) => validateConfigMapData(cm),
 *   table: { columns: [col("Name"), col("Data"), col("Age")], cells: (cm, now) => [...] },
 * };
 */
import type { VirtualClock } from "../../util/clock";
import type { Rng } from "../../util/rng";
import type { ClusterIPAllocator } from "../allocators/cluster-ip";
import type { NodePortAllocator } from "../allocators/node-port";
import type { TableDef } from "../tables/types";
import type { KubeObject, Stored } from "../types/meta";
import type { FieldError } from "../validation/field";
import type { NameValidator } from "../validation/meta";

/** Read access to the store, for admission and cross-object checks. */
export interface StoreReader {
  /** The object, or undefined when it does not exist. */
  find(kind: string, namespace: string | undefined, name: string): Stored | undefined;
  /** Every object of `kind`, optionally in one namespace, in key order. */
  list(kind: string, options?: { namespace?: string }): readonly Stored[];
}

/** Admission plugins that can be switched off for narrow tests. */
export interface AdmissionOptions {
  /**
   * ServiceAccount admission: reject pods whose service account does not exist (upstream's
   * `error looking up service account`). On by default, as in a real cluster; the service
   * account controller (layer 2) creates `default` in every namespace.
   */
  requireServiceAccount: boolean;
}

/** What a strategy may use while preparing a write. */
export interface StrategyContext {
  readonly reader: StoreReader;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
  readonly admission: AdmissionOptions;
  readonly dryRun: boolean;
  /** Registers an undo step (e.g. releasing an allocated IP) run if the write does not commit. */
  onRollback(undo: () => void): void;
  /** Registers a step run only once the write commits (releasing what an update dropped). */
  onCommit(action: () => void): void;
}

/** How a kind behaves in the store. Optional hooks default to "nothing special". */
export interface KindStrategy<T extends KubeObject = KubeObject> {
  readonly kind: string;
  /** Name rule used by ObjectMeta validation (`NameIsDNSSubdomain`, …). */
  readonly nameValidator: NameValidator;
  /**
   * Checks decoding would make before defaulting (base64 `data`, write-only fields folded in).
   * Throws a BadRequest ApiError, as a decode failure does upstream.
   */
  decode?(obj: T): void;
  /** Versioned defaulting (`SetDefaults_*`), applied to every object a client writes. */
  defaults?(obj: T): void;
  /** Admission and `PrepareForCreate` (status reset, allocation). May throw an ApiError. */
  prepareForCreate?(obj: T, ctx: StrategyContext): void;
  /** `PrepareForUpdate`: carry over allocated values, release what the update dropped. */
  prepareForUpdate?(obj: T, old: Stored<T>, ctx: StrategyContext): void;
  /** Everything but ObjectMeta: the kind's `Validate<Kind>` minus `ValidateObjectMeta`. */
  validateSpec?(obj: T): FieldError[];
  /** Extra update-only checks (immutable fields), appended after the spec's errors. */
  validateUpdate?(obj: T, old: Stored<T>): FieldError[];
  /**
   * Replaces the whole validation for kinds whose upstream order differs from
   * meta-then-spec (Pods re-validate ObjectMeta on update).
   */
  validateFull?(obj: T, old: Stored<T> | undefined): FieldError[];
  /** The part of the object whose change bumps `metadata.generation`; absent → no generation. */
  generationOf?(obj: T): unknown;
  /** The kind has a status subresource: plain updates keep the stored `status`. */
  readonly statusSubresource?: boolean;
  /**
   * `CheckGracefulDelete`: seconds of graceful deletion for this object (Pods). Kinds with it are
   * marked with a deletionTimestamp first even for 0s; kinds without it are removed at once.
   */
  gracePeriod?(obj: Stored<T>, requested: number | undefined): number;
  /** Finalizers kept outside `metadata.finalizers` that also hold a deleted object (a Namespace's `spec.finalizers`). */
  extraFinalizers?(obj: T): readonly string[];
  /** Releases what the object held (ClusterIPs, NodePorts) once it is gone. */
  onDeleted?(obj: Stored<T>, ctx: StrategyContext): void;
  /** Field labels a field selector may use beyond `metadata.name`/`metadata.namespace`. */
  readonly fieldLabels?: readonly string[];
  /** Values of those fields for one object (missing ones read as ""). */
  selectableFields?(obj: T): Record<string, string>;
  /** True when the kind has its own field-label conversion (changes the unsupported-field text). */
  readonly customFieldConversion?: boolean;
  readonly table: TableDef<T>;
}

/** Helper to declare a strategy with its object type checked. */
export function defineKind<T extends KubeObject>(strategy: KindStrategy<T>): KindStrategy {
  return strategy as unknown as KindStrategy;
}
