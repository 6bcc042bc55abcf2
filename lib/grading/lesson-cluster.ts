/**
 * The cluster a lesson's terminal starts from: the scenario its frontmatter names, its
 * scenario.yaml when it has one, and the lesson seed. The lesson page boots the browser's
 * cluster from these, and the grader replays on exactly the same, never on what a browser says.
 *
 * @example
 * const cluster = lessonCluster(meta, await getLessonData(meta.slug));
 * createCluster(clusterOptions(cluster)); // the lesson's starting cluster
 */
import type { CreateClusterOptions } from "@/lib/engine";
import type { LessonData, LessonMeta } from "@/lib/content";

/** Every lesson's cluster starts from the same seed, so the prose can name what the learner sees. */
export const LESSON_SEED = 1;

export type ScenarioSpec = NonNullable<CreateClusterOptions["spec"]>;

export interface LessonCluster {
  /** The built-in scenario the frontmatter names. */
  scenario: string;
  seed: number;
  /** The lesson's scenario.yaml, when it says more than a name. */
  spec?: ScenarioSpec;
}

export function lessonCluster(meta: Pick<LessonMeta, "scenario">, data: Pick<LessonData, "scenario"> | null): LessonCluster {
  const spec = scenarioSpec(data?.scenario);
  return { scenario: meta.scenario, seed: LESSON_SEED, ...(spec ? { spec } : {}) };
}

/** What createCluster takes for that cluster (as the browser's worker builds it). */
export function clusterOptions(cluster: LessonCluster): CreateClusterOptions {
  return cluster.spec ? { spec: cluster.spec, seed: cluster.seed } : { scenario: cluster.scenario, seed: cluster.seed };
}

/** A lesson's scenario.yaml as the engine takes it, or nothing when it only names a built-in one. */
function scenarioSpec(file: unknown): ScenarioSpec | undefined {
  if (!file || typeof file !== "object") return undefined;
  const keys = Object.keys(file).filter((k) => k !== "name");
  return keys.length > 0 ? (JSON.parse(JSON.stringify(file)) as ScenarioSpec) : undefined;
}
