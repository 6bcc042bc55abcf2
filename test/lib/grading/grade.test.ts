import { describe, expect, it, vi } from "vitest";
import { findExercise, GraderBusyError, gradeSubmission, LESSON_SEED, TIME_LIMIT_MESSAGE, transcriptDigest, type ExerciseTarget, type GradingJob, type GradingResult } from "@/lib/grading";

async function target(): Promise<ExerciseTarget> {
  const found = await findExercise("cluster-anatomy", "map-the-control-plane");
  if ("error" in found) throw new Error(found.error);
  return found;
}
const session = (entries = [{ line: "hostname", elapsedMs: 1200 }]) => ({ scenario: "three-node-flannel", seed: LESSON_SEED, entries });

describe("findExercise", () => {
  it("finds the exercise with its check, its lesson's cluster and what completes the lesson", async () => {
    const t = await target();
    expect(t.cluster).toEqual({ scenario: "three-node-flannel", seed: LESSON_SEED });
    expect(t.check).toMatchObject({ all: [{ file: { path: "/root/scheduler-node.txt" } }, { file: { path: "/root/static-pod-path.txt" } }] });
    expect(t.requirements).toEqual({ exerciseIds: ["map-the-control-plane", "stop-a-kubelet", "scheduler-outage", "scheduler-restored"], hasQuiz: true });
  });

  it("names what does not exist", async () => {
    expect(await findExercise("nope", "x")).toEqual({ error: 'no lesson named "nope"' });
    expect(await findExercise("cluster-anatomy", "nope")).toEqual({ error: 'lesson "cluster-anatomy" has no exercise "nope"' });
  });
});

describe("gradeSubmission", () => {
  it("sends the lesson's cluster, the entries and the check to the grader, and reports the verdict", async () => {
    const t = await target();
    const run = vi.fn<(job: GradingJob) => Promise<GradingResult>>(async () => ({ ok: true, verdict: { passed: false, outcomes: [{ description: "a", passed: true }, { description: "b", passed: false, detail: "no" }] }, replayMs: 42 }));
    const graded = await gradeSubmission(t, session(), run);
    expect(run).toHaveBeenCalledWith({ cluster: t.cluster, entries: session().entries, check: t.check, limitMs: 2000 });
    expect(graded).toEqual({
      ok: true,
      passed: false,
      outcomes: [{ description: "a", passed: true }, { description: "b", passed: false, detail: "no" }],
      failedChecks: ["b"],
      scenario: "three-node-flannel",
      seed: LESSON_SEED,
      transcriptHash: transcriptDigest(session().entries).hash,
      transcriptSize: transcriptDigest(session().entries).size,
      replayMs: 42,
    });
  });

  it("never grades a session from another cluster", async () => {
    const run = vi.fn();
    for (const other of [{ ...session(), scenario: "single-node" }, { ...session(), seed: 2 }]) {
      expect(await gradeSubmission(await target(), other, run)).toMatchObject({ ok: false, status: 409 });
    }
    expect(run).not.toHaveBeenCalled();
  });

  it("answers 422 past the time limit, 503 when the grader is busy, 500 (without details) when it fails", async () => {
    const t = await target();
    expect(await gradeSubmission(t, session(), async () => ({ ok: false, reason: "time-limit", replayMs: 2001 }))).toEqual({ ok: false, status: 422, error: TIME_LIMIT_MESSAGE });
    expect(TIME_LIMIT_MESSAGE).toBe("Your session took too long to replay (over 2 s). Reset the lesson's cluster and try again.");
    expect(await gradeSubmission(t, session(), async () => Promise.reject(new GraderBusyError()))).toEqual({ ok: false, status: 503, error: "The grader is busy. Try again in a few seconds." });
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failed = await gradeSubmission(t, session(), async () => Promise.reject(new Error("the grading worker stopped (exit code 1) at /srv/secret.js")));
    expect(failed).toMatchObject({ ok: false, status: 500 });
    expect(JSON.stringify(failed)).not.toContain("secret");
    expect(quiet).toHaveBeenCalled();
    quiet.mockRestore();
  });
});
