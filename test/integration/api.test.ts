// The JSON API: same rules as the forms, the documented error shape, tokens.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let askerToken: string, helperToken: string, bystanderToken: string;
let tagId: number;

async function createToken(visitor: Visitor, name: string): Promise<string> {
  const res = await visitor.post("/me/settings", { intent: "create-token", name });
  const token = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error(`no token in settings response: ${textOf(res.body).slice(0, 300)}`);
  return token;
}

function call(method: string, url: string, opts: { token?: string; body?: unknown; raw?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers["Content-Type"] = opts.type ?? "application/json";
  return fetch(`${server.url}${url}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(typeof body.error.fields).toBe("object");
  return body.error;
}

beforeAll(async () => {
  server = await startServer();
  const [asker, helper, bystander] = [new Visitor(server.url), new Visitor(server.url), new Visitor(server.url)];
  await join(asker, aMember("asker"));
  await join(helper, aMember("helper"));
  await join(bystander, aMember("bystander"));
  [askerToken, helperToken, bystanderToken] = [await createToken(asker, "script"), await createToken(helper, "script"), await createToken(bystander, "script")];
  const tags = (await (await call("GET", "/api/v1/threads")).json()) as { threads: unknown[] };
  expect(tags.threads).toEqual([]);
  tagId = 1;
});
afterAll(async () => {
  await server?.stop();
});

describe("documentation", () => {
  it("documents every API route in docs/API.md", () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/API.md"), "utf8");
    const routes = fs.readdirSync(path.resolve(import.meta.dirname, "../../app/routes")).filter((f) => f.startsWith("api.v1."));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const file of routes) {
      const route =
        "/" +
        file
          .replace(/\.tsx?$/, "")
          .split(".")
          .map((p) => (p.startsWith("$") ? `:${p.slice(1)}` : p))
          .join("/");
      expect(doc, `${file} → ${route}`).toContain(route);
    }
  });
});

describe("threads over the API", () => {
  let threadId: number;
  let replyId: number;

  it("refuses writes without a caller, and bad tokens", async () => {
    await expectError(await call("POST", "/api/v1/threads", { body: {} }), 401, "unauthenticated");
    await expectError(await call("POST", "/api/v1/threads", { body: {}, token: "pnt_forged" }), 401, "invalid_token");
    await expectError(await call("GET", "/api/v1/threads", { token: "pnt_forged" }), 401, "invalid_token");
  });

  it("validates like the form, field by field", async () => {
    const err = await expectError(
      await call("POST", "/api/v1/threads", { token: askerToken, body: { title: "Hi", body: "", tagIds: [] } }),
      400,
      "invalid_input",
    );
    expect(err.fields).toMatchObject({ title: expect.stringContaining("at least 8"), body: expect.any(String), tagIds: expect.any(String) });
    await expectError(await call("POST", "/api/v1/threads", { token: askerToken, raw: "{not json" }), 400, "invalid_json");
    await expectError(await call("POST", "/api/v1/threads", { token: askerToken, raw: "[1,2]" }), 400, "invalid_json");
    await expectError(await call("POST", "/api/v1/threads", { token: askerToken, raw: "title=x", type: "text/plain" }), 415, "unsupported_media_type");
    await expectError(
      await call("POST", "/api/v1/threads", { token: askerToken, body: { title: "An announcement!", body: "x", kind: "announcement", tagIds: [tagId] } }),
      400,
      "invalid_input",
    );
  });

  it("creates, lists and reads a thread", async () => {
    const res = await call("POST", "/api/v1/threads", {
      token: askerToken,
      body: { title: "Best way to label graphic novels?", body: "Spine labels or *stickers*?", tagIds: [tagId] },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { thread: { id: number; url: string } };
    threadId = created.thread.id;
    expect(created.thread.url).toBe(`/t/${threadId}/best-way-to-label-graphic-novels`);
    const list = (await (await call("GET", "/api/v1/threads?kind=question&unanswered=1")).json()) as { threads: { id: number }[] };
    expect(list.threads.map((t) => t.id)).toContain(threadId);
    const one = (await (await call("GET", `/api/v1/threads/${threadId}`)).json()) as { thread: { bodyHtml: string; bodySource: string | null } };
    expect(one.thread.bodyHtml).toContain("<em>stickers</em>");
    expect(one.thread.bodySource).toBeNull();
  });

  it("replies, votes and accepts with the same rules as the pages", async () => {
    const res = await call("POST", `/api/v1/threads/${threadId}/replies`, { token: helperToken, body: { body: "Spine labels by genre." } });
    expect(res.status).toBe(201);
    replyId = ((await res.json()) as { reply: { id: number } }).reply.id;
    await expectError(await call("PUT", `/api/v1/replies/${replyId}/helpful`, { token: helperToken }), 403, "forbidden");
    expect(await (await call("PUT", `/api/v1/replies/${replyId}/helpful`, { token: bystanderToken })).json()).toEqual({ helpful: true, helpfulCount: 1 });
    expect(await (await call("PUT", `/api/v1/replies/${replyId}/helpful`, { token: bystanderToken })).json()).toEqual({ helpful: true, helpfulCount: 1 });
    await expectError(await call("PUT", `/api/v1/threads/${threadId}/accept`, { token: bystanderToken, body: { replyId } }), 403, "forbidden");
    await expectError(await call("PUT", `/api/v1/threads/${threadId}/accept`, { token: askerToken, body: { replyId: "x" } }), 400, "invalid_input");
    expect(await (await call("PUT", `/api/v1/threads/${threadId}/accept`, { token: askerToken, body: { replyId } })).json()).toEqual({
      acceptedReplyId: replyId,
    });
    const one = (await (await call("GET", `/api/v1/threads/${threadId}`)).json()) as { acceptedReplyId: number };
    expect(one.acceptedReplyId).toBe(replyId);
    expect(await (await call("DELETE", `/api/v1/threads/${threadId}/accept`, { token: askerToken })).json()).toEqual({ acceptedReplyId: null });
  });

  it("keeps TARGET replies private", async () => {
    const res = await call("POST", "/api/v1/threads", {
      token: askerToken,
      body: { title: "TARGET: makerspace budgets", body: "Reply privately", kind: "target", tagIds: [tagId] },
    });
    const target = ((await res.json()) as { thread: { id: number } }).thread.id;
    const reply = await call("POST", `/api/v1/threads/${target}/replies`, { token: helperToken, body: { body: "API-SECRET: $500 a year" } });
    const privateId = ((await reply.json()) as { reply: { id: number; isPrivate: boolean } }).reply;
    expect(privateId.isPrivate).toBe(true);
    for (const token of [bystanderToken, undefined]) {
      const text = await (await call("GET", `/api/v1/threads/${target}`, { token })).text();
      expect(text).not.toContain("API-SECRET");
      expect(JSON.parse(text).hiddenPrivateReplies).toBe(1);
    }
    expect(await (await call("GET", `/api/v1/threads/${target}`, { token: askerToken })).text()).toContain("API-SECRET");
    // Which private reply the asker accepted stays private too.
    await call("PUT", `/api/v1/threads/${target}/accept`, { token: askerToken, body: { replyId: privateId.id } });
    const listed = ((await (await call("GET", "/api/v1/threads?kind=target")).json()) as { threads: { id: number; answered: boolean }[] }).threads;
    expect(listed.find((t) => t.id === target)?.answered).toBe(false);
    expect(
      ((await (await call("GET", `/api/v1/threads/${target}`, { token: bystanderToken })).json()) as { thread: { answered: boolean } }).thread.answered,
    ).toBe(false);
    await expectError(await call("PUT", `/api/v1/replies/${privateId.id}/helpful`, { token: bystanderToken }), 404, "not_found");
    expect(await (await call("GET", "/api/v1/threads?kind=target")).text()).not.toContain("API-SECRET");
  });

  it("answers unknown things with JSON errors", async () => {
    await expectError(await call("GET", "/api/v1/threads/999999"), 404, "not_found");
    await expectError(await call("GET", "/api/v1/threads/abc"), 404, "not_found");
    await expectError(await call("GET", "/api/v1/nothing-here"), 404, "not_found");
    await expectError(await call("DELETE", "/api/v1/threads", { token: askerToken }), 405, "method_not_allowed");
    await expectError(await call("POST", `/api/v1/threads/${threadId}/replies`, { token: askerToken, body: { body: "" } }), 400, "invalid_input");
    await expectError(await call("POST", "/api/v1/threads/999999/replies", { token: askerToken, body: { body: "hello" } }), 404, "not_found");
  });

  it("stops accepting a revoked token", async () => {
    const visitor = new Visitor(server.url);
    await join(visitor, aMember("revoker"));
    const token = await createToken(visitor, "temporary");
    expect((await call("POST", `/api/v1/threads/${threadId}/replies`, { token, body: { body: "works" } })).status).toBe(201);
    const settings = await visitor.get("/me/settings");
    const tokenId = /name="tokenId" value="([0-9a-f]{64})"/.exec(settings.body)![1];
    expect(textOf((await visitor.post("/me/settings", { intent: "revoke-token", tokenId })).body)).toContain("Token revoked.");
    await expectError(await call("POST", `/api/v1/threads/${threadId}/replies`, { token, body: { body: "no" } }), 401, "invalid_token");
    expect(settings.body).not.toContain(token);
  });
});
