// The database: opening it (embedded PGlite or PostgreSQL), migrating it, and the queries the
// app needs. Server-only: never import this from a client component or from lib/engine.
export { openDatabase, getDatabase, getPrisma, type Database, type OpenOptions } from "./client";
export { applyMigrations, type SqlConnection, type MigrationResult } from "./migrate";
export { DatabaseUnavailableError } from "./errors";
export { lessonStatuses, markLessonStarted, refreshLessonCompletion, QUIZ_PASS_SCORE, type ProgressStatus, type Db, type LessonRequirements } from "./progress";
export { findLearnerIdentity, findCredentials, createAccount, mergeGuestInto, EmailTakenError, insertSession, findSession, supersedeSession, deleteSession, deleteExpiredSessions, lockedUntil, countThrottled, clearThrottle, type AccountRecord, type NewAccount, type SessionRecord, type ThrottlePolicy } from "./accounts";
export { recordExerciseAttempt, exerciseStatuses, type NewExerciseAttempt, type ExerciseStatus, type AttemptOutcome } from "./attempts";
export type { PrismaClient } from "./generated/client";
export { quizHistory, recordQuizAttempt, type QuizAttemptInput, type QuizHistory } from "./quiz";
export { learnerDashboard, progressSummaries, recentActivity, type Activity, type CourseLesson, type Dashboard, type LessonSummary, type ProgressDay } from "./dashboard";
export { cohortTable, createCohort, deleteCohort, formatJoinCode, joinCohort, leaveCohort, listCohorts, listMemberships, memberName, normalizeJoinCode, JOIN_CODE_ALPHABET, type CohortListItem, type CohortMemberRow, type CohortTable, type Membership } from "./cohorts";
export { changeRole, listAccounts, ACCOUNT_ROLES, type AccountRole, type AccountRow, type Actor, type RoleChange } from "./admin";
