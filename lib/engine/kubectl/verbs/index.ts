/**
 * The core kubectl verbs, one module each: reading (`get`, `describe`), writing (`create`,
 * `apply`, `replace`, `patch`, `delete`), workloads (`run`, `expose`, `scale`, `set`),
 * attaching (`attach`, which `run -i` uses too) and metadata (`label`, `annotate`, `taint`). The operations verbs (rollout, logs, exec, config, …) live
 * in `./ops`; the kubectl command takes both lists.
 *
 * @example
 * kubectlCommand({ cluster, runtime, verbs: [...coreVerbs, ...operationsVerbs] });
 */
import type { KubectlVerb } from "../types";
import { annotateVerb } from "./annotate";
import { apiResourcesVerb } from "./api-resources";
import { apiVersionsVerb } from "./api-versions";
import { applyVerb } from "./apply";
import { attachVerb } from "./attach";
import { createVerb } from "./create";
import { deleteVerb } from "./delete";
import { describeVerb } from "./describe";
import { editVerb } from "./edit";
import { explainVerb } from "./explain";
import { exposeVerb } from "./expose";
import { getVerb } from "./get";
import { labelVerb } from "./label";
import { patchVerb } from "./patch";
import { replaceVerb } from "./replace";
import { runVerbSpec } from "./run";
import { scaleVerb } from "./scale";
import { setVerb } from "./set";
import { taintVerb } from "./taint";

/** Every core verb. */
export const coreVerbs: readonly KubectlVerb[] = [annotateVerb, apiResourcesVerb, apiVersionsVerb, applyVerb, attachVerb, createVerb, deleteVerb, describeVerb, editVerb, explainVerb, exposeVerb, getVerb, labelVerb, patchVerb, replaceVerb, runVerbSpec, scaleVerb, setVerb, taintVerb];
