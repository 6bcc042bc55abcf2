const BASE = "http://netlab.invalid";

/** Where sign-in and sign-up lead when the visitor came from nowhere in particular. */
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

/**
 * The `?next=` destination if it is a path on this site, else DEFAULT_AFTER_SIGN_IN: never an
 * absolute or protocol-relative URL (`//evil.example`, `/\evil.example`), so the sign-in page
 * cannot be used to bounce a learner to another site, and never the auth pages themselves.
 */
export function safeNextPath(value: string | string[] | undefined | null): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== BASE || /^\/(signin|signup)(\/|$)/.test(url.pathname)) return DEFAULT_AFTER_SIGN_IN;
  return url.pathname + url.search + url.hash;
}
