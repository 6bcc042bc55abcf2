import { describe, expect, it } from "vitest";
import { hasRole, requireRole, roleForNewAccount, type Viewer } from "@/lib/auth";

const as = (role: "learner" | "instructor" | "admin"): Viewer => ({ learnerId: crypto.randomUUID(), account: { email: `${role}@x.io`, displayName: null, role } });
const guest: Viewer = { learnerId: crypto.randomUUID(), account: null };

describe("roles", () => {
  it("ranks learner < instructor < admin", () => {
    expect(hasRole(as("learner"), "instructor")).toBe(false);
    expect(hasRole(as("instructor"), "instructor")).toBe(true);
    expect(hasRole(as("admin"), "instructor")).toBe(true);
    expect(hasRole(as("instructor"), "admin")).toBe(false);
    expect(hasRole(guest, "learner")).toBe(false);
  });

  it("answers 401 to guests and 403 to a role too low, and lets the rest through", async () => {
    const anonymous = requireRole(guest, "learner");
    expect(anonymous.ok).toBe(false);
    if (!anonymous.ok) expect(anonymous.response.status).toBe(401);
    const low = requireRole(as("learner"), "admin");
    expect(low.ok).toBe(false);
    if (!low.ok) {
      expect(low.response.status).toBe(403);
      expect(await low.response.json()).toEqual({ error: "this needs the admin role" });
    }
    const viewer = as("admin");
    expect(requireRole(viewer, "instructor")).toEqual({ ok: true, account: viewer.account, learnerId: viewer.learnerId });
  });

  it("makes emails listed in NETLAB_ADMIN_EMAILS admins at sign-up", () => {
    expect(roleForNewAccount("boss@example.org", " Boss@Example.org , other@x.io")).toBe("admin");
    expect(roleForNewAccount("other@x.io", "boss@example.org,other@x.io")).toBe("admin");
    expect(roleForNewAccount("someone@example.org", "boss@example.org")).toBe("learner");
    expect(roleForNewAccount("someone@example.org", "")).toBe("learner");
  });
});
