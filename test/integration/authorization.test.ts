// The authorization matrix: every state-changing route (each form intent),
// every JSON API endpoint and every socket event, tried as a guest, an
// unrelated member, the author of the post the action targets, the asker of
// its thread, a moderator, an admin and a suspended member, against the real
// server. Each attempt gets a fresh fixture, so one role's allowed (and
// perhaps destructive) action never decides the next role's outcome.
//
// "deny" is precise: a guest posting a form is sent to /login; anyone else
// gets 403, or 404 for what they may not even see (a private TARGET reply);
// the API answers 401 (guests), 403 or 404 with its JSON error shape; a
// suspended member gets 403 (in the API with code "suspended") for every
// write and every API call, but may still read and manage their own account.
// "allow" means the request succeeded (2xx, or a redirect elsewhere than
// /login) and, where it is cheap to look, that it did what it says.
//
// The last describe block reads app/routes, app/web/moderation-form.server.ts
// and server/realtime.ts: a route, intent, API method or socket event added
// without a row here fails it by name.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor, type Page } from "../helpers/client";
import { boolOf, queryAll, queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

// ---------------------------------------------------------------------------
// Roles, expectations and rows
// ---------------------------------------------------------------------------

const ROLES = ["guest", "member", "author", "asker", "moderator", "admin", "suspended"] as const;
type Role = (typeof ROLES)[number];
type SignedInRole = Exclude<Role, "guest">;

/** "allow", "deny" (the precise deny for the role and kind of request), or the exact status of a deny. */
type Expect = "allow" | "deny" | number;
type Expectations = Record<Role, Expect>;

const PARTICIPANTS: Role[] = ["member", "author", "asker", "moderator", "admin"];
const SIGNED_IN: Role[] = [...PARTICIPANTS, "suspended"];
const READERS: Role[] = ["guest", ...PARTICIPANTS];
const STAFF: Role[] = ["moderator", "admin"];

/** Roles in `allowed` are allowed, the rest denied; `exact` pins some outcomes (e.g. 409, 404). */
function only(allowed: Role[], exact: Partial<Expectations> = {}): Expectations {
  const out = Object.fromEntries(ROLES.map((r) => [r, allowed.includes(r) ? "allow" : "deny"])) as Expectations;
  return { ...out, ...exact };
}

/** How the request is made: a form post (cookie session), the JSON API (bearer token), a JSON page endpoint (cookie), a socket event. */
type Via = "form" | "api" | "json" | "socket";
/** What the action is about: decides who "author" and "asker" are. For a thread, its author is also its asker. */
type Target = "thread" | "reply" | "resource" | "none";

type Account = { label: string; handle: string; email: string; password: string; id: number; client: Client; token: string };
type Owners = { asker: Account; author: Account };
type Result = { status: number; location: string | null; body: string; extra?: unknown };
type Attempt<F> = { role: Role; actor: Account | null; client: Client; owners: Owners; fx: F };
type SetupContext = { owners: Owners; actor: Account | null; role: Role };

type Row<F> = {
  name: string;
  /** The route file and intent, API file and method, or socket event this row covers. */
  covers: string;
  via: Via;
  target: Target;
  expect: Expectations;
  /** Whom the suspended member plays; by default the author (or asker) when only they, not members, are allowed. */
  suspendedAs?: "author" | "asker" | "member";
  /** "fresh": the attempt runs in a new log-in of the role's account (the action may end or switch the session). */
  session?: "main" | "fresh";
  /** An account made for this attempt (e.g. the password change logs out the account's other browsers). */
  actorFor?: (role: Role) => Promise<Account | null>;
  setup?: (c: SetupContext) => Promise<F>;
  run: (a: Attempt<F>) => Promise<Result>;
  /** Did it happen? Must be true when allowed and false when denied; undefined when there is nothing to look at. */
  effect?: (a: Attempt<F>, r: Result) => boolean | undefined | Promise<boolean | undefined>;
  /** Decides allow/deny from the answer's content (visibility rows); the status rules still apply to a 4xx. */
  judge?: (a: Attempt<F>, r: Result) => "allow" | "deny" | Promise<"allow" | "deny">;
};

function row<F>(r: Row<F>): Row<unknown> {
  return r as unknown as Row<unknown>;
}

// ---------------------------------------------------------------------------
// Server, clients, accounts
// ---------------------------------------------------------------------------

let server: RunningServer;
let tagId: number;
let otherTagId: number;
let tagSlug: string;
const acct = {} as Record<SignedInRole, Account>;
let helpers: Account[] = [];
let helperTurn = 0;
let resetTarget: Account;

const SESSION_SECRET = "matrix-session-secret-0123456789abcdef-0123456789";
/** An unsubscribe link's token, signed as the server signs it (app/lib/mail-tokens.server.ts), with the member's current token version. */
async function unsubscribeTokenFor(userId: number): Promise<string> {
  const version = Number((await one<{ v: number }>(`SELECT "unsubscribeVersion" AS v FROM "User" WHERE "id" = ?`, userId))?.v ?? 0);
  const payload = `${userId}-list-v${version}`;
  const key = crypto.createHmac("sha256", SESSION_SECRET).update("paranet-mail:unsubscribe").digest();
  return `${payload}-${crypto.createHmac("sha256", key).update(payload).digest("hex").slice(0, 20)}`;
}

let counter = 0;
const uniq = () => `${process.pid.toString(36)}x${(++counter).toString(36)}`;

let nextAddress = 1;
/**
 * A browser with its own client address (the server runs with TRUST_PROXY, so
 * X-Forwarded-For counts): the per-address limits on joins, log-ins and flags
 * then apply per browser, as they would to a community of real members.
 */
class Client extends Visitor {
  readonly address: string;
  constructor(baseUrl: string) {
    super(baseUrl);
    const n = nextAddress++;
    this.address = `10.77.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }
  override request(p: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set("X-Forwarded-For", this.address);
    return super.request(p, { ...init, headers });
  }
}

function one<T>(sql: string, ...args: unknown[]): Promise<T | undefined> {
  return queryOne<T | undefined>(server.database, sql, ...args);
}
async function count(sql: string, ...args: unknown[]): Promise<number> {
  return (await queryOne<{ n: number }>(server.database, sql, ...args)).n;
}

async function until<T>(what: string, find: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== null) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function fail(what: string, res: Page): never {
  throw new Error(`fixture: ${what} failed with ${res.status} ${res.location ?? ""} ${textOf(res.body).slice(0, 300)}`);
}

async function newMember(label: string): Promise<Account> {
  const client = new Client(server.url);
  const data = aMember(label);
  await join(client, data);
  const id = (await one<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = ?`, data.handle))!.id;
  return { label, handle: data.handle, email: data.email, password: data.password, id, client, token: "" };
}

async function login(account: Account): Promise<Client> {
  const client = new Client(server.url);
  const res = await client.post("/login", { email: account.email, password: account.password });
  if (res.status !== 302) fail(`logging in @${account.handle}`, res);
  return client;
}

async function createToken(account: Account, name = `matrix ${uniq()}`): Promise<string> {
  const res = await account.client.post("/me/settings", { intent: "create-token", name });
  const token = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(res.body)?.[1];
  if (!token) fail(`creating an API token for @${account.handle}`, res);
  return token;
}

