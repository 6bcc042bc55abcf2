-- CreateEnum
CREATE TYPE "Role" AS ENUM ('LEARNER', 'INSTRUCTOR', 'ADMIN');

-- AlterTable
ALTER TABLE "learner" ADD COLUMN "email" TEXT,
ADD COLUMN "display_name" TEXT,
ADD COLUMN "password_hash" TEXT,
ADD COLUMN "role" "Role" NOT NULL DEFAULT 'LEARNER';

-- CreateTable
CREATE TABLE "session" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "learner_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "exercise_attempt" (
    "id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "lesson_slug" TEXT NOT NULL,
    "exercise_id" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "outcomes" JSONB NOT NULL,
    "failed_checks" TEXT[],
    "scenario" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "transcript_hash" TEXT NOT NULL,
    "transcript_size" INTEGER NOT NULL,
    "replay_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exercise_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quiz_attempt" (
    "id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "lesson_slug" TEXT NOT NULL,
    "answers" JSONB NOT NULL,
    "correct" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quiz_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cohort" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "join_code" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cohort_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cohort_member" (
    "cohort_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cohort_member_pkey" PRIMARY KEY ("cohort_id","learner_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "learner_email_key" ON "learner"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_hash_key" ON "session"("token_hash");

-- CreateIndex
CREATE INDEX "session_learner_id_idx" ON "session"("learner_id");

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

-- CreateIndex
CREATE INDEX "exercise_attempt_learner_id_lesson_slug_exercise_id_idx" ON "exercise_attempt"("learner_id", "lesson_slug", "exercise_id");

-- CreateIndex
CREATE INDEX "exercise_attempt_learner_id_created_at_idx" ON "exercise_attempt"("learner_id", "created_at");

-- CreateIndex
CREATE INDEX "quiz_attempt_learner_id_lesson_slug_idx" ON "quiz_attempt"("learner_id", "lesson_slug");

-- CreateIndex
CREATE INDEX "quiz_attempt_learner_id_created_at_idx" ON "quiz_attempt"("learner_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "cohort_join_code_key" ON "cohort"("join_code");

-- CreateIndex
CREATE INDEX "cohort_owner_id_idx" ON "cohort"("owner_id");

-- CreateIndex
CREATE INDEX "cohort_member_learner_id_idx" ON "cohort_member"("learner_id");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exercise_attempt" ADD CONSTRAINT "exercise_attempt_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quiz_attempt" ADD CONSTRAINT "quiz_attempt_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_learner_id_fkey" FOREIGN KEY ("learner_id") REFERENCES "learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;
