import { describe, expect, it } from "vitest";
import { SignInRequest, SignUpRequest } from "@/lib/auth/credentials";

const firstIssue = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error && `${result.error.issues[0].path.join(".")}: ${result.error.issues[0].message}`;

describe("sign-up and sign-in bodies", () => {
  it("normalises the email (trimmed, lower-case) and a blank display name", () => {
    expect(SignUpRequest.parse({ email: "  Ada@Example.ORG ", password: "0123456789", displayName: "   " }))
      .toEqual({ email: "ada@example.org", password: "0123456789", displayName: null });
    expect(SignUpRequest.parse({ email: "a@b.io", password: "0123456789", displayName: " Ada " }).displayName).toBe("Ada");
  });

  it("counts password length in characters: 10 to 200", () => {
    expect(firstIssue(SignUpRequest.safeParse({ email: "a@b.io", password: "123456789" }))).toBe("password: must be at least 10 characters");
    expect(SignUpRequest.safeParse({ email: "a@b.io", password: "🔑".repeat(10) }).success).toBe(true);
    expect(SignUpRequest.safeParse({ email: "a@b.io", password: "x".repeat(200) }).success).toBe(true);
    expect(firstIssue(SignUpRequest.safeParse({ email: "a@b.io", password: "x".repeat(201) }))).toBe("password: must be at most 200 characters");
  });

  it("names the field that is missing or wrong", () => {
    expect(firstIssue(SignUpRequest.safeParse({ password: "0123456789" }))).toBe("email: is required");
    expect(firstIssue(SignUpRequest.safeParse({ email: "  ", password: "0123456789" }))).toBe("email: is required");
    expect(firstIssue(SignUpRequest.safeParse({ email: "a@b.io", password: "" }))).toBe("password: is required");
    expect(firstIssue(SignUpRequest.safeParse({ email: "not-an-email", password: "0123456789" }))).toBe("email: must be an email address");
    expect(firstIssue(SignInRequest.safeParse({ email: "a@b.io", password: 5 }))).toBe("password: must be a string");
    expect(firstIssue(SignInRequest.safeParse({ email: "a@b.io", password: "" }))).toBe("password: is required");
    expect(SignInRequest.safeParse({ email: "a@b.io", password: "x", admin: true }).success).toBe(false);
  });
});
