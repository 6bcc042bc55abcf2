/**
 * netlab's cluster engine: a deterministic Kubernetes that runs in a browser worker and on the
 * server. This file is its public face (DESIGN §2).
 *
 * @example
 * import { createCluster } from "@/lib/engine";
 * const cluster = createCluster({ scenario: "three-node-calico", seed: 7 });
 * const sh = cluster.shell();
 * const { stdout, stderr, exitCode } = await sh.run("kubectl get pods -A -o wide");
 * sh.complete("kubectl get po", 14);
 */
export { createCluster, forkCluster, type ClusterHandle, type ClusterFork, type CreateClusterOptions, type Shell } from "./engine";
export { InterruptedError } from "./util/interrupt";
export { loadScenario, ScenarioError, SCENARIO_NAMES, type ScenarioSpec, type ScenarioInput } from "./scenarios";
export { isIncomplete, type InputResult, type RunResult, type Completion } from "./shell";
export { resourceForKind, type ResourceInfo } from "./api";
export { replayTranscript, clampElapsed, MAX_ELAPSED_MS, type TranscriptEntry, type ScreenSize, type ReplayOptions, type ReplayResult } from "./replay";
export { clusterView, type ClusterView, type NodeView, type PodView, type ServiceView, type EndpointView, type TraceView, type TraceHopView, type TraceOutcome } from "./view";
