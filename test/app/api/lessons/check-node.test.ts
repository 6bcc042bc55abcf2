// The Check as the production server answers it before Next (node.ts, through the fast-route
// dispatcher on a real Node HTTP server): the same answers as the route handler, and every
// request Next would treat differently handed on to Next untouched.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as checkRoute from "@/app/api/lessons/[slug]/exercises/[id]/check/route";
import { CHECK_PATH, serveCheck } from "@/app/api/lessons/[slug]/exercises/[id]/check/node";
import { LEARNER_COOKIE, SESSION_COOKIE, ROTATE_AFTER_MS } from "@/lib/auth";
import { getLessonData } from "@/lib/content";
import { GRADING_LIMITS, gradingPool, LESSON_SEED, TIME_LIMIT_MESSAGE } from "@/lib/grading";
import { readRequestText, registerFastRoute, serveFastRoute } from "@/lib/http";
import { withTestDatabase, Visitor } from "../../harness";
import { signedIn } from "../cohorts/accounts";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

const { db } = withTestDatabase();
const MAP = { slug: "cluster-anatomy", id: "map-the-control-plane" };
const PATH = `/api/lessons/${MAP.slug}/exercises/${MAP.id}/check`;
const solution = (await getLessonData(MAP.slug))!.exercises.find((e) => e.id === MAP.id)!.solution;
const session = (lines: readonly string[]) => ({ scenario: "three-node-flannel", seed: LESSON_SEED, entries: lines.map((line) => ({ line, elapsedMs: 1500 })) });

/** Requests the fast route handed on, as Next would have received them: method, path and body. */
const handedOn: { method?: string; url?: string; body: string | null }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  registerFastRoute({ method: "POST", path: CHECK_PATH, handler: serveCheck });
  server = createServer(async (request, response) => {
    if (await serveFastRoute(request, response)) return;
    handedOn.push({ method: request.method, url: request.url, body: await readRequestText(request, GRADING_LIMITS.bodyBytes) });
    response.writeHead(599).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await gradingPool().close();
});

/** The visitor's request sent to the Node server (`node`) or to the route handler (`route`). */
const fronts = {
  node: (request: Request) => viaHttp(request),
  route: (request: Request, context: { params: Promise<Record<string, string>> }) => checkRoute.POST(request, context as { params: Promise<{ slug: string; id: string }> }),
};

/** Sends `request` over HTTP/1.1 as a browser would, its Host header included (fetch sets its own). */
async function viaHttp(request: Request): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  const url = new URL(request.url);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(`${base}${url.pathname}`, { method: request.method, headers: { ...Object.fromEntries(request.headers), "content-length": String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(new Response(res.statusCode === 599 ? null : Buffer.concat(chunks), { status: res.statusCode, headers: res.headers as Record<string, string> })));
    });
    sent.on("error", reject);
    sent.end(body);
  });
}

function guest(): Visitor {
  const visitor = new Visitor();
  visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
  return visitor;
}

async function send(front: keyof typeof fronts, visitor: Visitor, init: { body?: unknown; raw?: string; headers?: Record<string, string>; path?: string } = {}) {
  const path = init.path ?? PATH;
  const [, slug, id] = /^\/api\/lessons\/([^/]+)\/exercises\/([^/]+)\/check$/.exec(path) ?? [];
  const res = await visitor.call(fronts[front], "POST", path, { body: init.body, raw: init.raw, headers: init.headers, params: { slug, id } });
  return { status: res.status, body: res.status === 599 ? null : await res.json(), cacheControl: res.headers.get("cache-control") };
}

