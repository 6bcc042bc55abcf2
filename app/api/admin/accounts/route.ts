import { getViewer, requireRole } from "@/lib/auth";
import { getPrisma, listAccounts } from "@/lib/db";
import { fail } from "@/lib/http";

/** GET ?q= — accounts (newest first), optionally matching an email or name fragment. Admins only. */
export async function GET(request: Request) {
  const allowed = requireRole(await getViewer(), "admin");
  if (!allowed.ok) return allowed.response;
  const query = new URL(request.url).searchParams.get("q") ?? "";
  if (query.length > 100) return fail(400, "q: at most 100 characters").response;
  const { accounts, total } = await listAccounts(await getPrisma(), { query });
  return Response.json({ accounts, total }, { headers: { "cache-control": "private, no-store" } });
}
