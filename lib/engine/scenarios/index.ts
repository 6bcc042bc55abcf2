// Scenarios: the cluster a lesson or the playground starts from, as validated data.
export { loadScenario, ScenarioError, SCENARIO_NAMES } from "./load";
export { ScenarioSpec, type ScenarioInput, type NodeSpec } from "./schema";