describe("the production server's Check", () => {
  it.each<[string, { body?: unknown; raw?: string; headers?: Record<string, string>; path?: string }]>([
    ["a passing session", { body: session(solution) }],
    ["a failing session", { body: session(["kubectl get nodes"]) }],
    ["another cluster's session", { body: { ...session(solution), seed: 2 } }],
    ["a cross-site request", { body: session(solution), headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } }],
    ["no Origin but Sec-Fetch-Site: same-origin", { body: session(solution), headers: { origin: "" } }],
    ["an unknown exercise", { body: session([]), path: `/api/lessons/${MAP.slug}/exercises/nope/check` }],
    ["an unknown lesson", { body: session([]), path: "/api/lessons/nope/exercises/x/check" }],
    ["a body that is not JSON", { raw: "{ not json" }],
    ["a missing seed", { body: { scenario: "three-node-flannel", entries: [] } }],
    ["10,000 entries", { body: session(Array(10_000).fill(":")) }],
    ["a body over 512 KB", { raw: JSON.stringify(session(["x".repeat(GRADING_LIMITS.bodyBytes)])) }],
    ["a replay that runs out of time", { body: session(Array.from({ length: 4 }, (_, i) => `while true; do kubectl get pods -A; done # node ${i}`)) }],
  ])("answers %s as the route handler does", async (_name, init) => {
    const viaRoute = await send("route", guest(), init);
    const viaNode = await send("node", guest(), init);
    expect(viaNode).toEqual(viaRoute);
    expect(viaNode.status).not.toBe(599);
  });

  it("stores the attempt for the cookie's learner, and a time-out not at all", async () => {
    const visitor = guest();
    const learnerId = visitor.jar.get(LEARNER_COOKIE)!;
    const passed = await send("node", visitor, { body: session(solution) });
    expect(passed.body).toMatchObject({ passed: true, lessonCompleted: false });
    expect(passed.cacheControl).toBe("private, no-store");
    const timedOut = await send("node", visitor, { body: session(Array.from({ length: 4 }, (_, i) => `while true; do kubectl get pods -A; done # store ${i}`)) });
    expect(timedOut).toMatchObject({ status: 422, body: { error: TIME_LIMIT_MESSAGE } });
    const rows = await db().prisma.exerciseAttempt.findMany({ where: { learnerId } });
    expect(rows.map((r) => [r.exerciseId, r.passed])).toEqual([[MAP.id, true]]);
  });

  it("hands on, untouched, a request without a guest cookie or whose cookies Next would change", async () => {
    handedOn.length = 0;
    const body = JSON.stringify(session(solution));
    // No guest cookie: proxy.ts would issue one.
    expect((await send("node", new Visitor(), { raw: body })).status).toBe(599);
    // A guest cookie that names an account: the viewer gets a fresh guest id.
    const account = await signedIn(db(), "learner", "Ada");
    const stale = new Visitor();
    stale.jar.set(LEARNER_COOKIE, account.id);
    expect((await send("node", stale, { raw: body })).status).toBe(599);
    // A session due for rotation.
    const rotating = await signedIn(db(), "learner", "Grace");
    await db().prisma.session.updateMany({ where: { learnerId: rotating.id }, data: { rotatedAt: new Date(Date.now() - ROTATE_AFTER_MS - 1000) } });
    rotating.visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
    expect((await send("node", rotating.visitor, { raw: body })).status).toBe(599);
    // A session that has ended.
    const ended = guest();
    ended.jar.set(SESSION_COOKIE, "A".repeat(43));
    expect((await send("node", ended, { raw: body })).status).toBe(599);
    expect(handedOn).toEqual(Array(4).fill({ method: "POST", url: PATH, body }));
  });

  it("answers a signed-in learner with a fresh session itself, as their own attempt", async () => {
    const person = await signedIn(db(), "learner", "Linus");
    person.visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
    handedOn.length = 0;
    const res = await send("node", person.visitor, { body: session(solution) });
    expect(res).toMatchObject({ status: 200, body: { passed: true } });
    expect(handedOn).toEqual([]);
    expect(await db().prisma.exerciseAttempt.count({ where: { learnerId: person.id } })).toBe(1);
  });

  it("answers 500 without details when a handler fails, and goes on serving", async () => {
    registerFastRoute({ method: "POST", path: /^\/boom$/, handler: async () => { throw new Error("secret detail"); } });
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await fetch(`${base}/boom`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"error":"internal server error"}');
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect((await send("node", guest(), { body: session(solution) })).body).toMatchObject({ passed: true });
  });
});
