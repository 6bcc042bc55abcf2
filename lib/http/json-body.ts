import type { z } from "zod";

export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/** A request body judged: the typed data, or the 4xx to answer and why. */
export type ParsedBody<T> = { ok: true; data: T } | { ok: false; status: 400 | 413; error: string };

/**
 * Reads and validates a JSON request body without trusting its size or shape: too large → 413,
 * not JSON → 400, wrong shape → 400 naming the field. Handlers then work on typed data.
 */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes: number): Promise<BodyResult<T>> {
  const parsed = parseJsonBody(await readBodyText(request, maxBytes), schema, maxBytes);
  return parsed.ok ? parsed : fail(parsed.status, parsed.error);
}

/**
 * Judges a body already read (null: it was larger than `maxBytes`). Shared by route handlers and
 * the Node handlers the production server runs before Next (lib/http/node.ts).
 */
export function parseJsonBody<T>(text: string | null, schema: z.ZodType<T>, maxBytes: number): ParsedBody<T> {
  if (text === null) return { ok: false, status: 413, error: `request body is larger than ${maxBytes} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: "request body is not valid JSON" };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join(".") : "body";
    return { ok: false, status: 400, error: `${where}: ${issue.message}` };
  }
  return { ok: true, data: parsed.data };
}

/** The request body as text, or null when it is larger than `maxBytes` (the rest is not read). */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export function fail(status: number, message: string): { ok: false; response: Response } {
  return { ok: false, response: Response.json({ error: message }, { status }) };
}
