/**
 * Refuses cross-site requests to state-changing routes (CSRF). Browsers send `Origin` with every
 * POST/PUT/PATCH/DELETE; it must name this site's host — the `Host` the request was sent to, or
 * the first `X-Forwarded-Host` when a reverse proxy forwarded it. Without an Origin, only
 * `Sec-Fetch-Site: same-origin` (sent by the browser, not settable by scripts) is accepted.
 * Returns the 403 answer to send, or null when the request may go on.
 *
 * @example
 * const refused = assertSameOrigin(request);
 * if (refused) return refused;
 */
export function assertSameOrigin(request: Request): Response | null {
  return isSameOrigin((name) => request.headers.get(name)) ? null : Response.json({ error: CROSS_SITE }, { status: 403 });
}

export const CROSS_SITE = "cross-site request refused";

/** The rule above over any header source (`header` answers a lower-case name's value). */
export function isSameOrigin(header: (name: string) => string | null | undefined): boolean {
  const host = firstValue(header("x-forwarded-host")) ?? header("host") ?? null;
  const origin = header("origin");
  return origin != null ? host !== null && originHost(origin) === host.toLowerCase() : header("sec-fetch-site") === "same-origin";
}

function firstValue(header: string | null | undefined): string | null {
  const first = header?.split(",")[0].trim();
  return first || null;
}

/** The host (with port) an Origin names; null for `null` and anything that is not a URL. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
