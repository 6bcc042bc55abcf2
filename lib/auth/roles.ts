import type { Role, Viewer } from "./viewer";

const rank: Record<Role, number> = { learner: 0, instructor: 1, admin: 2 };

/** True when the viewer is signed in with at least `role` (an admin can do what an instructor can). */
export function hasRole(viewer: Viewer, role: Role): viewer is Viewer & { account: NonNullable<Viewer["account"]> } {
  return viewer.account !== null && rank[viewer.account.role] >= rank[role];
}

export type RoleCheck = { ok: true; account: NonNullable<Viewer["account"]>; learnerId: string } | { ok: false; response: Response };

/**
 * Lets a route handler go on only for a signed-in viewer with at least `role`: 401 when not
 * signed in, 403 when the role is too low.
 *
 * @example
 * const allowed = requireRole(await getViewer(), "instructor");
 * if (!allowed.ok) return allowed.response;
 */
export function requireRole(viewer: Viewer, role: Role): RoleCheck {
  if (!viewer.account || !viewer.learnerId) return { ok: false, response: Response.json({ error: "sign in required" }, { status: 401 }) };
  if (!hasRole(viewer, role)) return { ok: false, response: forbidden(`this needs the ${role} role`) };
  return { ok: true, account: viewer.account, learnerId: viewer.learnerId };
}

/** A 403 answer in the shape every route uses ({ error }). */
export function forbidden(message = "forbidden"): Response {
  return Response.json({ error: message }, { status: 403 });
}

/**
 * The role a new account starts with: admin for emails listed in NETLAB_ADMIN_EMAILS
 * (comma-separated, any case), learner otherwise.
 */
export function roleForNewAccount(email: string, adminEmails = process.env.NETLAB_ADMIN_EMAILS ?? ""): Role {
  const admins = adminEmails.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean);
  return admins.includes(email.toLowerCase()) ? "admin" : "learner";
}
