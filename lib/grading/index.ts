// Exercise checks: a declarative language over the cluster (objects, counts, commands, files),
// evaluated through the engine's public contract. Server-side replay arrives with issue 5.
export { CheckSchema, type Check, type TextMatch } from "./schema";
export { evaluateCheck, type CheckOutcome, type Verdict } from "./evaluate";
