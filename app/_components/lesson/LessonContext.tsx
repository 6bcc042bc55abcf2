"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { PublicExercise, PublicQuestion } from "@/lib/content/public";
import type { ScenarioSpecInput } from "@/lib/terminal/protocol";

export type { PublicExercise, PublicQuestion };

/**
 * What a lesson's interactive components (`<Exercise id/>`, `<Quiz/>`, `<Diagram/>` in the MDX)
 * need to know about the lesson they sit in. Only public data: checks, solutions, answers and
 * explanations stay on the server.
 */
export interface LessonContextValue {
  slug: string;
  /** The built-in scenario the lesson's cluster starts from, its seed and its scenario.yaml. */
  scenario: string;
  seed: number;
  spec?: ScenarioSpecInput;
  /** The IndexedDB key of the lesson's terminal session (`lesson:<slug>`). */
  sessionKey: string;
  exercises: PublicExercise[];
  quiz: PublicQuestion[];
}

const LessonContext = createContext<LessonContextValue | null>(null);

export function LessonProvider({ value, children }: { value: LessonContextValue; children: ReactNode }) {
  return <LessonContext.Provider value={value}>{children}</LessonContext.Provider>;
}

/** The lesson around the calling component, or null outside a lesson page (e.g. a test harness). */
export function useLesson(): LessonContextValue | null {
  return useContext(LessonContext);
}
