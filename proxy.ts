import { NextResponse, type NextRequest } from "next/server";
import { isLearnerId, LEARNER_COOKIE, learnerCookieOptions, newLearnerId } from "@/lib/auth/guest";

/**
 * Gives every visitor a guest learner id on their first request. The id is also written into
 * the forwarded request, so the very page that issued it already sees it.
 */
export function proxy(request: NextRequest) {
  if (isLearnerId(request.cookies.get(LEARNER_COOKIE)?.value)) return NextResponse.next();
  const id = newLearnerId();
  request.cookies.set(LEARNER_COOKIE, id);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(LEARNER_COOKIE, id, learnerCookieOptions());
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