async function setRole(account: Account, role: "member" | "moderator" | "admin") {
  const res = await acct.admin.client.post("/admin/members", { userId: String(account.id), role });
  if (res.status !== 200) fail(`making @${account.handle} ${role}`, res);
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function suspend(account: Account) {
  const res = await acct.moderator.client.post(`/u/${account.handle}`, { intent: "suspend", until: inDays(30), reason: "Repeated spam in the lists" });
  if (res.status !== 200) fail(`suspending @${account.handle}`, res);
  if (!(await one<{ s: string | null }>(`SELECT "suspendedUntil" AS s FROM "User" WHERE "id" = ?`, account.id))?.s)
    throw new Error(`@${account.handle} is not suspended`);
}

/** A new account with the role's standing, for attempts that change the account itself. */
async function throwaway(role: Role): Promise<Account | null> {
  if (role === "guest") return null;
  const account = await newMember(`tw${uniq()}`);
  if (role === "moderator" || role === "admin") await setRole(account, role);
  if (role === "suspended") await suspend(account);
  return account;
}

const helper = () => helpers[helperTurn++ % helpers.length];

/** A portfolio entry's form fields: a three-hour workshop a month ago. */
const portfolioEntry = (title: string) => ({ type: "workshop", title, startedOn: inDays(-30), quantity: "3", unit: "hours", area: "technology" });
/** A portfolio entry's owner alone may act on it (a suspended owner too: it is their record); anyone else finds no such entry, staff included. */
const ENTRY_OWNER_ONLY = {
  via: "form",
  target: "reply",
  expect: only(["author", "suspended"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
  suspendedAs: "author",
} as const;
/** A request to verify an entry of the account's, by email: its id and the token of the link mailed for it (read from the mail queue). */
async function mailedVerification(account: Account): Promise<{ id: number; token: string }> {
  const entry = await portfolioEntryOf(account);
  const address = `verifier-${uniq()}@library.example`;
  const res = await account.client.post(`/me/portfolio/entries/${entry}`, { intent: "ask-verification", verifierEmail: address, verifierName: "Val Verifier" });
  if (res.status !== 302) fail(`asking ${address} to verify`, res);
  const job = await until("the request's mail", () => one<{ message: string }>(`SELECT "message" FROM "MailJob" WHERE "toAddress" = ?`, address));
  const token = /\/verify\/([A-Za-z0-9_-]{43})/.exec(job.message)?.[1];
  if (!token) throw new Error(`no link in the mail to ${address}`);
  return { id: (await one<{ id: number }>(`SELECT "id" FROM "Verification" WHERE "entryId" = ?`, entry))!.id, token };
}
/** An entry in the account's own portfolio, added through the form; its id. */
async function portfolioEntryOf(account: Account): Promise<number> {
  const res = await account.client.post("/me/portfolio/new", portfolioEntry(`Fixture ${uniq()}`));
  const id = /\/me\/portfolio\/entries\/(\d+)/.exec(res.location ?? "")?.[1];
  if (res.status !== 302 || !id) fail(`adding a portfolio entry for @${account.handle}`, res);
  return Number(id);
}
/** Evidence of a new entry of the account's, added through the entry page (a link, or a PDF uploaded by the form); the entry's and its ids. */
async function evidenceOf(account: Account, kind: "link" | "file"): Promise<{ entry: number; evidence: number }> {
  const entry = await portfolioEntryOf(account);
  let res: Page;
  if (kind === "link") res = await account.client.post(`/me/portfolio/entries/${entry}/evidence`, { url: "https://example.org/programme", label: "" });
  else {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(Buffer.from("%PDF-1.4\n%%EOF\n"))], { type: "application/pdf" }), "certificate.pdf");
    res = await account.client.request(`/me/portfolio/entries/${entry}/evidence`, { method: "POST", body: form, headers: { Origin: server.url } });
  }
  if (res.status !== 302) fail(`adding evidence for @${account.handle}`, res);
  const evidence = (await one<{ id: number }>(`SELECT "id" FROM "Evidence" WHERE "entryId" = ?`, entry))!.id;
  return { entry, evidence };
}
/** A PDF sent to the API as the request's body, as the evidence endpoint takes a file. */
async function apiFile(a: Attempt<unknown>, p: string): Promise<Result> {
  const headers: Record<string, string> = { "X-Forwarded-For": a.client.address, "Content-Type": "application/pdf" };
  if (a.actor) headers.Authorization = `Bearer ${a.actor.token}`;
  const res = await fetch(`${server.url}${p}`, { method: "POST", headers, body: "%PDF-1.4\n%%EOF\n", redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

// ---------------------------------------------------------------------------
// Fixture building (always through the forms, as the members would)
// ---------------------------------------------------------------------------

type ThreadRef = { id: number; path: string };

async function ask(by: Account, kind = "question", body = "How do you shelve graphic novels in a small library?"): Promise<ThreadRef> {
  const title = `${kind === "target" ? "TARGET: " : ""}Matrix ${kind} ${uniq()} about shelving`;
  const res = await by.client.post("/threads/new", { title, body, kind, tagIds: String(tagId) });
  if (res.status !== 302 || !res.location?.startsWith("/t/")) fail(`@${by.handle} posting a ${kind}`, res);
  return { id: Number(res.location.split("/")[2]), path: res.location };
}

async function answer(by: Account, thread: ThreadRef, body = "We shelve them by series, then volume."): Promise<number> {
  const res = await by.client.post(thread.path, { intent: "reply", body });
  const id = /#reply-(\d+)$/.exec(res.location ?? "")?.[1];
  if (res.status !== 302 || !id) fail(`@${by.handle} replying`, res);
  return Number(id);
}

/** A moderator's form post that must succeed. */
async function staff(p: string, fields: Record<string, string>) {
  const res = await acct.moderator.client.post(p, fields);
  if (res.status !== 200 && res.status !== 302) fail(`moderator posting ${JSON.stringify(fields)} to ${p}`, res);
  return res;
}

async function flagAsHelper(p: string, target: string) {
  const res = await helper().client.post(p, { intent: "flag", target, reason: "spam" });
  if (res.status !== 200) fail(`flagging ${target}`, res);
}

const ABSTRACT = "A practical guide for library support staff, with checklists and examples drawn from small school and public libraries.";
const resourceFields = (url: string, title = "Matrix guide to weeding") => ({
  title,
  url,
  abstract: ABSTRACT,
  type: "toolkit",
  tagIds: String(tagId),
  region: "national",
  cost: "free",
  provider: "",
  ceHours: "",
  publishedOn: "",
});
const freshUrl = () => `https://matrix-${uniq()}.example.org/guide`;

async function suggestResource(by: Account): Promise<number> {
  const res = await by.client.post("/resources/new", resourceFields(freshUrl()));
  const id = /submitted=(\d+)/.exec(res.location ?? "")?.[1];
  if (res.status !== 302 || !id) fail(`@${by.handle} suggesting a resource`, res);
  return Number(id);
}

async function approvedResource(by: Account): Promise<number> {
  const id = await suggestResource(by);
  await staff(`/resources/${id}`, { intent: "approve" });
  return id;
}

async function newTag(): Promise<number> {
  const name = `Matrix tag ${uniq()}`;
  await staff("/admin/tags", { intent: "create", name, scopeNote: "" });
  return (await one<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "name" = ?`, name))!.id;
}

async function tagSuggestion(): Promise<number> {
  const name = `Suggested ${uniq()}`;
  const res = await helper().client.post("/tags/suggest", { name, scopeNote: "" });
  if (res.status !== 200) fail("suggesting a tag", res);
  return (await one<{ id: number }>(`SELECT "id" FROM "TagSuggestion" WHERE "name" = ?`, name))!.id;
}

/** A certification program of its own for an attempt, imported by the admin through the form; its short name. */
const programJson = (name: string) => JSON.stringify({ name, measure: "points", categories: [{ key: "all", name: "All activity" }] });
async function newProgram(): Promise<string> {
  const slug = `matrix-${uniq()}`;
  const res = await acct.admin.client.post("/admin/programs", { slug, definition: programJson("Matrix program") });
  if (res.status !== 200) fail(`importing the program ${slug}`, res);
  return slug;
}
const getProgram = async (slug: string) => {
  const p = (await one<{ version: number; retiredAt: unknown; name: string }>(`SELECT "version", "retiredAt", "name" FROM "Program" WHERE "slug" = ?`, slug))!;
  return { ...p, version: Number(p.version) };
};

async function vote(by: Account, thread: ThreadRef, replyId: number) {
  const res = await by.client.post(thread.path, { intent: "helpful", replyId: String(replyId) });
  if (res.status !== 302) fail(`@${by.handle} voting`, res);
}

/** The actor's own vote, when their role lets them have one (never on their own reply). */
async function voteIfPossible(c: SetupContext, thread: ThreadRef, replyId: number): Promise<boolean> {
  if (!c.actor || c.actor.id === c.owners.author.id) return false;
  await vote(c.actor, thread, replyId);
  return true;
}

async function replyInThread(c: SetupContext, kind = "question") {
  const thread = await ask(c.owners.asker, kind);
  const replyId = await answer(c.owners.author, thread, kind === "target" ? `Private: our budget is ${uniq()} dollars.` : undefined);
  return { thread, replyId };
}

const maxLiveEventId = async () => (await one<{ id: number | null }>(`SELECT MAX("id") AS "id" FROM "LiveEvent"`))?.id ?? 0;

// ---------------------------------------------------------------------------
// Making the attempt's request
// ---------------------------------------------------------------------------

const post = (a: Attempt<unknown>, p: string, fields: Record<string, string>): Promise<Result> => a.client.post(p, fields);

async function api(a: Attempt<unknown>, method: string, p: string, body?: unknown): Promise<Result> {
  const headers: Record<string, string> = { "X-Forwarded-For": a.client.address };
  if (a.actor) headers.Authorization = `Bearer ${a.actor.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${server.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

/** The request, and (as `extra`) whether the count went up while it ran. */
async function counting(sql: string, request: () => Promise<Result>): Promise<Result> {
  const before = await count(sql);
  const res = await request();
  return { ...res, extra: (await count(sql)) > before };
}

async function pageJson(a: Attempt<unknown>, p: string, body: unknown): Promise<Result> {
  return a.client.request(p, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", Origin: server.url } });
}

type Ack = { ok: boolean; events?: { type: string; reply?: { id: number } }[]; error?: { code: string; message: string } };

/** A real socket.io connection with the client's session cookie and the site's Origin; one `subscribe`. */
async function subscribe(a: Attempt<unknown>, payload: Record<string, unknown>): Promise<Result> {
  const extraHeaders: Record<string, string> = { Origin: server.url };
  const cookie = a.actor ? a.client.cookieHeader() : "";
  if (cookie) extraHeaders.Cookie = cookie;
  const socket = io(server.url, { path: "/socket.io", transports: ["websocket"], extraHeaders, reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    });
    const ack = (await socket.timeout(5000).emitWithAck("subscribe", payload)) as Ack;
    return { status: ack.ok ? 200 : 403, location: null, body: JSON.stringify(ack), extra: ack };
  } finally {
    socket.close();
  }
}

// ---------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------

const T = "t.$id.($slug).tsx";
const on = (file: string, intent: string | null) => `${file} ${intent === null ? "(no intent)" : `intent=${intent}`}`;

const getReply = async (id: number) =>
  (await one<{ deletedAt: string | null; hiddenAt: string | null; threadId: number; bodySource: string }>(
    `SELECT "deletedAt", "hiddenAt", "threadId", "bodySource" FROM "Reply" WHERE "id" = ?`,
    id,
  ))!;
const getThread = async (id: number) =>
  (await one<{
    title: string;
    lockedAt: string | null;
    pinnedAt: string | null;
    duplicateOfId: number | null;
    hiddenAt: string | null;
    hiddenReason: string;
    acceptedReplyId: number | null;
  }>(`SELECT "title", "lockedAt", "pinnedAt", "duplicateOfId", "hiddenAt", "hiddenReason", "acceptedReplyId" FROM "Thread" WHERE "id" = ?`, id))!;
const getResource = async (id: number) =>
  (await one<{ status: string; featured: unknown; title: string }>(`SELECT "status", "featured", "title" FROM "Resource" WHERE "id" = ?`, id))!;
const hasFlag = async (target: string, actor: Account | null) =>
  actor ? (await count(`SELECT COUNT(*) AS n FROM "Flag" WHERE "target" = ? AND "reporterId" = ?`, target, actor.id)) > 0 : undefined;
const hasVote = async (replyId: number, actor: Account | null) =>
  actor ? (await count(`SELECT COUNT(*) AS n FROM "HelpfulVote" WHERE "replyId" = ? AND "userId" = ?`, replyId, actor.id)) > 0 : undefined;
const follows = async (threadId: number, actor: Account | null) =>
  actor ? (await count(`SELECT COUNT(*) AS n FROM "ThreadFollow" WHERE "threadId" = ? AND "userId" = ?`, threadId, actor.id)) > 0 : undefined;
const newThreadAt = (r: Result) => /^\/t\/\d+/.test(r.location ?? "");
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const suspensionReason = "Repeated spam in the lists";

const ROWS: Row<unknown>[] = [
  // ----- thread page: posting, editing, voting, following, accepting -----
  row({
    name: "reply to a question",
    covers: on(T, "reply"),
    via: "form",
    target: "thread",
    expect: only(PARTICIPANTS),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, a.fx.path, { intent: "reply", body: "Spine labels by genre work for us." }),
    effect: (_a, r) => /#reply-\d+$/.test(r.location ?? ""),
  }),
  row({
    name: "reply to a TARGET (the reply is private)",
    covers: on(T, "reply"),
    via: "form",
    target: "thread",
    expect: only(PARTICIPANTS),
    setup: async (c) => ask(c.owners.asker, "target"),
    run: (a) => post(a, a.fx.path, { intent: "reply", body: "Privately: we spend about $400 a year." }),
    effect: async (_a, r) => {
      const id = /#reply-(\d+)$/.exec(r.location ?? "")?.[1];
      return id ? boolOf((await one<{ p: unknown }>(`SELECT "isPrivate" AS "p" FROM "Reply" WHERE "id" = ?`, Number(id)))?.p) : false;
    },
  }),
  row({
    name: "reply to a locked thread",
    covers: on(T, "reply"),
    via: "form",
    target: "thread",
    expect: only(STAFF, { member: 409, author: 409, asker: 409 }),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await staff(t.path, { intent: "lock", reason: "The discussion got heated" });
      return t;
    },
    run: (a) => post(a, a.fx.path, { intent: "reply", body: "One more thought." }),
    effect: (_a, r) => /#reply-\d+$/.test(r.location ?? ""),
  }),
  row({
    name: "edit a thread",
    covers: on(T, "edit-thread"),
    via: "form",
    target: "thread",
    expect: only(["author", "asker", "moderator", "admin"]),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, a.fx.path, { intent: "edit-thread", title: "Edited: shelving graphic novels", body: "Edited body.", reason: "Clearer title" }),
    effect: async (a) => (await getThread(a.fx.id)).title === "Edited: shelving graphic novels",
  }),
  row({
    name: "edit a public reply",
    covers: on(T, "edit-reply"),
    via: "form",
    target: "reply",
    expect: only(["author", "moderator", "admin"]),
    setup: async (c) => replyInThread(c),
    run: (a) => post(a, a.fx.thread.path, { intent: "edit-reply", replyId: String(a.fx.replyId), body: "Edited answer.", reason: "Fixing a typo" }),
    effect: async (a) => (await getReply(a.fx.replyId)).bodySource === "Edited answer.",
  }),
  row({
    name: "edit a private TARGET reply",
    covers: on(T, "edit-reply"),
    via: "form",
    target: "reply",
    expect: only(["author", "moderator", "admin"], { member: 404 }),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => post(a, a.fx.thread.path, { intent: "edit-reply", replyId: String(a.fx.replyId), body: "Edited private answer.", reason: "Fixing a typo" }),
    effect: async (a) => (await getReply(a.fx.replyId)).bodySource === "Edited private answer.",
  }),
  row({
    name: "remove a public reply",
    covers: on(T, "delete-reply"),
    via: "form",
    target: "reply",
    expect: only(["author", "moderator", "admin"]),
    setup: async (c) => replyInThread(c),
    // A moderator removing someone else's reply gives a reason (for the log).
    run: (a) => post(a, a.fx.thread.path, { intent: "delete-reply", replyId: String(a.fx.replyId), reason: "Off-topic" }),
    effect: async (a) => (await getReply(a.fx.replyId)).deletedAt !== null,
  }),
  row({
    name: "remove a private TARGET reply",
    covers: on(T, "delete-reply"),
    via: "form",
    target: "reply",
    expect: only(["author", "moderator", "admin"], { member: 404 }),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => post(a, a.fx.thread.path, { intent: "delete-reply", replyId: String(a.fx.replyId), reason: "Off-topic" }),
    effect: async (a) => (await getReply(a.fx.replyId)).deletedAt !== null,
  }),
  row({
    name: "mark a public reply helpful",
    covers: on(T, "helpful"),
    via: "form",
    target: "reply",
    expect: only(["member", "asker", "moderator", "admin"], { author: 403 }),
    setup: async (c) => replyInThread(c),
    run: (a) => post(a, a.fx.thread.path, { intent: "helpful", replyId: String(a.fx.replyId) }),
    effect: async (a) => await hasVote(a.fx.replyId, a.actor),
  }),
  row({
    name: "mark a private TARGET reply helpful",
    covers: on(T, "helpful"),
    via: "form",
    target: "reply",
    expect: only(["asker", "moderator", "admin"], { member: 404, author: 403 }),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => post(a, a.fx.thread.path, { intent: "helpful", replyId: String(a.fx.replyId) }),
    effect: async (a) => await hasVote(a.fx.replyId, a.actor),
  }),
  row({
    name: "take back a helpful vote",
    covers: on(T, "unhelpful"),
    via: "form",
    target: "reply",
    expect: only(["member", "asker", "moderator", "admin"], { author: 403 }),
    setup: async (c) => {
      const fx = await replyInThread(c);
      return { ...fx, voted: await voteIfPossible(c, fx.thread, fx.replyId) };
    },
    run: (a) => post(a, a.fx.thread.path, { intent: "unhelpful", replyId: String(a.fx.replyId) }),
    effect: async (a) => (a.fx.voted ? !(await hasVote(a.fx.replyId, a.actor)) : undefined),
  }),
  row({
    name: "follow a thread",
    covers: on(T, "follow"),
    via: "form",
    target: "thread",
    expect: only(SIGNED_IN),
    setup: async () => ask(helper()),
    run: (a) => post(a, a.fx.path, { intent: "follow" }),
    effect: async (a) => await follows(a.fx.id, a.actor),
  }),
  row({
    name: "unfollow a thread",
    covers: on(T, "unfollow"),
    via: "form",
    target: "thread",
    expect: only(SIGNED_IN),
    setup: async (c) => {
      const t = await ask(helper());
      if (c.actor) await c.actor.client.post(t.path, { intent: "follow" });
      return t;
    },
    run: (a) => post(a, a.fx.path, { intent: "unfollow" }),
    effect: async (a) => (a.actor ? !(await follows(a.fx.id, a.actor)) : undefined),
  }),
  row({
    name: "accept a public reply",
    covers: on(T, "accept"),
    via: "form",
    target: "reply",
    expect: only(["asker", "moderator", "admin"]),
    setup: async (c) => replyInThread(c),
    run: (a) => post(a, a.fx.thread.path, { intent: "accept", replyId: String(a.fx.replyId) }),
    effect: async (a) => (await getThread(a.fx.thread.id)).acceptedReplyId === a.fx.replyId,
  }),
  row({
    name: "accept a private TARGET reply",
    covers: on(T, "accept"),
    via: "form",
    target: "reply",
    expect: only(["asker", "moderator", "admin"]),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => post(a, a.fx.thread.path, { intent: "accept", replyId: String(a.fx.replyId) }),
    effect: async (a) => (await getThread(a.fx.thread.id)).acceptedReplyId === a.fx.replyId,
  }),
  row({
    name: "clear the accepted answer",
    covers: on(T, "unaccept"),
    via: "form",
    target: "reply",
    expect: only(["asker", "moderator", "admin"]),
    setup: async (c) => {
      const fx = await replyInThread(c);
      const res = await c.owners.asker.client.post(fx.thread.path, { intent: "accept", replyId: String(fx.replyId) });
      if (res.status !== 302) fail("accepting", res);
      return fx;
    },
    run: (a) => post(a, a.fx.thread.path, { intent: "unaccept" }),
    effect: async (a) => (await getThread(a.fx.thread.id)).acceptedReplyId === null,
  }),

  // ----- thread page: flags and moderation (app/web/moderation-form.server.ts) -----
  row({
    name: "flag a thread",
    covers: on(T, "flag"),
    via: "form",
    target: "thread",
    expect: only(["member", "moderator", "admin"], { author: 409, asker: 409 }),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, a.fx.path, { intent: "flag", target: `thread:${a.fx.id}`, reason: "off_topic", note: "" }),
    effect: async (a) => await hasFlag(`thread:${a.fx.id}`, a.actor),
  }),
  row({
    name: "flag a public reply",
    covers: on(T, "flag"),
    via: "form",
    target: "reply",
    expect: only(["member", "asker", "moderator", "admin"], { author: 409 }),
    setup: async (c) => replyInThread(c),
    run: (a) => post(a, a.fx.thread.path, { intent: "flag", target: `reply:${a.fx.replyId}`, reason: "spam", note: "" }),
    effect: async (a) => await hasFlag(`reply:${a.fx.replyId}`, a.actor),
  }),
  row({
    name: "flag a private TARGET reply",
    covers: on(T, "flag"),
    via: "form",
    target: "reply",
    expect: only(["asker", "moderator", "admin"], { member: 404, author: 409 }),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => post(a, a.fx.thread.path, { intent: "flag", target: `reply:${a.fx.replyId}`, reason: "inappropriate", note: "" }),
    effect: async (a) => await hasFlag(`reply:${a.fx.replyId}`, a.actor),
  }),
  row({
    name: "hide a reply (moderation)",
    covers: on(T, "mod-hide"),
    via: "form",
    target: "reply",
    expect: only(STAFF),
    setup: async (c) => replyInThread(c),
    run: (a) => post(a, a.fx.thread.path, { intent: "mod-hide", target: `reply:${a.fx.replyId}`, reason: "Personal attack" }),
    effect: async (a) => (await getReply(a.fx.replyId)).hiddenAt !== null,
  }),
  row({
    name: "restore a hidden reply (moderation)",
    covers: on(T, "mod-restore"),
    via: "form",
    target: "reply",
    expect: only(STAFF),
    setup: async (c) => {
      const fx = await replyInThread(c);
      await staff(fx.thread.path, { intent: "mod-hide", target: `reply:${fx.replyId}`, reason: "Checking a complaint" });
      return fx;
    },
    run: (a) => post(a, a.fx.thread.path, { intent: "mod-restore", target: `reply:${a.fx.replyId}`, reason: "It was fine" }),
    effect: async (a) => (await getReply(a.fx.replyId)).hiddenAt === null,
  }),
  row({
    name: "delete a reply (moderation)",
    covers: on(T, "mod-delete"),
    via: "form",
    target: "reply",
    expect: only(STAFF),
    setup: async (c) => replyInThread(c),
    run: (a) => post(a, a.fx.thread.path, { intent: "mod-delete", target: `reply:${a.fx.replyId}`, reason: "Spam" }),
    effect: async (a) => (await getReply(a.fx.replyId)).deletedAt !== null,
  }),
  row({
    name: "dismiss the flags on a reply (moderation)",
    covers: on(T, "mod-dismiss"),
    via: "form",
    target: "reply",
    expect: only(STAFF),
    setup: async (c) => {
      const fx = await replyInThread(c);
      await flagAsHelper(fx.thread.path, `reply:${fx.replyId}`);
      return fx;
    },
    run: (a) => post(a, a.fx.thread.path, { intent: "mod-dismiss", target: `reply:${a.fx.replyId}`, reason: "" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Flag" WHERE "target" = ? AND "resolvedAt" IS NULL`, `reply:${a.fx.replyId}`)) === 0,
  }),
  row({
    name: "move a reply to another thread (moderation)",
    covers: on(T, "mod-move"),
    via: "form",
    target: "reply",
    expect: only(STAFF),
    setup: async (c) => ({ ...(await replyInThread(c)), to: await ask(c.owners.asker) }),
    run: (a) => post(a, a.fx.thread.path, { intent: "mod-move", target: `reply:${a.fx.replyId}`, toThread: String(a.fx.to.id), reason: "Belongs there" }),
    effect: async (a) => (await getReply(a.fx.replyId)).threadId === a.fx.to.id,
  }),
  row({
    name: "lock a thread",
    covers: on(T, "lock"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, a.fx.path, { intent: "lock", reason: "Answered, going in circles" }),
    effect: async (a) => (await getThread(a.fx.id)).lockedAt !== null,
  }),
  row({
    name: "unlock a thread",
    covers: on(T, "unlock"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await staff(t.path, { intent: "lock", reason: "Cooling off" });
      return t;
    },
    run: (a) => post(a, a.fx.path, { intent: "unlock", reason: "" }),
    effect: async (a) => (await getThread(a.fx.id)).lockedAt === null,
  }),
  row({
    name: "pin a thread",
    covers: on(T, "pin"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, a.fx.path, { intent: "pin", reason: "" }),
    effect: async (a) => (await getThread(a.fx.id)).pinnedAt !== null,
  }),
  row({
    name: "unpin a thread",
    covers: on(T, "unpin"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await staff(t.path, { intent: "pin", reason: "" });
      return t;
    },
    run: (a) => post(a, a.fx.path, { intent: "unpin", reason: "" }),
    effect: async (a) => (await getThread(a.fx.id)).pinnedAt === null,
  }),
  row({
    name: "close a thread as a duplicate",
    covers: on(T, "duplicate"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => ({ thread: await ask(c.owners.asker), original: await ask(helper()) }),
    run: (a) => post(a, a.fx.thread.path, { intent: "duplicate", duplicateOf: String(a.fx.original.id), reason: "Asked last week" }),
    effect: async (a) => (await getThread(a.fx.thread.id)).duplicateOfId === a.fx.original.id,
  }),
  row({
    name: "retag a thread",
    covers: on(T, "retag"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, a.fx.path, { intent: "retag", tagIds: String(otherTagId), reason: "Better area" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "ThreadTag" WHERE "threadId" = ? AND "tagId" = ?`, a.fx.id, otherTagId)) === 1,
  }),

  // ----- the review queue (/moderate) -----
  row({
    name: "hide a thread from the review queue",
    covers: on("moderate._index.tsx", "mod-hide"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, "/moderate?index", { intent: "mod-hide", target: `thread:${a.fx.id}`, reason: "Spam" }),
    effect: async (a) => (await getThread(a.fx.id)).hiddenAt !== null,
  }),
  row({
    name: "restore a hidden thread from the review queue",
    covers: on("moderate._index.tsx", "mod-restore"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await staff("/moderate?index", { intent: "mod-hide", target: `thread:${t.id}`, reason: "Checking" });
      return t;
    },
    run: (a) => post(a, "/moderate?index", { intent: "mod-restore", target: `thread:${a.fx.id}`, reason: "" }),
    effect: async (a) => (await getThread(a.fx.id)).hiddenAt === null,
  }),
  row({
    name: "delete a thread from the review queue",
    covers: on("moderate._index.tsx", "mod-delete"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => post(a, "/moderate?index", { intent: "mod-delete", target: `thread:${a.fx.id}`, reason: "Spam" }),
    effect: async (a) => (await getThread(a.fx.id)).hiddenReason === "deleted",
  }),
  row({
    name: "dismiss the flags on a thread from the review queue",
    covers: on("moderate._index.tsx", "mod-dismiss"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await flagAsHelper(t.path, `thread:${t.id}`);
      return t;
    },
    run: (a) => post(a, "/moderate?index", { intent: "mod-dismiss", target: `thread:${a.fx.id}`, reason: "" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Flag" WHERE "target" = ? AND "resolvedAt" IS NULL`, `thread:${a.fx.id}`)) === 0,
  }),
  row({
    name: "approve chosen queue items in one batch",
    covers: on("moderate._index.tsx", "batch-approve"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await flagAsHelper(t.path, `thread:${t.id}`);
      return t;
    },
    run: (a) => post(a, "/moderate?index", { intent: "batch-approve", items: `thread:${a.fx.id}`, reason: "" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Flag" WHERE "target" = ? AND "resolvedAt" IS NULL`, `thread:${a.fx.id}`)) === 0,
  }),
  row({
    name: "reject chosen queue items in one batch",
    covers: on("moderate._index.tsx", "batch-reject"),
    via: "form",
    target: "thread",
    expect: only(STAFF),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await flagAsHelper(t.path, `thread:${t.id}`);
      return t;
    },
    run: (a) => post(a, "/moderate?index", { intent: "batch-reject", items: `thread:${a.fx.id}`, reason: "Spam" }),
    effect: async (a) => (await getThread(a.fx.id)).hiddenAt !== null,
  }),

  // ----- the clearinghouse -----
  row({
    name: "suggest a resource",
    covers: on("resources.new.tsx", null),
    via: "form",
    target: "none",
    expect: only(PARTICIPANTS),
    run: (a) => post(a, "/resources/new", resourceFields(freshUrl())),
    effect: (_a, r) => /submitted=\d+/.test(r.location ?? ""),
  }),
  row({
    name: "flag an approved resource",
    covers: on("resources.$id.tsx", "flag"),
    via: "form",
    target: "resource",
    expect: only(["member", "asker", "moderator", "admin"], { author: 409 }),
    setup: async (c) => approvedResource(c.owners.author),
    run: (a) => post(a, `/resources/${a.fx}`, { intent: "flag", target: `resource:${a.fx}`, reason: "spam", note: "" }),
    effect: async (a) => await hasFlag(`resource:${a.fx}`, a.actor),
  }),
  ...(
    [
      ["approve", "pending", "approved", {}],
      ["reject", "pending", "rejected", { reason: "Not about library support work." }],
      ["feature", "approved", "featured", {}],
      ["unfeature", "featured", "unfeatured", {}],
      ["archive", "approved", "archived", {}],
      ["restore", "archived", "approved", {}],
    ] as const
  ).map(([intent, from, to, extra]) =>
    row({
      name: `${intent} a resource (${from})`,
      covers: on("resources.$id.tsx", intent),
      via: "form",
      target: "resource",
      expect: only(STAFF),
      setup: async (c) => {
        const id = from === "pending" ? await suggestResource(c.owners.author) : await approvedResource(c.owners.author);
        if (from === "featured") await staff(`/resources/${id}`, { intent: "feature" });
        if (from === "archived") await staff(`/resources/${id}`, { intent: "archive" });
        return id;
      },
      run: (a) => post(a, `/resources/${a.fx}`, { intent, ...extra }),
      effect: async (a) => {
        const r = await getResource(a.fx);
        return to === "featured" ? boolOf(r.featured) : to === "unfeatured" ? !boolOf(r.featured) : r.status === to;
      },
    }),
  ),
  row({
    name: "merge a resource into another",
    covers: on("resources.$id.tsx", "merge"),
    via: "form",
    target: "resource",
    expect: only(STAFF),
    setup: async (c) => ({ id: await suggestResource(c.owners.author), into: await approvedResource(helper()) }),
    run: (a) => post(a, `/resources/${a.fx.id}`, { intent: "merge", intoId: String(a.fx.into) }),
    effect: async (a) => (await getResource(a.fx.id)).status === "merged",
  }),
  row({
    name: "edit a resource (moderator form)",
    covers: on("moderate.resources.$id.edit.tsx", null),
    via: "form",
    target: "resource",
    expect: only(STAFF),
    setup: async (c) => suggestResource(c.owners.author),
    run: (a) => post(a, `/moderate/resources/${a.fx}/edit`, { ...resourceFields(freshUrl(), "Corrected title by a curator"), curatorNote: "" }),
    effect: async (a) => (await getResource(a.fx)).title === "Corrected title by a curator",
  }),
  row({
    name: "edit and approve a resource (moderator form)",
    covers: on("moderate.resources.$id.edit.tsx", "approve"),
    via: "form",
    target: "resource",
    expect: only(STAFF),
    setup: async (c) => suggestResource(c.owners.author),
    run: (a) => post(a, `/moderate/resources/${a.fx}/edit`, { ...resourceFields(freshUrl()), curatorNote: "", intent: "approve" }),
    effect: async (a) => (await getResource(a.fx)).status === "approved",
  }),
  row({
    name: "import resources from pasted CSV",
    covers: on("moderate.resources.import.tsx", null),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => freshUrl(),
    run: (a) => post(a, "/moderate/resources/import", { csv: `title,url,abstract,type,competencies\nImported guide,${a.fx},"${ABSTRACT}",article,reference` }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Resource" WHERE "url" = ?`, a.fx)) === 1,
  }),
  row({
    name: "import a batch of resources (JSON, the import page's file upload)",
    covers: on("moderate.resources.import.batch.ts", null),
    via: "json",
    target: "none",
    expect: only(STAFF, { guest: 401 }),
    setup: async () => freshUrl(),
    run: (a) =>
      pageJson(a, "/moderate/resources/import/batch", {
        rows: [{ title: "Batch guide", url: a.fx, abstract: ABSTRACT, type: "article", competencies: "reference" }],
      }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Resource" WHERE "url" = ?`, a.fx)) === 1,
  }),

  // ----- asking, HITs -----
  row({
    name: "ask a question",
    covers: on("threads.new.tsx", null),
    via: "form",
    target: "none",
    expect: only(PARTICIPANTS),
    run: (a) =>
      post(a, "/threads/new", { title: `Matrix question ${uniq()} on weeding`, body: "How often do you weed?", kind: "question", tagIds: String(tagId) }),
    effect: (_a, r) => newThreadAt(r),
  }),
  row({
    name: "post an announcement",
    covers: on("threads.new.tsx", null),
    via: "form",
    target: "none",
    expect: only(STAFF, { member: 400, author: 400, asker: 400 }),
    run: (a) => post(a, "/threads/new", { title: `Matrix announcement ${uniq()}`, body: "The forum is moving.", kind: "announcement", tagIds: String(tagId) }),
    effect: (_a, r) => newThreadAt(r),
  }),
  row({
    name: "preview a new thread (writes nothing)",
    covers: on("threads.new.tsx", "preview"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    run: (a) => post(a, "/threads/new", { intent: "preview", title: "Preview only", body: "**bold** preview", kind: "question", tagIds: String(tagId) }),
  }),
  row({
    name: "compile a HIT from a thread",
    covers: on("threads.$id.hit.tsx", null),
    via: "form",
    target: "thread",
    expect: only(["author", "asker"]),
    setup: async (c) => ask(c.owners.asker, "target"),
    run: (a) => post(a, `/threads/${a.fx.id}/hit`, { title: `HIT: matrix ${uniq()} budgets`, body: "What colleagues said, compiled.", tagIds: String(tagId) }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Thread" WHERE "sourceThreadId" = ?`, a.fx.id)) === 1,
  }),
  row({
    name: "draft a HIT from chosen replies (writes nothing)",
    covers: on("threads.$id.hit.tsx", "draft"),
    via: "form",
    target: "thread",
    // Drafting only reads: a suspended asker may draft (posting the HIT is refused above).
    expect: only(["author", "asker", "suspended"]),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => post(a, `/threads/${a.fx.thread.id}/hit`, { intent: "draft", include: String(a.fx.replyId), [`credit-${a.fx.replyId}`]: "named" }),
  }),
  row({
    name: "send a HIT's links to the clearinghouse",
    covers: on("threads.$id.clearinghouse.tsx", null),
    via: "form",
    target: "thread",
    expect: only(["author", "asker"]),
    setup: async (c) => {
      const url = freshUrl();
      return { hit: await ask(c.owners.asker, "hit", `What we learned: see [the weeding guide](${url}) for details.`), url };
    },
    run: (a) =>
      post(a, `/threads/${a.fx.hit.id}/clearinghouse`, {
        "send-0": "on",
        "title-0": "Weeding guide from a HIT",
        "abstract-0": ABSTRACT,
        "type-0": "toolkit",
        "region-0": "national",
        "cost-0": "free",
        tagIds: String(tagId),
      }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Resource" WHERE "url" = ?`, a.fx.url)) === 1,
  }),

  // ----- tags -----
  row({
    name: "follow a tag",
    covers: on("tags.$slug.tsx", "follow"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    setup: async (c) => {
      if (c.actor) await c.actor.client.post(`/tags/${tagSlug}`, { intent: "unfollow" });
    },
    run: (a) => post(a, `/tags/${tagSlug}`, { intent: "follow" }),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "TagFollow" WHERE "userId" = ? AND "tagId" = ?`, a.actor.id, tagId)) === 1 : undefined,
  }),
  row({
    name: "unfollow a tag",
    covers: on("tags.$slug.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    setup: async (c) => {
      if (c.actor) await c.actor.client.post(`/tags/${tagSlug}`, { intent: "follow" });
    },
    run: (a) => post(a, `/tags/${tagSlug}`, { intent: "unfollow" }),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "TagFollow" WHERE "userId" = ? AND "tagId" = ?`, a.actor.id, tagId)) === 0 : undefined,
  }),
  row({
    name: "suggest a tag",
    covers: on("tags.suggest.tsx", null),
    via: "form",
    target: "none",
    // A suggestion is a contribution others review: a suspended member may not make one.
    expect: only(PARTICIPANTS),
    setup: async () => `Suggested ${uniq()}`,
    run: (a) => post(a, "/tags/suggest", { name: a.fx, scopeNote: "" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "TagSuggestion" WHERE "name" = ?`, a.fx)) === 1,
  }),
  row({
    name: "create a tag",
    covers: on("admin.tags.tsx", "create"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => `Matrix new tag ${uniq()}`,
    run: (a) => post(a, "/admin/tags", { intent: "create", name: a.fx, scopeNote: "" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Tag" WHERE "name" = ?`, a.fx)) === 1,
  }),
  row({
    name: "rename a tag",
    covers: on("admin.tags.tsx", "update"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => ({ id: await newTag(), name: `Renamed tag ${uniq()}` }),
    run: (a) => post(a, "/admin/tags", { intent: "update", id: String(a.fx.id), name: a.fx.name, scopeNote: "What belongs here" }),
    effect: async (a) => (await one<{ name: string }>(`SELECT "name" FROM "Tag" WHERE "id" = ?`, a.fx.id))?.name === a.fx.name,
  }),
  row({
    name: "delete a tag",
    covers: on("admin.tags.tsx", "delete"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => newTag(),
    run: (a) => post(a, "/admin/tags", { intent: "delete", id: String(a.fx) }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Tag" WHERE "id" = ?`, a.fx)) === 0,
  }),
  row({
    name: "declare a tag a synonym",
    covers: on("admin.tags.tsx", "synonym"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => ({ id: await newTag(), other: await newTag() }),
    run: (a) => post(a, "/admin/tags", { intent: "synonym", id: String(a.fx.id), otherId: String(a.fx.other) }),
    effect: async (a) => (await one<{ s: number | null }>(`SELECT "synonymOfId" AS s FROM "Tag" WHERE "id" = ?`, a.fx.id))?.s === a.fx.other,
  }),
  row({
    name: "undo a tag synonym",
    covers: on("admin.tags.tsx", "unsynonym"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => {
      const [id, other] = [await newTag(), await newTag()];
      await staff("/admin/tags", { intent: "synonym", id: String(id), otherId: String(other) });
      return id;
    },
    run: (a) => post(a, "/admin/tags", { intent: "unsynonym", id: String(a.fx) }),
    effect: async (a) => (await one<{ s: number | null }>(`SELECT "synonymOfId" AS s FROM "Tag" WHERE "id" = ?`, a.fx))?.s === null,
  }),
  row({
    name: "merge two tags",
    covers: on("admin.tags.tsx", "merge"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => ({ id: await newTag(), other: await newTag() }),
    run: (a) => post(a, "/admin/tags", { intent: "merge", id: String(a.fx.id), otherId: String(a.fx.other) }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Tag" WHERE "id" = ?`, a.fx.id)) === 0,
  }),
  ...(["accept", "decline"] as const).map((intent) =>
    row({
      name: `${intent} a member's tag suggestion`,
      covers: on("admin.tags.tsx", intent),
      via: "form",
      target: "none",
      expect: only(STAFF),
      setup: async () => tagSuggestion(),
      run: (a) => post(a, "/admin/tags", { intent, id: String(a.fx) }),
      effect: async (a) =>
        (await one<{ status: string }>(`SELECT "status" FROM "TagSuggestion" WHERE "id" = ?`, a.fx))?.status ===
        (intent === "accept" ? "accepted" : "declined"),
    }),
  ),

  // ----- admin -----
  row({
    name: "change a member's role",
    covers: on("admin.members.tsx", null),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => newMember(`role${uniq()}`),
    run: (a) => post(a, "/admin/members", { userId: String(a.fx.id), role: "moderator" }),
    effect: async (a) => (await one<{ role: string }>(`SELECT "role" FROM "User" WHERE "id" = ?`, a.fx.id))?.role === "moderator",
  }),
  row({
    name: "issue a password reset link",
    covers: on("admin.members.tsx", "reset"),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    run: (a) => counting(`SELECT COUNT(*) AS n FROM "PasswordReset"`, () => post(a, "/admin/members", { intent: "reset", userId: String(resetTarget.id) })),
    effect: (_a, r) => r.extra === true,
  }),
  row({
    name: "change community settings",
    covers: on("admin.settings.tsx", null),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    // Only the worksite switch, kept as it is; the number settings keep their values when left out.
    run: (a) =>
      counting(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'settings.updated'`, () => post(a, "/admin/settings", { worksiteRequired: "on" })),
    effect: (_a, r) => r.extra === true,
  }),
  row({
    name: "edit the community guidelines",
    covers: on("admin.guidelines.tsx", null),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => `Be kind, cite your sources, and credit colleagues. (${uniq()})`,
    run: (a) => post(a, "/admin/guidelines", { source: a.fx, reason: "Annual review" }),
    effect: async (a) => (await one<{ value: string }>(`SELECT "value" FROM "Setting" WHERE "key" = 'guidelines'`))?.value === a.fx,
  }),

  // ----- certification programs (admin) -----
  row({
    name: "import a certification program",
    covers: on("admin.programs._index.tsx", null),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => `matrix-${uniq()}`,
    run: (a) => post(a, "/admin/programs", { slug: a.fx, definition: programJson("Imported by the matrix") }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Program" WHERE "slug" = ?`, a.fx)) === 1,
  }),
  row({
    name: "edit a certification program",
    covers: on("admin.programs.$slug.tsx", "details"),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => newProgram(),
    run: (a) => post(a, `/admin/programs/${a.fx}`, { intent: "details", name: "Renamed by the matrix" }),
    effect: async (a) => (await getProgram(a.fx)).version === 2,
  }),
  row({
    name: "edit a certification program as JSON",
    covers: on("admin.programs.$slug.tsx", "json"),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => newProgram(),
    run: (a) => post(a, `/admin/programs/${a.fx}`, { intent: "json", definition: programJson("Rewritten by the matrix") }),
    effect: async (a) => (await getProgram(a.fx)).name === "Rewritten by the matrix",
  }),
  row({
    name: "retire a certification program",
    covers: on("admin.programs.$slug.tsx", "retire"),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => newProgram(),
    run: (a) => post(a, `/admin/programs/${a.fx}`, { intent: "retire" }),
    effect: async (a) => (await getProgram(a.fx)).retiredAt !== null,
  }),
  row({
    name: "bring back a retired certification program",
    covers: on("admin.programs.$slug.tsx", "restore"),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => {
      const slug = await newProgram();
      const res = await acct.admin.client.post(`/admin/programs/${slug}`, { intent: "retire" });
      if (res.status !== 200) fail(`retiring the program ${slug}`, res);
      return slug;
    },
    run: (a) => post(a, `/admin/programs/${a.fx}`, { intent: "restore" }),
    effect: async (a) => (await getProgram(a.fx)).retiredAt === null,
  }),

  // ----- member pages -----
  row({
    name: "suspend a member",
    covers: on("u.$handle.tsx", null),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => newMember(`susp${uniq()}`),
    run: (a) => post(a, `/u/${a.fx.handle}`, { intent: "suspend", until: inDays(14), reason: "Spam" }),
    effect: async (a) => (await one<{ s: string | null }>(`SELECT "suspendedUntil" AS s FROM "User" WHERE "id" = ?`, a.fx.id))?.s != null,
  }),
  row({
    name: "suspend a moderator",
    covers: on("u.$handle.tsx", null),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    setup: async () => (await throwaway("moderator"))!,
    run: (a) => post(a, `/u/${a.fx.handle}`, { intent: "suspend", until: inDays(14), reason: "Abuse of the tools" }),
    effect: async (a) => (await one<{ s: string | null }>(`SELECT "suspendedUntil" AS s FROM "User" WHERE "id" = ?`, a.fx.id))?.s != null,
  }),
  row({
    name: "suspend an admin",
    covers: on("u.$handle.tsx", null),
    via: "form",
    target: "none",
    // Nobody suspends an admin: not a moderator, not another admin.
    expect: only([], { admin: 403 }),
    setup: async () => (await throwaway("admin"))!,
    run: (a) => post(a, `/u/${a.fx.handle}`, { intent: "suspend", until: inDays(14), reason: "Disagreement" }),
    effect: async (a) => (await one<{ s: string | null }>(`SELECT "suspendedUntil" AS s FROM "User" WHERE "id" = ?`, a.fx.id))?.s != null,
  }),
  row({
    name: "lift a suspension",
    covers: on("u.$handle.tsx", "lift"),
    via: "form",
    target: "none",
    expect: only(STAFF),
    setup: async () => (await throwaway("suspended"))!,
    run: (a) => post(a, `/u/${a.fx.handle}`, { intent: "lift", reason: "Appeal accepted" }),
    effect: async (a) => (await one<{ s: string | null }>(`SELECT "suspendedUntil" AS s FROM "User" WHERE "id" = ?`, a.fx.id))?.s == null,
  }),

  // ----- own account -----
  row({
    name: "edit your profile (identification and About)",
    covers: on("me.settings.tsx", "profile"),
    via: "form",
    target: "none",
    // The profile is public (shown beside every post): a suspended member may not rewrite it.
    expect: only(PARTICIPANTS),
    setup: async () => `About me ${uniq()}`,
    run: (a) =>
      post(a, "/me/settings", {
        intent: "profile",
        displayName: `Member ${a.actor?.label ?? "guest"}`,
        jobTitle: "Library Media Assistant",
        worksite: "Lincoln Elementary School",
        memberKind: "support_staff",
        about: a.fx,
      }),
    effect: async (a) => (a.actor ? (await one<{ about: string }>(`SELECT "about" FROM "User" WHERE "id" = ?`, a.actor.id))?.about === a.fx : undefined),
  }),
  row({
    name: "change your password",
    covers: on("me.settings.tsx", "password"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    actorFor: throwaway,
    run: (a) =>
      post(a, "/me/settings", {
        intent: "password",
        currentPassword: a.actor?.password ?? "x",
        newPassword: "a brand new passphrase",
        confirmPassword: "a brand new passphrase",
      }),
    effect: async (a) =>
      a.actor ? (await new Client(server.url).post("/login", { email: a.actor.email, password: "a brand new passphrase" })).status === 302 : undefined,
  }),
  row({
    name: "create an API token",
    covers: on("me.settings.tsx", "create-token"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    run: (a) => post(a, "/me/settings", { intent: "create-token", name: `matrix ${uniq()}` }),
    effect: (_a, r) => /value="pnt_/.test(r.body),
  }),
  row({
    name: "revoke your own API token",
    covers: on("me.settings.tsx", "revoke-token"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    setup: async (c) => (c.actor ? sha256(await createToken(c.actor)) : "0".repeat(64)),
    run: (a) => post(a, "/me/settings", { intent: "revoke-token", tokenId: a.fx }),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "ApiToken" WHERE "id" = ?`, a.fx)) === 0 : undefined),
  }),
  row({
    name: "revoke another member's API token",
    covers: on("me.settings.tsx", "revoke-token"),
    via: "form",
    target: "reply",
    // The token belongs to the "author"; only they may revoke it here (a suspended owner too).
    expect: only(["author", "suspended"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => sha256(await createToken(c.owners.author)),
    run: (a) => post(a, "/me/settings", { intent: "revoke-token", tokenId: a.fx }),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "ApiToken" WHERE "id" = ?`, a.fx)) === 0 : undefined),
  }),
  row({
    name: "stop following a thread from /me/following",
    covers: on("me.following.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    setup: async (c) => {
      const t = await ask(helper());
      if (c.actor) await c.actor.client.post(t.path, { intent: "follow" });
      return t;
    },
    run: (a) => post(a, "/me/following", { threadId: String(a.fx.id) }),
    effect: async (a) => (a.actor ? !(await follows(a.fx.id, a.actor)) : undefined),
  }),
  // The certification portfolio (issue 19): private to its owner, a suspended member's included (it is their record, not a post).
  row({
    name: "follow a certification program",
    covers: on("me.portfolio._index.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    actorFor: throwaway,
    run: (a) => post(a, "/me/portfolio", { program: "montana" }),
    effect: async (a) =>
      a.actor
        ? (await count(
            `SELECT COUNT(*) AS n FROM "ProgramFollow" f JOIN "Program" p ON p."id" = f."programId" WHERE f."userId" = ? AND p."slug" = 'montana'`,
            a.actor.id,
          )) === 1
        : undefined,
  }),
  row({
    name: "add an activity to your portfolio",
    covers: on("me.portfolio.new.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    setup: async () => `Matrix workshop ${uniq()}`,
    run: (a) => post(a, "/me/portfolio/new", portfolioEntry(a.fx)),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioEntry" WHERE "ownerId" = ? AND "title" = ?`, a.actor.id, a.fx)) === 1 : undefined,
  }),
  row({
    name: "edit the author's portfolio entry",
    covers: on("me.portfolio.entries.$id.tsx", null),
    via: "form",
    target: "reply",
    // Nobody but its owner may even see it: 404 for everyone else, staff included.
    expect: only(["author", "suspended"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => ({ id: await portfolioEntryOf(c.owners.author), title: `Edited ${uniq()}` }),
    run: (a) => post(a, `/me/portfolio/entries/${a.fx.id}`, portfolioEntry(a.fx.title)),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioEntry" WHERE "id" = ? AND "title" = ?`, a.fx.id, a.fx.title)) === 1 : undefined,
  }),
  row({
    name: "delete the author's portfolio entry",
    covers: on("me.portfolio.entries.$id.tsx", "delete"),
    via: "form",
    target: "reply",
    expect: only(["author", "suspended"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => post(a, `/me/portfolio/entries/${a.fx}`, { intent: "delete" }),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioEntry" WHERE "id" = ?`, a.fx)) === 0 : undefined),
  }),
  // Evidence (issue 19): the entry's owner alone adds and deletes it; for anyone else the entry is not found, staff included.
  row({
    name: "upload a file as evidence to the author's portfolio entry",
    covers: on("me.portfolio.entries.$id.evidence.tsx", null),
    ...ENTRY_OWNER_ONLY,
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(Buffer.from("%PDF-1.4\n%%EOF\n"))], { type: "application/pdf" }), "certificate.pdf");
      return a.client.request(`/me/portfolio/entries/${a.fx}/evidence`, { method: "POST", body: form, headers: { Origin: server.url } });
    },
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'file'`, a.fx)) === 1 : undefined),
  }),
  row({
    name: "add a link as evidence to the author's portfolio entry",
    covers: on("me.portfolio.entries.$id.evidence.tsx", null),
    ...ENTRY_OWNER_ONLY,
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => post(a, `/me/portfolio/entries/${a.fx}/evidence`, { url: "https://example.org/certificate", label: "Certificate" }),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'link'`, a.fx)) === 1 : undefined),
  }),
  row({
    name: "delete evidence of the author's portfolio entry",
    covers: on("me.portfolio.entries.$id.evidence.tsx", "delete"),
    ...ENTRY_OWNER_ONLY,
    setup: async (c) => {
      const entry = await portfolioEntryOf(c.owners.author);
      const res = await c.owners.author.client.post(`/me/portfolio/entries/${entry}/evidence`, { url: "https://example.org/programme", label: "" });
      if (res.status !== 302) fail(`adding evidence for @${c.owners.author.handle}`, res);
      const evidence = (await one<{ id: number }>(`SELECT "id" FROM "Evidence" WHERE "entryId" = ?`, entry))!.id;
      return { entry, evidence };
    },
    run: (a) => post(a, `/me/portfolio/entries/${a.fx.entry}/evidence`, { intent: "delete", evidenceId: String(a.fx.evidence) }),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "Evidence" WHERE "id" = ?`, a.fx.evidence)) === 0 : undefined),
  }),
  // Verification (issue 19): only the owner asks; whoever holds a mailed link decides (no account needed); a request to an account is that member's alone.
  row({
    name: "ask someone to verify the author's portfolio entry",
    covers: on("me.portfolio.entries.$id.tsx", "ask-verification"),
    via: "form",
    target: "reply",
    // A suspended owner may not send requests (mail to others): 403.
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) =>
      post(a, `/me/portfolio/entries/${a.fx}`, { intent: "ask-verification", verifierEmail: `boss-${uniq()}@library.example`, verifierName: "Sam Supervisor" }),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "Verification" WHERE "entryId" = ?`, a.fx)) === 1,
  }),
  row({
    name: "confirm a request to verify by the link mailed for it",
    covers: on("verify.$token.tsx", null),
    via: "form",
    target: "none",
    // The link is the permission: guests (the usual verifier) and every member who holds it.
    expect: only([...ROLES]),
    setup: async () => mailedVerification(helper()),
    run: (a) => post(a, `/verify/${a.fx.token}`, { intent: "confirm", name: "Matrix Verifier", note: "Seen." }),
    effect: async (a) => (await one<{ status: string }>(`SELECT "status" FROM "Verification" WHERE "id" = ?`, a.fx.id))?.status === "confirmed",
  }),
  row({
    name: "confirm a request to verify made to the asker's account",
    covers: on("me.verifications.$id.tsx", null),
    via: "form",
    target: "reply",
    // Nobody but the member asked may even see it: 404 for everyone else, staff included. A suspended member may still answer.
    expect: only(["asker", "suspended"], { member: 404, author: 404, moderator: 404, admin: 404 }),
    suspendedAs: "asker",
    setup: async (c) => {
      const owner = helper();
      const entry = await portfolioEntryOf(owner);
      const res = await owner.client.post(`/me/portfolio/entries/${entry}`, { intent: "ask-verification", verifierHandle: c.owners.asker.handle });
      if (res.status !== 302) fail(`asking @${c.owners.asker.handle} to verify`, res);
      return (await one<{ id: number }>(`SELECT "id" FROM "Verification" WHERE "entryId" = ?`, entry))!.id;
    },
    run: (a) => post(a, `/me/verifications/${a.fx}`, { intent: "confirm", note: "Seen." }),
    effect: async (a) => (await one<{ status: string }>(`SELECT "status" FROM "Verification" WHERE "id" = ?`, a.fx))?.status === "confirmed",
  }),
  ...(["follow", "badge", "unfollow"] as const).map((intent) =>
    row({
      name: `${intent} on a program's progress page`,
      covers: on("me.portfolio.programs.$slug.tsx", intent),
      via: "form",
      target: "none",
      // A badge shows beside every post, like the rest of the identification card: a suspended member cannot set one.
      expect: intent === "badge" ? only(PARTICIPANTS) : only(SIGNED_IN),
      actorFor: throwaway,
      setup: async (c) => {
        if (c.actor && intent !== "follow") await c.actor.client.post("/me/portfolio", { program: "nyslaa" });
      },
      run: (a) => post(a, "/me/portfolio/programs/nyslaa", { intent, badge: "NYSLAA candidate" }),
      effect: async (a) => {
        if (!a.actor) return undefined;
        const rows = await count(
          `SELECT COUNT(*) AS n FROM "ProgramFollow" f JOIN "Program" p ON p."id" = f."programId" WHERE f."userId" = ? AND p."slug" = 'nyslaa'${intent === "badge" ? ` AND f."badge" = 'NYSLAA candidate'` : ""}`,
          a.actor.id,
        );
        return intent === "unfollow" ? rows === 0 : rows === 1;
      },
    }),
  ),
  // Sharing with a reviewer: the link is the owner's to make and to revoke; anyone else's attempt is "not found".
  row({
    name: "create a reviewer's link to a program's portfolio",
    covers: on("me.portfolio.programs.$slug.tsx", "share"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    actorFor: throwaway,
    setup: async (c) => {
      if (c.actor) await c.actor.client.post("/me/portfolio", { program: "lssc" });
      return `Matrix reviewer ${uniq()}`;
    },
    run: (a) => post(a, "/me/portfolio/programs/lssc", { intent: "share", label: a.fx, days: "7" }),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioShare" WHERE "ownerId" = ? AND "label" = ?`, a.actor.id, a.fx)) === 1 : undefined,
  }),
  row({
    name: "revoke the author's reviewer link",
    covers: on("me.portfolio.programs.$slug.tsx", "revoke-share"),
    via: "form",
    target: "reply",
    expect: only(["author", "suspended"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => {
      const author = c.owners.author;
      await author.client.post("/me/portfolio", { program: "lssc" });
      const label = `Matrix link ${uniq()}`;
      const res = await author.client.post("/me/portfolio/programs/lssc", { intent: "share", label, days: "7" });
      if (res.status !== 200) fail(`@${author.handle} creating a reviewer's link`, res);
      return (await one<{ id: number }>(`SELECT "id" FROM "PortfolioShare" WHERE "label" = ?`, label))!.id;
    },
    run: (a) => post(a, "/me/portfolio/programs/lssc", { intent: "revoke-share", shareId: String(a.fx) }),
    effect: async (a) => !!(await one<{ r: unknown }>(`SELECT "revokedAt" AS r FROM "PortfolioShare" WHERE "id" = ?`, a.fx))?.r,
  }),
  row({
    name: "mark all notifications read",
    covers: on("notifications.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    run: (a) => post(a, "/notifications", {}),
  }),
  row({
    name: "mark the asker's notification read",
    covers: on("notifications.tsx", null),
    via: "form",
    target: "reply",
    // The notification (a reply in their thread) is the asker's: nobody else may touch it, staff included.
    expect: only(["asker", "suspended"], { member: 404, author: 404, moderator: 404, admin: 404 }),
    suspendedAs: "asker",
    setup: async (c) => {
      const { replyId } = await replyInThread(c);
      return until(
        "the asker's notification",
        async () => (await one<{ id: number }>(`SELECT "id" FROM "Notification" WHERE "userId" = ? AND "replyId" = ?`, c.owners.asker.id, replyId))?.id,
      );
    },
    run: (a) => post(a, "/notifications", { id: String(a.fx) }),
    effect: async (a) => (a.actor ? (await one<{ r: string | null }>(`SELECT "readAt" AS r FROM "Notification" WHERE "id" = ?`, a.fx))?.r != null : undefined),
  }),
  row({
    name: "acknowledge the community guidelines",
    covers: on("guidelines.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    run: (a) => post(a, "/guidelines", { redirectTo: "/" }),
  }),
  row({
    name: "preview Markdown",
    covers: on("markdown-preview.tsx", null),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    run: (a) => post(a, "/markdown-preview", { body: "**bold**" }),
    effect: (a, r) => (a.actor ? r.body.includes("<strong>bold</strong>") : undefined),
  }),

  // ----- account flows -----
  row({
    name: "join",
    covers: on("join.tsx", null),
    via: "form",
    target: "none",
    // Someone already logged in is not signed up for a second account by a stale join form.
    expect: only(["guest"]),
    session: "fresh",
    setup: async () => aMember(`joiner${uniq()}`),
    run: (a) => post(a, "/join", a.fx),
    judge: async (a) => ((await count(`SELECT COUNT(*) AS n FROM "User" WHERE "email" = ?`, a.fx.email)) > 0 ? "allow" : "deny"),
  }),
  row({
    name: "log in",
    covers: on("login.tsx", null),
    via: "form",
    target: "none",
    expect: only([...ROLES]),
    session: "fresh",
    run: (a) => {
      const who = a.actor ?? acct.member;
      return post(a, "/login", { email: who.email, password: who.password });
    },
    effect: (_a, r) => r.location === "/",
  }),
  row({
    name: "log out",
    covers: on("logout.tsx", null),
    via: "form",
    target: "none",
    expect: only([...ROLES]),
    session: "fresh",
    run: async (a) => {
      const cookie = a.client.cookieHeader();
      const res = await post(a, "/logout", {});
      const after = cookie ? await fetch(`${server.url}/me/settings`, { headers: { Cookie: cookie }, redirect: "manual" }) : null;
      return { ...res, extra: after?.status };
    },
    // The session itself has ended on the server, not only the cookie in this browser.
    effect: (a, r) => (a.actor ? r.extra === 302 : undefined),
  }),
  row({
    name: "set up the first admin after setup is complete",
    covers: on("setup.tsx", null),
    via: "form",
    target: "none",
    expect: only([], { guest: 403 }),
    session: "fresh",
    setup: async () => aMember(`setup${uniq()}`),
    run: (a) => post(a, `/setup?token=${server.setupToken}`, a.fx),
    effect: async (a) => (await count(`SELECT COUNT(*) AS n FROM "User" WHERE "email" = ?`, a.fx.email)) > 0,
  }),
  row({
    name: "choose a new password with a valid reset link",
    covers: on("reset-password.tsx", null),
    via: "form",
    target: "none",
    // Whoever holds the one-time link may use it: it is the capability.
    expect: only([...ROLES]),
    session: "fresh",
    setup: async () => {
      const target = await newMember(`reset${uniq()}`);
      const res = await acct.admin.client.post("/admin/members", { intent: "reset", userId: String(target.id) });
      const link = /value="(http[^"]+\/reset-password\?token=[^"]+)"/.exec(res.body)?.[1];
      if (!link) fail("issuing a reset link", res);
      return new URL(link).pathname + new URL(link).search;
    },
    run: (a) => post(a, a.fx, { newPassword: "a fresh passphrase", confirmPassword: "a fresh passphrase" }),
    effect: (_a, r) => r.location === "/me/settings?reset=1",
  }),
  row({
    name: "choose a new password with a forged reset link",
    covers: on("reset-password.tsx", null),
    via: "form",
    target: "none",
    expect: only([], { guest: 403 }),
    session: "fresh",
    run: (a) => post(a, `/reset-password?token=forged${uniq()}`, { newPassword: "a fresh passphrase", confirmPassword: "a fresh passphrase" }),
  }),
  row({
    name: "post to an unknown API endpoint",
    covers: on("api.$.ts", null),
    via: "api",
    target: "none",
    expect: only([], { guest: 404, member: 404, author: 404, asker: 404, moderator: 404, admin: 404, suspended: 404 }),
    run: (a) => api(a, "POST", "/api/v1/no-such-endpoint", {}),
  }),

  // ----- mail -----
  row({
    name: "ask for a password reset link by mail",
    covers: on("forgot-password.tsx", null),
    via: "form",
    target: "none",
    // Anyone may ask; the answer is the same whether or not the address is a member's.
    expect: only([...ROLES]),
    run: (a) => post(a, "/forgot-password", { email: `nobody-${uniq()}@example.org` }),
    effect: (_a, r) => textOf(r.body).includes("belongs to a ParaNet member"),
  }),
  row({
    name: "change your email delivery settings",
    covers: on("me.settings_.email.tsx", null),
    via: "form",
    target: "none",
    // One's own mail is one's own business, suspended or not.
    expect: only(SIGNED_IN),
    run: (a) => post(a, "/me/settings/email", { mode: "weekly", notifications: "on", vacationUntil: "" }),
    effect: async (a) => (a.actor ? (await one<{ m: string }>(`SELECT "emailMode" AS m FROM "User" WHERE "id" = ?`, a.actor.id))?.m === "weekly" : undefined),
  }),
  row({
    name: "send the address confirmation link again",
    covers: on("me.settings_.email.tsx", "resend"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    actorFor: throwaway,
    run: (a) => counting(`SELECT COUNT(*) AS n FROM "MailJob" WHERE "kind" = 'verify'`, () => post(a, "/me/settings/email", { intent: "resend" })),
    effect: (_a, r) => r.extra === true,
  }),
  row({
    name: "ask to change your email address (password required; a link goes to the new address)",
    covers: on("me.settings_.email.tsx", "change-email"),
    via: "form",
    target: "none",
    expect: only(SIGNED_IN),
    actorFor: throwaway,
    run: (a) =>
      counting(`SELECT COUNT(*) AS n FROM "EmailToken" WHERE "kind" = 'change'`, () =>
        post(a, "/me/settings/email", { intent: "change-email", newEmail: `moved-${uniq()}@example.org`, password: a.actor?.password ?? "x" }),
      ),
    effect: (_a, r) => r.extra === true,
  }),
  row({
    name: "unsubscribe by a signed link (one click, no session needed)",
    covers: on("email.unsubscribe.tsx", null),
    via: "form",
    target: "reply",
    // The signed token is the authority: whoever holds the link unsubscribes its member.
    expect: only([...ROLES]),
    run: async (a) => post(a, `/email/unsubscribe?token=${await unsubscribeTokenFor(a.owners.author.id)}`, { "List-Unsubscribe": "One-Click" }),
    effect: async (a) => (await one<{ m: string }>(`SELECT "emailMode" AS m FROM "User" WHERE "id" = ?`, a.owners.author.id))?.m === "none",
  }),
  row({
    name: "unsubscribe with a forged link",
    covers: on("email.unsubscribe.tsx", null),
    via: "form",
    target: "none",
    expect: only([], Object.fromEntries(ROLES.map((r) => [r, 400])) as Expectations),
    run: (a) => post(a, `/email/unsubscribe?token=${acct.member.id}-list-${"0".repeat(20)}`, {}),
  }),
  row({
    name: "retry failed mail",
    covers: on("admin.outbox.tsx", null),
    via: "form",
    target: "none",
    expect: only(["admin"]),
    run: (a) => post(a, "/admin/outbox", {}),
    effect: (a, r) => (a.role === "admin" ? textOf(r.body).includes("retry") : undefined),
  }),
  row({
    name: "the inbound-mail webhook without its secret",
    covers: "api.v1.inbound-mail.ts POST",
    via: "api",
    target: "none",
    // Only the mail provider holding INBOUND_MAIL_SECRET may post mail; no member token works.
    expect: only([], Object.fromEntries(ROLES.map((r) => [r, 401])) as Expectations),
    run: (a) => api(a, "POST", "/api/v1/inbound-mail", { raw: "From: x@example.org" }),
  }),

  // ----- JSON API (bearer tokens) -----
  row({
    name: "API: list threads",
    covers: "api.v1.threads.ts GET",
    via: "api",
    target: "none",
    expect: only(READERS),
    run: (a) => api(a, "GET", "/api/v1/threads"),
  }),
  row({
    name: "API: ask",
    covers: "api.v1.threads.ts POST",
    via: "api",
    target: "none",
    expect: only(PARTICIPANTS),
    run: (a) => api(a, "POST", "/api/v1/threads", { title: `API question ${uniq()} on cataloging`, body: "Dewey or genre?", tagIds: [tagId] }),
    effect: (_a, r) => r.status === 201,
  }),
  row({
    name: "API: post an announcement",
    covers: "api.v1.threads.ts POST",
    via: "api",
    target: "none",
    expect: only(STAFF, { member: 400, author: 400, asker: 400 }),
    run: (a) => api(a, "POST", "/api/v1/threads", { title: `API announcement ${uniq()}`, body: "Maintenance tonight.", kind: "announcement", tagIds: [tagId] }),
  }),
  row({
    name: "API: read a thread",
    covers: "api.v1.threads.$id.ts GET",
    via: "api",
    target: "thread",
    expect: only(READERS),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => api(a, "GET", `/api/v1/threads/${a.fx.id}`),
  }),
  row({
    name: "API: read a TARGET with a private reply (is the reply's text in it?)",
    covers: "api.v1.threads.$id.ts GET",
    via: "api",
    target: "reply",
    // Reading: a suspended author still may not use the API at all (403 suspended).
    expect: only(["author", "asker", "moderator", "admin"]),
    setup: async (c) => {
      const thread = await ask(c.owners.asker, "target");
      const secret = `SECRET-${uniq()}`;
      await answer(c.owners.author, thread, `Privately: ${secret}`);
      return secret;
    },
    run: async (a) => {
      const id = (await one<{ id: number }>(`SELECT "threadId" AS "id" FROM "Reply" WHERE "bodySource" LIKE ?`, `%${a.fx}%`))!.id;
      return api(a, "GET", `/api/v1/threads/${id}`);
    },
    judge: (a, r) => (r.status === 200 && r.body.includes(a.fx) ? "allow" : "deny"),
  }),
  row({
    name: "API: read a thread a moderator hid",
    covers: "api.v1.threads.$id.ts GET",
    via: "api",
    target: "thread",
    // Its author (told why) and staff see it; for anyone else it does not exist.
    expect: only(["author", "asker", "moderator", "admin"], { guest: 404, member: 404 }),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await staff(t.path, { intent: "mod-hide", target: `thread:${t.id}`, reason: "Off topic for the list" });
      return t;
    },
    run: (a) => api(a, "GET", `/api/v1/threads/${a.fx.id}`),
  }),
  row({
    name: "API: answer",
    covers: "api.v1.threads.$id.replies.ts POST",
    via: "api",
    target: "thread",
    expect: only(PARTICIPANTS),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => api(a, "POST", `/api/v1/threads/${a.fx.id}/replies`, { body: "Use genre labels." }),
    effect: (_a, r) => r.status === 201,
  }),
  row({
    name: "API: answer in a locked thread",
    covers: "api.v1.threads.$id.replies.ts POST",
    via: "api",
    target: "thread",
    expect: only(STAFF, { member: 409, author: 409, asker: 409 }),
    setup: async (c) => {
      const t = await ask(c.owners.asker);
      await staff(t.path, { intent: "lock", reason: "Closed" });
      return t;
    },
    run: (a) => api(a, "POST", `/api/v1/threads/${a.fx.id}/replies`, { body: "Late answer." }),
  }),
  row({
    name: "API: mark a public reply helpful",
    covers: "api.v1.replies.$id.helpful.ts PUT",
    via: "api",
    target: "reply",
    expect: only(["member", "asker", "moderator", "admin"], { author: 403 }),
    setup: async (c) => replyInThread(c),
    run: (a) => api(a, "PUT", `/api/v1/replies/${a.fx.replyId}/helpful`),
    effect: async (a) => await hasVote(a.fx.replyId, a.actor),
  }),
  row({
    name: "API: mark a private TARGET reply helpful",
    covers: "api.v1.replies.$id.helpful.ts PUT",
    via: "api",
    target: "reply",
    expect: only(["asker", "moderator", "admin"], { member: 404, author: 403 }),
    setup: async (c) => replyInThread(c, "target"),
    run: (a) => api(a, "PUT", `/api/v1/replies/${a.fx.replyId}/helpful`),
    effect: async (a) => await hasVote(a.fx.replyId, a.actor),
  }),
  row({
    name: "API: take back a helpful vote",
    covers: "api.v1.replies.$id.helpful.ts DELETE",
    via: "api",
    target: "reply",
    expect: only(["member", "asker", "moderator", "admin"], { author: 403 }),
    setup: async (c) => {
      const fx = await replyInThread(c);
      return { ...fx, voted: await voteIfPossible(c, fx.thread, fx.replyId) };
    },
    run: (a) => api(a, "DELETE", `/api/v1/replies/${a.fx.replyId}/helpful`),
    effect: async (a) => (a.fx.voted ? !(await hasVote(a.fx.replyId, a.actor)) : undefined),
  }),
  row({
    name: "API: accept an answer",
    covers: "api.v1.threads.$id.accept.ts PUT",
    via: "api",
    target: "reply",
    expect: only(["asker", "moderator", "admin"]),
    setup: async (c) => replyInThread(c),
    run: (a) => api(a, "PUT", `/api/v1/threads/${a.fx.thread.id}/accept`, { replyId: a.fx.replyId }),
    effect: async (a) => (await getThread(a.fx.thread.id)).acceptedReplyId === a.fx.replyId,
  }),
  row({
    name: "API: clear the accepted answer",
    covers: "api.v1.threads.$id.accept.ts DELETE",
    via: "api",
    target: "reply",
    expect: only(["asker", "moderator", "admin"]),
    setup: async (c) => {
      const fx = await replyInThread(c);
      const res = await c.owners.asker.client.post(fx.thread.path, { intent: "accept", replyId: String(fx.replyId) });
      if (res.status !== 302) fail("accepting", res);
      return fx;
    },
    run: (a) => api(a, "DELETE", `/api/v1/threads/${a.fx.thread.id}/accept`),
    effect: async (a) => (await getThread(a.fx.thread.id)).acceptedReplyId === null,
  }),
  row({
    name: "API: flag a reply",
    covers: "api.v1.flags.ts POST",
    via: "api",
    target: "reply",
    expect: only(["member", "asker", "moderator", "admin"], { author: 409 }),
    setup: async (c) => replyInThread(c),
    run: (a) => api(a, "POST", "/api/v1/flags", { target: `reply:${a.fx.replyId}`, reason: "spam" }),
    effect: async (a) => await hasFlag(`reply:${a.fx.replyId}`, a.actor),
  }),
  row({
    name: "API: list resources",
    covers: "api.v1.resources.ts GET",
    via: "api",
    target: "none",
    expect: only(READERS),
    run: (a) => api(a, "GET", "/api/v1/resources"),
  }),
  row({
    name: "API: suggest a resource",
    covers: "api.v1.resources.ts POST",
    via: "api",
    target: "none",
    expect: only(PARTICIPANTS),
    run: (a) => api(a, "POST", "/api/v1/resources", { title: "API guide", url: freshUrl(), abstract: ABSTRACT, type: "article", tagIds: [tagId] }),
    effect: (_a, r) => r.status === 201,
  }),
  row({
    name: "API: read an approved resource",
    covers: "api.v1.resources.$id.ts GET",
    via: "api",
    target: "resource",
    expect: only(READERS),
    setup: async (c) => approvedResource(c.owners.author),
    run: (a) => api(a, "GET", `/api/v1/resources/${a.fx}`),
  }),
  row({
    name: "API: read a pending resource",
    covers: "api.v1.resources.$id.ts GET",
    via: "api",
    target: "resource",
    expect: only(["author", "moderator", "admin"], { guest: 404, member: 404, asker: 404 }),
    setup: async (c) => suggestResource(c.owners.author),
    run: (a) => api(a, "GET", `/api/v1/resources/${a.fx}`),
  }),
  row({
    name: "API: search",
    covers: "api.v1.search.ts GET",
    via: "api",
    target: "none",
    expect: only(READERS),
    run: (a) => api(a, "GET", "/api/v1/search?q=shelving"),
  }),
  // The portfolio over the API (issue 19): the caller's own entries only; another member's id is 404, staff included.
  row({
    name: "API: list your portfolio entries",
    covers: "api.v1.portfolio.entries.ts GET",
    via: "api",
    target: "reply",
    expect: only(PARTICIPANTS),
    setup: async (c) => ({ id: await portfolioEntryOf(c.owners.author) }),
    run: (a) => api(a, "GET", "/api/v1/portfolio/entries"),
    // Each caller sees their own log: the author's entry is listed for the author alone.
    effect: (a, r) => {
      if (r.status !== 200 || !a.actor) return undefined;
      const listed = (JSON.parse(r.body) as { entries: { id: number }[] }).entries.some((e) => e.id === a.fx.id);
      return listed === (a.actor === a.owners.author) ? undefined : false;
    },
  }),
  row({
    name: "API: add a portfolio entry",
    covers: "api.v1.portfolio.entries.ts POST",
    via: "api",
    target: "none",
    expect: only(PARTICIPANTS),
    setup: async () => `API workshop ${uniq()}`,
    run: (a) =>
      api(a, "POST", "/api/v1/portfolio/entries", {
        type: "workshop",
        title: a.fx,
        startedOn: inDays(-30),
        quantity: 3,
        unit: "hours",
        areas: [{ area: "technology" }],
      }),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioEntry" WHERE "ownerId" = ? AND "title" = ?`, a.actor.id, a.fx)) === 1 : undefined,
  }),
  row({
    name: "API: read the author's portfolio entry",
    covers: "api.v1.portfolio.entries.$id.ts GET",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => api(a, "GET", `/api/v1/portfolio/entries/${a.fx}`),
  }),
  row({
    name: "API: edit the author's portfolio entry",
    covers: "api.v1.portfolio.entries.$id.ts PATCH",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => ({ id: await portfolioEntryOf(c.owners.author), title: `API edit ${uniq()}` }),
    run: (a) => api(a, "PATCH", `/api/v1/portfolio/entries/${a.fx.id}`, { title: a.fx.title }),
    effect: async (a) =>
      a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioEntry" WHERE "id" = ? AND "title" = ?`, a.fx.id, a.fx.title)) === 1 : undefined,
  }),
  row({
    name: "API: delete the author's portfolio entry",
    covers: "api.v1.portfolio.entries.$id.ts DELETE",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => api(a, "DELETE", `/api/v1/portfolio/entries/${a.fx}`),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "PortfolioEntry" WHERE "id" = ?`, a.fx)) === 0 : undefined),
  }),
  // Evidence over the API (issue 19): the entry's owner alone; another member's entry or evidence is 404, staff included.
  row({
    name: "API: list the evidence of the author's portfolio entry",
    covers: "api.v1.portfolio.entries.$id.evidence.ts GET",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => evidenceOf(c.owners.author, "link"),
    run: (a) => api(a, "GET", `/api/v1/portfolio/entries/${a.fx.entry}/evidence`),
    effect: (a, r) => (r.status === 200 ? (JSON.parse(r.body) as { evidence: { id: number }[] }).evidence.some((e) => e.id === a.fx.evidence) : undefined),
  }),
  row({
    name: "API: add a link as evidence to the author's portfolio entry",
    covers: "api.v1.portfolio.entries.$id.evidence.ts POST",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => api(a, "POST", `/api/v1/portfolio/entries/${a.fx}/evidence`, { url: "https://example.org/certificate", title: "Certificate" }),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'link'`, a.fx)) === 1 : undefined),
  }),
  row({
    name: "API: send a file as evidence to the author's portfolio entry",
    covers: "api.v1.portfolio.entries.$id.evidence.ts POST",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => portfolioEntryOf(c.owners.author),
    run: (a) => apiFile(a, `/api/v1/portfolio/entries/${a.fx}/evidence?name=certificate.pdf`),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'file'`, a.fx)) === 1 : undefined),
  }),
  row({
    name: "API: read evidence of the author's portfolio entry",
    covers: "api.v1.portfolio.evidence.$id.ts GET",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => evidenceOf(c.owners.author, "link"),
    run: (a) => api(a, "GET", `/api/v1/portfolio/evidence/${a.fx.evidence}`),
  }),
  row({
    name: "API: delete evidence of the author's portfolio entry",
    covers: "api.v1.portfolio.evidence.$id.ts DELETE",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => evidenceOf(c.owners.author, "file"),
    run: (a) => api(a, "DELETE", `/api/v1/portfolio/evidence/${a.fx.evidence}`),
    effect: async (a) => (a.actor ? (await count(`SELECT COUNT(*) AS n FROM "Evidence" WHERE "id" = ?`, a.fx.evidence)) === 0 : undefined),
  }),
  row({
    name: "API: download an evidence file of the author's portfolio entry",
    covers: "api.v1.portfolio.evidence.$id.file.ts GET",
    via: "api",
    target: "reply",
    expect: only(["author"], { member: 404, asker: 404, moderator: 404, admin: 404 }),
    suspendedAs: "author",
    setup: async (c) => evidenceOf(c.owners.author, "file"),
    run: (a) => api(a, "GET", `/api/v1/portfolio/evidence/${a.fx.evidence}/file`),
    // The file itself, to its owner only.
    effect: (a, r) => (a.actor ? r.body === "%PDF-1.4\n%%EOF\n" : undefined),
  }),
  row({
    name: "API: the programs you follow, with your progress",
    covers: "api.v1.portfolio.programs.ts GET",
    via: "api",
    target: "none",
    expect: only(PARTICIPANTS),
    run: (a) => api(a, "GET", "/api/v1/portfolio/programs"),
  }),

  // ----- live updates (socket.io) -----
  row({
    name: "subscribe to a public thread's live events",
    covers: "socket subscribe",
    via: "socket",
    target: "thread",
    // Reading: everyone, a suspended member included.
    expect: only([...ROLES]),
    setup: async (c) => ask(c.owners.asker),
    run: (a) => subscribe(a, { threads: [a.fx.id], newThreads: true }),
  }),
  row({
    name: "subscribe and replay: a private TARGET reply reaches only the asker, its author and staff",
    covers: "socket subscribe",
    via: "socket",
    target: "reply",
    expect: only(["author", "asker", "moderator", "admin", "suspended"]),
    suspendedAs: "author",
    setup: async (c) => {
      const since = await maxLiveEventId();
      const { thread, replyId } = await replyInThread(c, "target");
      await until("the private reply's live event", async () =>
        (await queryAll<{ payload: string }>(server.database, `SELECT "payload" FROM "LiveEvent" WHERE "id" > ? AND "type" = 'reply.created'`, since)).find(
          (e) => (JSON.parse(e.payload) as { replyId?: number }).replyId === replyId,
        ),
      );
      return { thread, replyId, since };
    },
    run: (a) => subscribe(a, { threads: [a.fx.thread.id], newThreads: false, since: a.fx.since }),
    judge: (a, r) =>
      (r.extra as Ack).ok && (r.extra as Ack).events?.some((e) => e.type === "reply.created" && e.reply?.id === a.fx.replyId) ? "allow" : "deny",
  }),
];

// ---------------------------------------------------------------------------
// Running one attempt and judging it
// ---------------------------------------------------------------------------

function suspendedAs(r: Row<unknown>): "author" | "asker" | "member" {
  if (r.suspendedAs) return r.suspendedAs;
  const allowed = (role: Role) => r.expect[role] === "allow";
  if (allowed("author") && !allowed("member")) return "author";
  if (allowed("asker") && !allowed("member")) return "asker";
  return "member";
}

function ownersFor(r: Row<unknown>, role: Role): Owners {
  const onThread = r.target === "thread";
  if (role === "author" || role === "asker") {
    const me = acct[role];
    if (onThread) return { asker: me, author: me };
    return role === "author" ? { asker: acct.asker, author: me } : { asker: me, author: acct.author };
  }
  if (role === "suspended") {
    const me = acct.suspended;
    const as = suspendedAs(r);
    if (as !== "member" && onThread) return { asker: me, author: me };
    if (as === "author") return { asker: acct.asker, author: me };
    if (as === "asker") return { asker: me, author: acct.author };
  }
  return { asker: acct.asker, author: acct.author };
}

/** Fixtures for the suspended member's attempts, built before the suspension (they may need the member to post). */
const prebuilt = new Map<Row<unknown>, unknown>();

async function prepare(r: Row<unknown>, role: Role): Promise<Attempt<unknown>> {
  const owners = ownersFor(r, role);
  let actor: Account | null;
  let client: Client;
  if (r.actorFor) {
    actor = await r.actorFor(role);
    client = actor?.client ?? new Client(server.url);
  } else {
    actor = role === "guest" ? null : acct[role];
    client = !actor ? new Client(server.url) : r.session === "fresh" ? await login(actor) : actor.client;
  }
  const fx = role === "suspended" && prebuilt.has(r) ? prebuilt.get(r) : await r.setup?.({ owners, actor, role });
  return { role, actor, client, owners, fx };
}

type Observed = "allow" | "deny" | "login" | "error";

function errorCode(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === "string" ? parsed.error.code : null;
  } catch {
    return null;
  }
}

function observe(r: Row<unknown>, res: Result): Observed {
  if (res.status >= 500 || res.status === 0) return "error";
  if (r.via === "form" && res.status >= 300 && res.status < 400 && (res.location ?? "").startsWith("/login")) return "login";
  if (res.status < 400) return "allow";
  return "deny";
}

/** What is wrong with this outcome, if anything. */
async function problemsWith(r: Row<unknown>, a: Attempt<unknown>, res: Result, effect: boolean | undefined): Promise<string[]> {
  const expected = r.expect[a.role];
  const seen = `${res.status}${res.location ? ` → ${res.location}` : ""}: ${textOf(res.body).slice(0, 200)}`;
  const problems: string[] = [];
  let observed = observe(r, res);
  if (observed === "error") return [`server error or no answer (${seen})`];
  if (r.judge && observed === "allow") observed = await r.judge(a, res);
  const wantAllow = expected === "allow";

  if (wantAllow) {
    if (observed !== "allow") problems.push(`expected allow, got ${observed === "login" ? "a redirect to log in" : "deny"} (${seen})`);
  } else if (typeof expected === "number") {
    if (res.status !== expected) problems.push(`expected a deny with ${expected}, got ${seen}`);
  } else if (observed === "allow") {
    problems.push(`expected deny, but it was allowed (${seen})`);
  } else if (observed === "deny" && res.status < 400) {
    // A visibility row that answered without the private content: a correct deny.
  } else if (a.role === "guest") {
    if (r.via === "form" && observed !== "login") problems.push(`expected a redirect to /login, got ${seen}`);
    if ((r.via === "api" || r.via === "json") && res.status !== 401) problems.push(`expected 401, got ${seen}`);
    if (r.via === "socket" && observed !== "deny") problems.push(`expected a refusal, got ${seen}`);
  } else if (a.role === "suspended") {
    if (r.via !== "socket" && res.status !== 403) problems.push(`expected 403 for a suspended member, got ${seen}`);
    if ((r.via === "api" || r.via === "json") && errorCode(res.body) !== "suspended") problems.push(`expected error code "suspended", got ${seen}`);
  } else if (r.via !== "socket" && res.status !== 403 && res.status !== 404) {
    problems.push(`expected 403 or 404, got ${seen}`);
  }
  if ((r.via === "api" || r.via === "json") && res.status >= 400 && !errorCode(res.body))
    problems.push(`API error without the { error: { code } } shape (${seen})`);

  if (effect !== undefined && effect !== wantAllow) {
    problems.push(wantAllow ? `answered ${res.status} but the change did not happen` : `answered ${res.status} but the change happened anyway`);
  }
  return problems;
}

const label = (e: Expect) => (e === "allow" ? "allowed" : e === "deny" ? "denied" : `denied (${e})`);

// ---------------------------------------------------------------------------
// The server and the cast
// ---------------------------------------------------------------------------

beforeAll(async () => {
  server = await startServer({ env: { TRUST_PROXY: "true", SESSION_SECRET, INBOUND_MAIL_SECRET: "an-inbound-secret-nobody-here-has" } });
  const reference = (await one<{ id: number; slug: string }>(`SELECT "id", "slug" FROM "Tag" WHERE "slug" = 'reference'`))!;
  tagId = reference.id;
  tagSlug = reference.slug;
  otherTagId = (await one<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'technology'`))!.id;

  const adminClient = new Client(server.url);
  const adminData = aMember("admin", { displayName: "Avery Admin" });
  const setup = await adminClient.post(`/setup?token=${server.setupToken}`, adminData);
  if (setup.status !== 302) fail("creating the first admin", setup);
  const adminId = (await one<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = ?`, adminData.handle))!.id;
  acct.admin = { label: "admin", handle: adminData.handle, email: adminData.email, password: adminData.password, id: adminId, client: adminClient, token: "" };

  for (const role of ["moderator", "member", "author", "asker", "suspended"] as const) acct[role] = await newMember(role);
  await setRole(acct.moderator, "moderator");
  helpers = [await newMember("helper1"), await newMember("helper2"), await newMember("helper3")];
  resetTarget = await newMember("resettarget");
  for (const role of Object.keys(acct) as SignedInRole[]) acct[role].token = await createToken(acct[role]);

  // The suspended member's fixtures, while they may still post; then the suspension.
  for (const r of ROWS) {
    if (!r.setup || r.actorFor) continue;
    prebuilt.set(r, await r.setup({ owners: ownersFor(r, "suspended"), actor: acct.suspended, role: "suspended" }));
  }
  await suspend(acct.suspended);
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

describe("authorization matrix", () => {
  it("knows the suspended member is suspended, and still lets them read", async () => {
    const page = await acct.suspended.client.get("/");
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain(suspensionReason);
    const thread = await ask(acct.member);
    expect((await acct.suspended.client.get(thread.path)).status).toBe(200);
    const reply = await acct.suspended.client.post(thread.path, { intent: "reply", body: "Let me in" });
    expect(reply.status).toBe(403);
    expect(textOf(reply.body)).toContain("Your account is suspended until");
  });

  for (const r of ROWS) {
    describe(`${r.name} [${r.covers}]`, () => {
      for (const role of ROLES) {
        it(`${role}: ${label(r.expect[role])}`, async () => {
          const a = await prepare(r, role);
          const res = await r.run(a);
          const effect = observe(r, res) === "error" ? undefined : await r.effect?.(a, res);
          expect(await problemsWith(r, a, res, effect), `${r.name} as ${role}`).toEqual([]);
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// Completeness: what the code accepts, read from the source
// ---------------------------------------------------------------------------

/** From `start` to the next top-level declaration or comment. */
function topLevelBlock(src: string, start: number): string {
  const rest = src.slice(start);
  const end = rest.slice(1).search(/\n(?=export |function |async function |const |let |type |interface |class |\/\*\*|\/\/ )/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

const quoted = (s: string) => [...s.matchAll(/"([^"]+)"/g)].map((m) => m[1]);

/** Every form route with an action, and each intent its action dispatches on ("(no intent)" when it has a path without one). */
function formRouteKeys(): string[] {
  const moderationSource = fs.readFileSync(path.join(ROOT, "app/web/moderation-form.server.ts"), "utf8");
  const list = /MODERATION_INTENTS\s*=\s*\[([^\]]*)\]/.exec(moderationSource);
  if (!list) throw new Error("MODERATION_INTENTS not found in app/web/moderation-form.server.ts: update this test's reader");
  const moderationIntents = quoted(list[1]);
  const keys: string[] = [];
  for (const file of fs.readdirSync(path.join(ROOT, "app/routes")).sort()) {
    if (!/\.tsx?$/.test(file) || file.startsWith("api.v1.")) continue;
    const src = fs.readFileSync(path.join(ROOT, "app/routes", file), "utf8");
    const exported = /export\s+(?:async\s+function\s+action\b|function\s+action\b|const\s+action\b)/.exec(src);
    if (!exported) {
      if (/export\s*\{[^}]*\baction\b/.test(src)) throw new Error(`${file} re-exports an action: update this test's reader`);
      continue;
    }
    const action = topLevelBlock(src, exported.index);
    const intents = new Set<string>();
    for (const m of action.matchAll(/case\s+"([^"]+)"\s*:/g)) intents.add(m[1]);
    for (const m of action.matchAll(/intent"?\)?\s*[!=]==?\s*"([^"]+)"/g)) intents.add(m[1]);
    for (const m of action.matchAll(/\[([^\]]*)\]\.includes\(intent\)/g)) for (const i of quoted(m[1])) intents.add(i);
    // The thread page hands any intent to the moderation helper first.
    if (/=\s*await\s+runModerationIntent\(/.test(action)) for (const i of moderationIntents) intents.add(i);
    if (/runModerationIntent\(/.test(action) && ![...intents].some((i) => moderationIntents.includes(i))) {
      throw new Error(`${file} calls runModerationIntent in a way this test's reader does not understand`);
    }
    for (const i of intents) keys.push(on(file, i));
    if (intents.size === 0 || !/Unknown action/.test(action)) keys.push(on(file, null));
  }
  return keys;
}

/** Every method each api.v1 route answers (other than "method not allowed"). */
function apiKeys(): string[] {
  const keys: string[] = [];
  for (const file of fs.readdirSync(path.join(ROOT, "app/routes")).sort()) {
    if (!file.startsWith("api.v1.")) continue;
    const src = fs.readFileSync(path.join(ROOT, "app/routes", file), "utf8");
    const methods = new Set<string>();
    for (const m of src.matchAll(/methodNotAllowed\(\[([^\]]*)\]\)/g)) for (const x of quoted(m[1])) methods.add(x);
    for (const m of src.matchAll(/request\.method\s*[!=]==?\s*"([A-Z]+)"/g)) methods.add(m[1]);
    const loader = /export\s+(?:async\s+function\s+loader\b|function\s+loader\b|const\s+loader\b)/.exec(src);
    if (loader) {
      if (/methodNotAllowed/.test(topLevelBlock(src, loader.index))) methods.delete("GET");
      else methods.add("GET");
    }
    if (methods.size === 0) throw new Error(`${file}: no methods found: update this test's reader`);
    for (const m of methods) keys.push(`${file} ${m}`);
  }
  return keys;
}

/** Events a client may send, as server/realtime.ts listens for them. */
function socketKeys(): string[] {
  const src = fs.readFileSync(path.join(ROOT, "server/realtime.ts"), "utf8");
  const reserved = new Set(["connect", "connection", "disconnect", "disconnecting", "error"]);
  return [...new Set([...src.matchAll(/socket\.on\(\s*"([^"]+)"/g)].map((m) => m[1]))].filter((e) => !reserved.has(e)).map((e) => `socket ${e}`);
}

describe("the matrix is complete", () => {
  const covered = new Set(ROWS.map((r) => r.covers));

  it("has a row for every state-changing route and form intent", () => {
    const keys = formRouteKeys();
    expect(keys.length, "the route reader found suspiciously few actions").toBeGreaterThan(40);
    const missing = keys.filter((k) => !covered.has(k));
    expect(missing, `Add these routes/intents to the authorization matrix in ${path.basename(import.meta.filename)}`).toEqual([]);
  });

  it("has a row for every JSON API endpoint and method", () => {
    const keys = apiKeys();
    expect(keys.length).toBeGreaterThanOrEqual(10);
    const missing = keys.filter((k) => !covered.has(k));
    expect(missing, "Add these API endpoints to the authorization matrix").toEqual([]);
  });

  it("has a row for every socket event the server accepts", () => {
    const keys = socketKeys();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    const missing = keys.filter((k) => !covered.has(k));
    expect(missing, "Add these socket events to the authorization matrix").toEqual([]);
  });

  it("has no rows for routes, intents or events that no longer exist", () => {
    const known = new Set([...formRouteKeys(), ...apiKeys(), ...socketKeys()]);
    expect(
      [...covered].filter((k) => !known.has(k)),
      "Stale rows in the authorization matrix",
    ).toEqual([]);
  });

  it("tries every role on every row", () => {
    for (const r of ROWS) expect(Object.keys(r.expect).sort(), r.name).toEqual([...ROLES].sort());
  });
});
