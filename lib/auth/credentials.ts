import { z } from "zod";

/** A string field whose absence reads "is required" rather than a type error. */
const text = () => z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });

/** Trimmed and lower-cased before it is checked, stored or looked up. */
export const Email = text().trim().toLowerCase().min(1, "is required").max(254, "must be at most 254 characters").pipe(z.email("must be an email address"));

const codePoints = (s: string) => Array.from(s).length;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** 10–200 characters (counted as the person typed them, so an emoji is one), nothing else. */
export const Password = text()
  .min(1, "is required")
  .refine((s) => codePoints(s) >= PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .refine((s) => codePoints(s) <= PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

/** Optional; blank means none. */
export const DisplayName = text().trim().max(60, "must be at most 60 characters")
  .transform((s) => (s === "" ? null : s));

export const SignUpRequest = z.object({ email: Email, password: Password, displayName: DisplayName.optional() }).strict();
/** Sign-in checks only that a password was given: the rules may have changed since it was set. */
export const SignInRequest = z.object({ email: Email, password: text().min(1, "is required").max(PASSWORD_MAX * 4, "is too long") }).strict();

export type SignUp = z.infer<typeof SignUpRequest>;
export type SignIn = z.infer<typeof SignInRequest>;
