/**
 * Shared fixtures for the API layer tests: a store on a fixed clock and seed, and an
 * `errorText` helper that returns what kubectl would print for a failed call.
 */
import { ApiError, ObjectStore, bootstrapAPIServer, kubectlErrorText, type KubeObject } from "@/lib/engine/api";
import { DEFAULT_EPOCH_MS, VirtualClock } from "@/lib/engine/util/clock";
import { Rng } from "@/lib/engine/util/rng";

export interface Fixture {
  store: ObjectStore;
  clock: VirtualClock;
}

/** A bootstrapped store (default namespaces, the kubernetes Service) on seed 7. */
export function newCluster(options: { seed?: number; requireServiceAccount?: boolean; bootstrap?: boolean } = {}): Fixture {
  const clock = new VirtualClock(DEFAULT_EPOCH_MS);
  const store = new ObjectStore({
    clock,
    rng: new Rng(options.seed ?? 7),
    admission: { requireServiceAccount: options.requireServiceAccount ?? false },
  });
  if (options.bootstrap !== false) bootstrapAPIServer(store, { address: "172.18.0.2" });
  return { store, clock };
}

/** Runs `fn` and returns kubectl's rendering of the ApiError it throws; fails if it does not throw one. */
export function errorText(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return kubectlErrorText(e);
    throw e;
  }
  throw new Error("expected an ApiError");
}

/** Runs `fn` and returns the ApiError it throws. */
export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

/** A minimal valid Pod. */
export function pod(name: string, extra: Partial<KubeObject> & { spec?: Record<string, unknown> } = {}): KubeObject {
  const { spec, metadata, ...rest } = extra;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...metadata },
    spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
    ...rest,
  };
}

/** A minimal valid Deployment selecting `app=<name>`. */
export function deployment(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } },
      ...spec,
    },
  };
}
