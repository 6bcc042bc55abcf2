"use client";

import { useEffect, useRef } from "react";

/**
 * Records that the visitor opened a lesson. The lesson page itself is static, so this is the
 * one request that ties the visit to the learner (the guest cookie is set by proxy.ts).
 */
export function MarkStarted({ slug }: { slug: string }) {
  const sentFor = useRef<string | null>(null);

  useEffect(() => {
    if (sentFor.current === slug) return; // once per lesson, even under Strict Mode's re-run
    sentFor.current = slug;
    fetch("/api/progress", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lesson: slug, status: "started" }),
      credentials: "same-origin",
      keepalive: true,
    }).catch(() => {
      // Progress is a convenience; a failed write must not disturb reading.
    });
  }, [slug]);

  return null;
}
