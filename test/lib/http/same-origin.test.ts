import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "@/lib/http";

const post = (headers: Record<string, string>) => new Request("http://netlab.test/api/x", { method: "POST", headers });

describe("assertSameOrigin", () => {
  it("lets through a request whose Origin names the Host it was sent to", () => {
    expect(assertSameOrigin(post({ host: "netlab.test", origin: "http://netlab.test" }))).toBeNull();
    expect(assertSameOrigin(post({ host: "localhost:3100", origin: "http://localhost:3100" }))).toBeNull();
  });

  it("uses the forwarded host behind a reverse proxy", () => {
    expect(assertSameOrigin(post({ host: "127.0.0.1:3000", "x-forwarded-host": "learn.example.org", origin: "https://learn.example.org" }))).toBeNull();
  });

  it("accepts Sec-Fetch-Site: same-origin when there is no Origin", () => {
    expect(assertSameOrigin(post({ host: "netlab.test", "sec-fetch-site": "same-origin" }))).toBeNull();
  });

  it.each([
    ["another site's Origin", { host: "netlab.test", origin: "https://evil.example" }],
    ["another port", { host: "netlab.test", origin: "http://netlab.test:8080" }],
    ["Origin: null (sandboxed frames, some redirects)", { host: "netlab.test", origin: "null" }],
    ["no Origin, cross-site fetch metadata", { host: "netlab.test", "sec-fetch-site": "cross-site" }],
    ["no Origin, same-site but not same-origin", { host: "netlab.test", "sec-fetch-site": "same-site" }],
    ["neither header", { host: "netlab.test" }],
  ])("refuses %s with 403", async (_, headers) => {
    const refused = assertSameOrigin(post(headers));
    expect(refused?.status).toBe(403);
    expect(await refused?.json()).toEqual({ error: "cross-site request refused" });
  });
});
