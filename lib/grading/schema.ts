import { z } from "zod";

/** A text expectation on command output or file content. */
const TextMatch = z.union([
  z.strictObject({ equals: z.string() }),
  z.strictObject({ contains: z.string() }),
  z.strictObject({ matches: z.string() }),
  z.strictObject({ notContains: z.string() }),
  /**
   * Equal to what a read-only command prints on the same node when the check runs: for answers
   * only this cluster knows, such as a PID, a container ID or a namespace inode.
   */
  z.strictObject({ equalsOutputOf: z.string().min(1) }),
]);

const Common = { description: z.string().optional() };

/** The cluster has an object (by name, or at least one matching a selector) whose fields match. */
const ObjectCheck = z.strictObject({
  ...Common,
  object: z.strictObject({
    kind: z.string(),
    namespace: z.string().optional(),
    name: z.string().optional(),
    selector: z.string().optional(),
  }),
  /** Dotted paths (`spec.replicas`, `spec.template.spec.containers[0].image`) and their values. */
  fields: z.record(z.string(), z.unknown()).optional(),
});

/** No object of that kind and name (or selector) exists. */
const AbsentCheck = z.strictObject({
  ...Common,
  absent: z.strictObject({ kind: z.string(), namespace: z.string().optional(), name: z.string().optional(), selector: z.string().optional() }),
});

/** How many objects match; pods can be restricted to a phase and to ready ones. */
const CountCheck = z.strictObject({
  ...Common,
  count: z.strictObject({
    kind: z.string(),
    namespace: z.string().optional(),
    selector: z.string().optional(),
    fieldSelector: z.string().optional(),
    phase: z.string().optional(),
    ready: z.boolean().optional(),
    /** Every matching pod on a different node (a DaemonSet's signature). */
    distinctNodes: z.boolean().optional(),
  }),
  equals: z.number().int().nonnegative().optional(),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
});

/** A read-only command run in a fresh login shell on a node, and what it must print. */
const CommandCheck = z.strictObject({
  ...Common,
  command: z.string(),
  host: z.string().optional(),
  exitCode: z.number().int().optional(),
  stdout: TextMatch.optional(),
});

/** A file on a node and what it must contain. */
const FileCheck = z.strictObject({
  ...Common,
  file: z.strictObject({ host: z.string().optional(), path: z.string() }),
  content: TextMatch.optional(),
});

export type Check =
  | z.infer<typeof ObjectCheck>
  | z.infer<typeof AbsentCheck>
  | z.infer<typeof CountCheck>
  | z.infer<typeof CommandCheck>
  | z.infer<typeof FileCheck>
  | { description?: string; all: Check[] }
  | { description?: string; any: Check[] };

export const CheckSchema: z.ZodType<Check> = z.lazy(() =>
  z.union([
    ObjectCheck,
    AbsentCheck,
    CountCheck,
    CommandCheck,
    FileCheck,
    z.strictObject({ ...Common, all: z.array(CheckSchema).min(1) }),
    z.strictObject({ ...Common, any: z.array(CheckSchema).min(1) }),
  ]),
);

export type TextMatch = z.infer<typeof TextMatch>;
