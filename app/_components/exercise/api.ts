/**
 * What the exercise routes answer, and the calls the `Exercise` component makes to them. The
 * routes build these shapes; the browser only ever sends what the learner ran.
 */
import type { ExerciseStatus } from "@/lib/db";
import type { CheckOutcome } from "@/lib/grading";
import type { TranscriptEntry } from "@/lib/terminal/protocol";

export type { CheckOutcome, ExerciseStatus };

/** What a Check sends: the cluster the terminal runs, and every input it ran. */
export interface CheckRequest {
  scenario: string;
  seed: number;
  entries: readonly TranscriptEntry[];
}

/** POST /api/lessons/[slug]/exercises/[id]/check: the server's verdict on the learner's session. */
export interface CheckResponse {
  passed: boolean;
  outcomes: CheckOutcome[];
  /** Whether the lesson is completed now (every exercise passed and the quiz done). */
  lessonCompleted: boolean;
}

/** GET /api/lessons/[slug]/exercises: the caller's own status per exercise they have attempted. */
export interface ExerciseStatusResponse {
  exercises: Record<string, ExerciseStatus>;
}

const statusRequests = new Map<string, Promise<ExerciseStatusResponse>>();

/**
 * The caller's status on the lesson's exercises. Every exercise on the page asks as it mounts;
 * they share the request while it is in flight.
 */
export function loadExerciseStatus(slug: string): Promise<ExerciseStatusResponse> {
  let pending = statusRequests.get(slug);
  if (!pending) {
    pending = request<ExerciseStatusResponse>(`/api/lessons/${encodeURIComponent(slug)}/exercises`, { cache: "no-store" });
    statusRequests.set(slug, pending);
    const forget = () => void statusRequests.delete(slug);
    pending.then(forget, forget);
  }
  return pending;
}

/** Sends the session to be replayed and graded on the server; resolves with the verdict. */
export function checkExercise(slug: string, exerciseId: string, session: CheckRequest): Promise<CheckResponse> {
  return request(`/api/lessons/${encodeURIComponent(slug)}/exercises/${encodeURIComponent(exerciseId)}/check`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(session),
  });
}

/** Fetches JSON; a failed request throws an Error carrying the server's one-sentence message. */
async function request<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  throw new Error(typeof body?.error === "string" ? body.error : `the server answered ${response.status}`);
}
