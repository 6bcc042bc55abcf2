import { z } from "zod";
import { getViewer, requireRole } from "@/lib/auth";
import { ACCOUNT_ROLES, changeRole, getPrisma } from "@/lib/db";
import { assertSameOrigin, fail, readJsonBody } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

const RoleRequest = z.strictObject({ role: z.enum(ACCOUNT_ROLES) });

/**
 * PATCH { role } — gives an account a role. Admins only; 404 for a guest or unknown id; 409
 * when it would leave the site without an admin.
 */
export async function PATCH(request: Request, { params }: Context) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const allowed = requireRole(await getViewer(), "admin");
  if (!allowed.ok) return allowed.response;
  const body = await readJsonBody(request, RoleRequest, 256);
  if (!body.ok) return body.response;
  const change = await changeRole(await getPrisma(), { learnerId: allowed.learnerId, role: allowed.account.role }, (await params).id, body.data.role);
  if (change.ok) return Response.json({ account: change.account }, { headers: { "cache-control": "private, no-store" } });
  switch (change.reason) {
    case "not-found":
      return fail(404, "no such account").response;
    case "last-admin":
      return fail(409, "this is the last admin account; make another account admin first").response;
    case "not-admin":
      return fail(403, "this needs the admin role").response;
  }
}
