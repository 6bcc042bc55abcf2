import { cookies } from "next/headers";
import { isLearnerId, LEARNER_COOKIE } from "./guest";

/** The current visitor's learner id from their cookie, or null when they have none yet. */
export async function currentLearnerId(): Promise<string | null> {
  const value = (await cookies()).get(LEARNER_COOKIE)?.value;
  return isLearnerId(value) ? value : null;
}
