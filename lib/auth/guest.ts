/** The cookie that carries a guest learner's id (a random UUID, unguessable, httpOnly). */
export const LEARNER_COOKIE = "netlab_learner";

/** A year: a guest who comes back in the spring still finds their progress. */
export const LEARNER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for ids this server could have issued; anything else in the cookie is ignored. */
export function isLearnerId(value: string | undefined | null): value is string {
  return typeof value === "string" && UUID.test(value);
}

export function newLearnerId(): string {
  return crypto.randomUUID();
}

export function learnerCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: process.env.NODE_ENV === "production" && process.env.NETLAB_INSECURE_COOKIES !== "1",
    path: "/",
    maxAge: LEARNER_COOKIE_MAX_AGE,
  };
}
