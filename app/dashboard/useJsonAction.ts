"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

export interface JsonAction {
  /** Sends the request; on success refreshes the page's server data (unless told not to) and resolves to the JSON answer (null for 204). */
  send: (method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown) => Promise<{ ok: true; data: unknown } | { ok: false }>;
  pending: boolean;
  /** The server's message for the last failed request, ready to show in a role="alert". */
  error: string | null;
}

/**
 * Calls one of the app's JSON route handlers from a form or button and re-renders the server
 * components around it once it succeeds. Errors come back as the server's own words
 * (`{ error }`), or a plain sentence when the network failed.
 */
export function useJsonAction({ refresh = true }: { refresh?: boolean } = {}): JsonAction {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [refreshing, startTransition] = useTransition();

  const send: JsonAction["send"] = async (method, url, body) => {
    setSending(true);
    setError(null);
    try {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data: unknown = response.status === 204 ? null : await response.json().catch(() => null);
      if (!response.ok) {
        const message = (data as { error?: unknown } | null)?.error;
        setError(typeof message === "string" ? message : `The server answered ${response.status}. Try again.`);
        return { ok: false };
      }
      if (refresh) startTransition(() => router.refresh());
      return { ok: true, data };
    } catch {
      setError("Could not reach netlab. Check your connection and try again.");
      return { ok: false };
    } finally {
      setSending(false);
    }
  };

  return { send, pending: sending || refreshing, error };
}
