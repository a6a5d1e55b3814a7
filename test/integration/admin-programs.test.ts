// The admin pages for certification programs (issue 19), against a real
// server: the list, the structured edit form and the JSON form (saved, versioned,
// logged; bad input refused beside its field with what was typed kept), the
// import and download (a download imports back as the same program), retiring,
// a save over a newer version, the moderation log's wording, and who may open
// any of it (as every admin page: guests are sent to log in, others get 403).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProgramDefinition } from "~/lib/program";
import { aMember, join, textOf, Visitor, type Page } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let admin: Visitor;
let member: Visitor;
let moderator: Visitor;

beforeAll(async () => {
  server = await startServer();
  admin = new Visitor(server.url);
  expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("admin", { handle: "admin" }))).status).toBe(302);
  member = new Visitor(server.url);
  await join(member, aMember(1));
  moderator = new Visitor(server.url);
  await join(moderator, aMember(2));
  const id = (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = 'member2'`)).id;
  expect((await admin.post("/admin/members", { userId: String(id), role: "moderator" })).status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
});

type Stored = { version: number; retiredAt: unknown; definition: string };
const stored = (slug: string) =>
  queryOne<Stored | undefined>(server.database, `SELECT "version", "retiredAt", "definition" FROM "Program" WHERE "slug" = ?`, slug);
const definitionOf = async (slug: string) => JSON.parse((await stored(slug))!.definition) as ProgramDefinition;
const logged = (action: string, slug: string) =>
  queryOne<{ n: number }>(server.database, `SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "action" = ? AND "detail" = ?`, action, slug).then((r) =>
    Number(r.n),
  );

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]) : null;
};

/** What a browser would send for the page's form whose hidden intent is `intent`: inputs, ticked boxes, textareas, selects. */
function formOf(page: Page, intent: string): Record<string, string> {
  const form = [...page.body.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes(`name="intent" value="${intent}"`));
  if (!form) throw new Error(`no form with intent ${intent} on the page`);
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, "name");
    if (!name || (attr(tag, "type") === "checkbox" && attr(tag, "checked") === null)) continue;
    fields[name] = attr(tag, "type") === "checkbox" ? (attr(tag, "value") ?? "on") : (attr(tag, "value") ?? "");
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) fields[attr(m[1], "name")!] = decode(m[2]);
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2].matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]);
    fields[attr(m[1], "name")!] = attr(options.find((o) => attr(o, "selected") !== null) ?? options[0] ?? "", "value") ?? "";
  }
  return fields;
}

/** The page's value of an input (as re-rendered), or null. */
const valueOf = (page: Page, name: string) => {
  const tag = new RegExp(`<input\\b[^>]*\\sname="${name}"[^>]*>`).exec(page.body)?.[0];
  return tag ? attr(tag, "value") : null;
};
/** The message beside a field (its `<name>-error` paragraph), or null. */
const errorBeside = (page: Page, name: string) => {
  const m = new RegExp(`<p[^>]*id="${name}-error"[^>]*>([\\s\\S]*?)</p>`).exec(page.body);
  return m ? textOf(m[1]).trim() : null;
};

async function editPage(slug: string) {
  const page = await admin.get(`/admin/programs/${slug}`);
  expect(page.status).toBe(200);
  return page;
}

/** Posts the structured form as the page shows it, with `changes`. */
async function saveDetails(slug: string, changes: Record<string, string>) {
  return admin.post(`/admin/programs/${slug}`, { ...formOf(await editPage(slug), "details"), ...changes });
}

describe("the list", () => {
  it("shows every program with its short name, followers, version and state, a link to edit it and its JSON", async () => {
    const page = await admin.get("/admin/programs");
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    for (const name of [
      "Library Support Staff Certification (LSSC)",
      "Paralibrarian Recognition (PARA), Massachusetts",
      "lssc",
      "para-ma",
      "nyslaa",
      "montana",
    ])
      expect(text).toContain(name);
    expect(page.body).toContain('href="/admin/programs/lssc"');
    expect(page.body).toContain('href="/admin/programs/lssc.json"');
    expect(text).toContain("Offered");
    // The admin nav leads here.
    expect(page.body).toMatch(/<a[^>]*href="\/admin\/programs"[^>]*>Programs<\/a>/);
  });
});

describe("editing a program", () => {
  it("shows the program's note on figures to check, and its fields as saved", async () => {
    const page = await editPage("para-ma");
    expect(textOf(page.body)).toContain("Check with the program: The shape (levels reached by points for education");
    expect(valueOf(page, "levelName-1")).toBe("PARA level 2");
    expect(valueOf(page, "levelThreshold-1")).toBe("50");
    // A blank row adds a level.
    expect(valueOf(page, "levelName-4")).toBe("");
    expect(formOf(page, "details").version).toBe("1");
  });

  it("saves a changed level threshold: the version goes up and the change is logged", async () => {
    const res = await saveDetails("para-ma", { "levelThreshold-1": "60" });
    expect(res.status, textOf(res.body).slice(0, 400)).toBe(200);
    expect(textOf(res.body)).toContain("Saved as version 2.");
    const row = (await stored("para-ma"))!;
    expect(Number(row.version)).toBe(2);
    expect((await definitionOf("para-ma")).levels.map((l) => l.threshold)).toEqual([25, 60, 100, 150]);
    expect(await logged("program.edited", "para-ma")).toBe(1);
    // What the form leaves out is kept as it was.
    expect((await definitionOf("para-ma")).rules).toHaveLength(8);
    expect(valueOf(await editPage("para-ma"), "levelThreshold-1")).toBe("60");
  });

  it("adds a level from the blank row and removes one", async () => {
    const added = await saveDetails("para-ma", { "levelName-4": "PARA level 5", "levelThreshold-4": "200" });
    expect(added.status).toBe(200);
    expect((await definitionOf("para-ma")).levels.map((l) => l.threshold)).toEqual([25, 60, 100, 150, 200]);
    const removed = await saveDetails("para-ma", { "levelRemove-4": "on" });
    expect(removed.status).toBe(200);
    expect((await definitionOf("para-ma")).levels.map((l) => l.threshold)).toEqual([25, 60, 100, 150]);
  });

  it("refuses overlapping levels beside the levels, keeping what was typed", async () => {
    const before = (await stored("para-ma"))!;
    const res = await saveDetails("para-ma", { "levelThreshold-2": "40", "levelName-2": "Typed name" });
    expect(res.status).toBe(400);
    expect(errorBeside(res, "levels")).toContain("Levels overlap: “Typed name” must need more than “PARA level 2”.");
    expect(res.body).toMatch(/<fieldset[^>]*class="fieldset fieldset--invalid"[^>]*aria-describedby="levels-error"/);
    expect(valueOf(res, "levelThreshold-2")).toBe("40");
    expect(valueOf(res, "levelName-2")).toBe("Typed name");
    expect((await stored("para-ma"))!.version).toEqual(before.version);
  });

  it("refuses a negative minimum beside its field", async () => {
    const res = await saveDetails("montana", { "categoryMinimum-1": "-5" });
    expect(res.status).toBe(400);
    expect(errorBeside(res, "categoryMinimum-1")).toBe("A category's minimum cannot be negative.");
    expect(res.body).toMatch(/<input[^>]*name="categoryMinimum-1"[^>]*aria-invalid="true"/);
    expect(valueOf(res, "categoryMinimum-1")).toBe("-5");
    expect(Number((await stored("montana"))!.version)).toBe(1);
  });

  it("refuses what is not a number beside its field, never with a server error", async () => {
    const res = await saveDetails("para-ma", { "levelThreshold-0": "twenty-five", windowYears: "five", renewalAmount: "1e309", name: "PARA (edited)" });
    expect(res.status).toBe(400);
    expect(errorBeside(res, "levelThreshold-0")).toBe("Enter a number in digits, e.g. 15 or 7.5.");
    expect(errorBeside(res, "windowYears")).toBe("Enter a whole number, e.g. 4.");
    expect(errorBeside(res, "renewalAmount")).toBe("Enter a number in digits, e.g. 15 or 7.5.");
    expect(valueOf(res, "levelThreshold-0")).toBe("twenty-five");
    expect(valueOf(res, "name")).toBe("PARA (edited)");
  });

  it("refuses a level with a name and no threshold, a renewal amount without how often, and an empty name", async () => {
    const res = await saveDetails("montana", { "levelName-1": "Master", renewalEvery: "", name: " " });
    expect(res.status).toBe(400);
    expect(errorBeside(res, "levelThreshold-1")).toBe("Give the level a threshold.");
    expect(errorBeside(res, "renewalEvery")).toBe("Say how often renewal is due, or clear the renewal fields.");
    const named = await saveDetails("montana", { name: " " });
    expect(named.status).toBe(400);
    expect(errorBeside(named, "name")).toBe("Name is required.");
  });

  it("saves the window, electives, a category's name, minimum and requirement, and renewal", async () => {
    const res = await saveDetails("montana", {
      windowYears: "",
      electivesNeeded: "1",
      "categoryName-0": "Renamed category",
      "categoryMinimum-0": "12.5",
      // An unticked box sends nothing; a value other than "on" is the same.
      "categoryRequired-3": "",
      renewalEvery: "5",
      renewalAmount: "50",
      renewalCategory: "",
    });
    expect(res.status, textOf(res.body).slice(0, 400)).toBe(200);
    const d = await definitionOf("montana");
    expect(d.windowYears).toBeNull();
    expect(d.electivesNeeded).toBe(1);
    expect(d.categories[0]).toMatchObject({ name: "Renamed category", minimum: 12.5, required: true });
    expect(d.categories[3]).toMatchObject({ name: "Administration and management", minimum: 10, required: false });
    expect(d.categories[0].areas).toContain("foundations");
    expect(d.renewal).toEqual({ everyYears: 5, amount: 50, minimumIn: null });
    // No renewal at all: every renewal field blank.
    const none = await saveDetails("montana", { renewalEvery: "", renewalAmount: "", renewalCategory: "", renewalMinimum: "" });
    expect(none.status).toBe(200);
    expect((await definitionOf("montana")).renewal).toBeNull();
  });

  it("refuses a save over a version someone saved since, keeping what was typed", async () => {
    const stale = formOf(await editPage("nyslaa"), "details");
    expect((await saveDetails("nyslaa", { summary: "Another admin's summary." })).status).toBe(200);
    const res = await admin.post("/admin/programs/nyslaa", { ...stale, summary: "My summary." });
    expect(res.status).toBe(409);
    expect(textOf(res.body)).toContain("Someone saved this program after you opened it.");
    expect(textOf(res.body)).toContain("My summary.");
    expect((await definitionOf("nyslaa")).summary).toBe("Another admin's summary.");
    // Saving again (the page now carries the newer version) replaces it.
    const again = await admin.post("/admin/programs/nyslaa", { ...formOf(res, "details"), summary: "My summary." });
    expect(again.status).toBe(200);
    expect((await definitionOf("nyslaa")).summary).toBe("My summary.");
  });
});

describe("editing as JSON", () => {
  it("refuses text that is not JSON beside the textarea, keeping it", async () => {
    const res = await admin.post("/admin/programs/lssc", { ...formOf(await editPage("lssc"), "json"), definition: '{"name": "LSSC", oops' });
    expect(res.status).toBe(400);
    expect(errorBeside(res, "definition")).toMatch(/^This is not valid JSON/);
    expect(res.body).toContain("{&quot;name&quot;: &quot;LSSC&quot;, oops");
    expect(Number((await stored("lssc"))!.version)).toBe(1);
  });

  it("refuses a definition that breaks the rules beside the textarea, naming the part", async () => {
    const d = await definitionOf("lssc");
    const res = await admin.post("/admin/programs/lssc", {
      ...formOf(await editPage("lssc"), "json"),
      definition: JSON.stringify({
        ...d,
        levels: [
          { name: "A", threshold: 10 },
          { name: "B", threshold: 5 },
        ],
        electivesNeeded: -1,
      }),
    });
    expect(res.status).toBe(400);
    const message = errorBeside(res, "definition")!;
    expect(message).toContain("levels: Levels overlap: “B” must need more than “A”.");
    expect(message).toContain("electivesNeeded: Electives needed cannot be negative.");
  });

  it("saves the whole definition: what the form does not show (rules, areas) too", async () => {
    const d = await definitionOf("lssc");
    d.rules = [{ type: "conference", per: "entry", value: 6 }];
    d.categories[3].areas = ["access-services", "reference"];
    const res = await admin.post("/admin/programs/lssc", { ...formOf(await editPage("lssc"), "json"), definition: JSON.stringify(d, null, 2) });
    expect(res.status, textOf(res.body).slice(0, 400)).toBe(200);
    expect(textOf(res.body)).toContain("Saved as version 2.");
    expect(await definitionOf("lssc")).toEqual(d);
    expect(await logged("program.edited", "lssc")).toBe(1);
  });
});

describe("import and download", () => {
  it("downloads a program as a JSON file that imports back, under a new short name, as the same program", async () => {
    const file = await admin.get("/admin/programs/lssc.json");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="paranet-program-lssc.json"');
    const exported = JSON.parse(file.body) as { slug: string; name: string };
    expect(exported.slug).toBe("lssc");

    const res = await admin.post("/admin/programs", { slug: "lssc-copy", definition: file.body });
    expect(res.status, textOf(res.body).slice(0, 400)).toBe(200);
    expect(textOf(res.body)).toContain(`Imported “${exported.name}” as lssc-copy.`);
    expect(res.body).toContain('href="/admin/programs/lssc-copy"');
    expect(await logged("program.added", "lssc-copy")).toBe(1);
    // Round trip: the copy's download is the original's but for its short name.
    const copy = await admin.get("/admin/programs/lssc-copy.json");
    expect(JSON.parse(copy.body)).toEqual({ ...exported, slug: "lssc-copy" });
  });

  it("takes the short name in the file when none is typed, and refuses one that is taken beside the field", async () => {
    const file = (await admin.get("/admin/programs/montana.json")).body;
    const taken = await admin.post("/admin/programs", { slug: "", definition: file });
    expect(taken.status).toBe(409);
    expect(errorBeside(taken, "slug")).toBe("“montana” is taken: choose another, or edit that program.");
    expect(textOf(taken.body)).toContain('"slug": "montana"');
    const typed = await admin.post("/admin/programs", { slug: "lssc", definition: file });
    expect(typed.status).toBe(409);
    expect(errorBeside(typed, "slug")).toBe("“lssc” is taken: choose another, or edit that program.");
    expect(valueOf(typed, "slug")).toBe("lssc");
    const bad = await admin.post("/admin/programs", { slug: "Not OK!", definition: file });
    expect(bad.status).toBe(400);
    expect(errorBeside(bad, "slug")).toMatch(/^A short name for addresses/);
  });

  it("refuses text that is not JSON, or a program that breaks the rules, beside the textarea", async () => {
    const notJson = await admin.post("/admin/programs", { slug: "broken", definition: "name: LSSC" });
    expect(notJson.status).toBe(400);
    expect(errorBeside(notJson, "definition")).toMatch(/^This is not valid JSON/);
    expect(textOf(notJson.body)).toContain("name: LSSC");
    const negative = await admin.post("/admin/programs", {
      slug: "negative",
      definition: JSON.stringify({ name: "Negative", measure: "points", categories: [{ key: "all", name: "All", minimum: -1 }] }),
    });
    expect(negative.status).toBe(400);
    expect(errorBeside(negative, "definition")).toBe("categories: A category's minimum cannot be negative. (at categories.0.minimum)");
    expect(await stored("negative")).toBeUndefined();
  });
});

describe("retiring", () => {
  it("retires a program and brings it back, each logged", async () => {
    const retired = await admin.post("/admin/programs/nyslaa", { intent: "retire" });
    expect(retired.status).toBe(200);
    expect(textOf(retired.body)).toContain("Retired: members can no longer choose it");
    expect((await stored("nyslaa"))!.retiredAt).not.toBeNull();
    expect(textOf((await admin.get("/admin/programs")).body)).toContain("Retired");
    expect(formOf(await editPage("nyslaa"), "restore")).toEqual({ intent: "restore" });
    // A second click changes nothing and logs nothing.
    expect((await admin.post("/admin/programs/nyslaa", { intent: "retire" })).status).toBe(200);
    expect(await logged("program.retired", "nyslaa")).toBe(1);

    const back = await admin.post("/admin/programs/nyslaa", { intent: "restore" });
    expect(back.status).toBe(200);
    expect((await stored("nyslaa"))!.retiredAt).toBeNull();
    expect(await logged("program.restored", "nyslaa")).toBe(1);
  });

  it("answers an unknown action with 400", async () => {
    expect((await admin.post("/admin/programs/nyslaa", { intent: "delete" })).status).toBe(400);
  });
});

describe("the moderation log", () => {
  it("says what was done to which program, linked for admins", async () => {
    const log = await admin.get("/moderate/log?action=program");
    expect(log.status).toBe(200);
    const text = textOf(log.body);
    expect(text).toContain("program.edited · edited the program para-ma");
    expect(text).toContain("program.added · added the program lssc-copy");
    expect(text).toContain("program.retired · retired the program nyslaa");
    expect(text).toContain("program.restored · brought back the program nyslaa");
    expect(log.body).toMatch(/<a[^>]*href="\/admin\/programs\/para-ma"[^>]*>program para-ma<\/a>/);
    // Moderators read the log too, but cannot open the admin pages: no link.
    const theirs = await moderator.get("/moderate/log?action=program");
    expect(textOf(theirs.body)).toContain("program para-ma");
    expect(theirs.body).not.toContain('href="/admin/programs/para-ma"');
  });
});

describe("who may open it", () => {
  const pages = ["/admin/programs", "/admin/programs/lssc", "/admin/programs/lssc.json"];
  const posts: [string, Record<string, string>][] = [
    ["/admin/programs", { slug: "sneaky", definition: JSON.stringify({ name: "Sneaky", measure: "points", categories: [{ key: "a", name: "A" }] }) }],
    ["/admin/programs/lssc", { intent: "details", name: "Sneaky" }],
    ["/admin/programs/lssc", { intent: "json", definition: "{}" }],
    ["/admin/programs/lssc", { intent: "retire" }],
    ["/admin/programs/lssc", { intent: "restore" }],
  ];

  it("sends a guest to log in, from every page and form", async () => {
    const guest = new Visitor(server.url);
    for (const p of pages) {
      const res = await guest.get(p);
      expect(res.status, p).toBe(302);
      expect(res.location, p).toContain("/login?redirectTo=");
    }
    for (const [p, form] of posts) {
      const res = await guest.post(p, form);
      expect(res.status, p).toBe(302);
      expect(res.location, p).toContain("/login?redirectTo=");
    }
  });

  it("refuses members and moderators, as every admin-only page does, and changes nothing", async () => {
    const before = await stored("lssc");
    for (const who of [member, moderator]) {
      for (const p of pages) expect((await who.get(p)).status, p).toBe(403);
      for (const [p, form] of posts) expect((await who.post(p, form)).status, `${p} ${form.intent ?? ""}`).toBe(403);
    }
    expect(await stored("lssc")).toEqual(before);
    expect(await stored("sneaky")).toBeUndefined();
    expect(textOf((await member.get("/admin/programs")).body)).not.toContain("Library Support Staff Certification (LSSC)");
  });

  it("answers 404 for a program that does not exist", async () => {
    for (const p of ["/admin/programs/nope", "/admin/programs/nope.json"]) expect((await admin.get(p)).status, p).toBe(404);
    expect((await admin.post("/admin/programs/nope", { intent: "retire" })).status).toBe(404);
  });
});
