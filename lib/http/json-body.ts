import type { z } from "zod";

export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * Reads and validates a JSON request body without trusting its size or shape: too large → 413,
 * not JSON → 400, wrong shape → 400 naming the field. Handlers then work on typed data.
 */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes: number): Promise<BodyResult<T>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return fail(413, `request body is larger than ${maxBytes} bytes`);
  const text = await readLimited(request, maxBytes);
  if (text === null) return fail(413, `request body is larger than ${maxBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(400, "request body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join(".") : "body";
    return fail(400, `${where}: ${issue.message}`);
  }
  return { ok: true, data: parsed.data };
}

async function readLimited(request: Request, maxBytes: number): Promise<string | null> {
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
