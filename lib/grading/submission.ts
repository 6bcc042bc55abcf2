/**
 * What a Check sends: the cluster the browser ran (scenario and seed, compared with the lesson's,
 * never trusted) and the transcript of what the learner typed. The limits keep one submission
 * from costing the server more than a learner's honest session ever could.
 *
 * @example
 * const body = await readJsonBody(request, SubmissionSchema, GRADING_LIMITS.bodyBytes);
 * const { hash, size } = transcriptDigest(body.data.entries);
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { clampElapsed, type TranscriptEntry } from "@/lib/engine";

export const GRADING_LIMITS = {
  /** The whole request body. */
  bodyBytes: 512 * 1024,
  /** Lines and program keys in one transcript. */
  entries: 1000,
  /** One line (a here-document included) or one batch of keys. */
  entryBytes: 16 * 1024,
  /** Time to build the cluster and replay the transcript. */
  replayMs: 2000,
} as const;

const entryText = (what: string) =>
  z.string(`expected ${what} as a string`).refine((s) => Buffer.byteLength(s, "utf8") <= GRADING_LIMITS.entryBytes, `is longer than ${GRADING_LIMITS.entryBytes / 1024} KB`);

const cells = z.number().int("expected a whole number").min(1, "expected at least 1").max(10_000, "expected at most 10000");

/** One entry on the wire: a line or keys (exactly one), with its elapsed milliseconds. */
const WireEntry = z
  .strictObject({
    line: entryText("the command line").optional(),
    keys: entryText("the keys").optional(),
    elapsedMs: z.number("expected elapsedMs, the milliseconds since the input before"),
    screen: z.strictObject({ rows: cells, columns: cells }).optional(),
  })
  .refine((e) => (e.line === undefined) !== (e.keys === undefined), "expected either line or keys")
  .refine((e) => e.line === undefined || e.screen === undefined, "screen belongs to keys, not to a line")
  .transform((e): TranscriptEntry => (e.line !== undefined ? { line: e.line, elapsedMs: e.elapsedMs } : { keys: e.keys!, elapsedMs: e.elapsedMs, ...(e.screen ? { screen: e.screen } : {}) }));

export const SubmissionSchema = z.strictObject({
  scenario: z.string("expected the scenario the terminal runs").min(1).max(200),
  seed: z.number("expected the seed the terminal's cluster was built from").int().safe(),
  entries: z
    .array(WireEntry, "expected a list of the commands you ran")
    .max(GRADING_LIMITS.entries, `a session can be checked with at most ${GRADING_LIMITS.entries} commands; reset the lesson's cluster and do the exercise again`),
});

export type Submission = z.output<typeof SubmissionSchema>;

/**
 * The transcript as the server replays it, in one canonical form (fixed key order, elapsed time
 * clamped), its SHA-256 and its size in bytes: equal digests replay to equal clusters.
 */
export function transcriptDigest(entries: readonly TranscriptEntry[]): { hash: string; size: number } {
  const canonical = JSON.stringify(entries.map(canonicalEntry));
  return { hash: createHash("sha256").update(canonical).digest("hex"), size: Buffer.byteLength(canonical, "utf8") };
}

/** An entry as the server replays it: fixed key order, elapsed time clamped. */
export function canonicalEntry(e: TranscriptEntry): TranscriptEntry {
  return "line" in e
    ? { line: e.line, elapsedMs: clampElapsed(e.elapsedMs) }
    : { keys: e.keys, elapsedMs: clampElapsed(e.elapsedMs), ...(e.screen ? { screen: { rows: e.screen.rows, columns: e.screen.columns } } : {}) };
}
