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
  const host = firstValue(request.headers.get("x-forwarded-host")) ?? request.headers.get("host");
  const origin = request.headers.get("origin");
  const allowed = origin !== null
    ? host !== null && originHost(origin) === host.toLowerCase()
    : request.headers.get("sec-fetch-site") === "same-origin";
  return allowed ? null : Response.json({ error: "cross-site request refused" }, { status: 403 });
}

function firstValue(header: string | null): string | null {
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
