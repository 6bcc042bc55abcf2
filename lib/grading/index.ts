// Exercise checks: a declarative language over the cluster (objects, counts, commands, files),
// evaluated through the engine's public contract. Server-only.
export { CheckSchema, type Check, type TextMatch } from "./schema";
export { evaluateCheck, type CheckOutcome, type Verdict } from "./evaluate";
// Verified grading: a submitted transcript replayed on the lesson's cluster in a worker thread,
// under limits, then the exercise's check (see CONTEXT.md).
export { findExercise, gradeSubmission, TIME_LIMIT_MESSAGE, type ExerciseTarget, type Graded, type Refused } from "./grade";
export { SubmissionSchema, GRADING_LIMITS, transcriptDigest, type Submission } from "./submission";
export { lessonCluster, clusterOptions, LESSON_SEED, type LessonCluster } from "./lesson-cluster";
export { runGradingJob, cpuBudget, type GradingJob, type GradingResult, type Clocks } from "./job";
export { CheckpointCache, CHECKPOINT_LIMITS, prefixKeys, replaySession, type Checkpoint, type CheckpointLimits, type ReplayedSession } from "./checkpoints";
export { GradingPool, gradingPool, GraderBusyError, type PoolOptions } from "./pool";
// Quizzes: answers validated against quiz.yaml and graded here, never in the browser.
export { gradeQuiz, normalizeShortAnswer, quizSubmissionSchema, storedAnswers, QUIZ_BODY_LIMIT, type QuestionResult, type QuizAnswer, type QuizAnswers, type QuizGrade } from "./quiz";
