// The certification portfolio over HTTP (issue 19): following a program,
// logging activities (from the form, from a clearinghouse course, from one's
// own ParaNet work), progress that follows the entries and the program's
// definition, every bad input kept and named beside its field, and another
// member's entries out of reach (404, whatever the id).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryOne } from "../helpers/db";
import { approvedCourse } from "../helpers/portfolio";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let admin: Visitor, ada: Visitor, bea: Visitor, guest: Visitor;
let courseId = 0;
let technologyId = 0;

const person = (name: string) => aMember(name, { handle: name, displayName: `${name[0].toUpperCase()}${name.slice(1)} Example` });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const entry = (extra: Record<string, string | string[]> = {}) => ({
  type: "workshop",
  title: "Weeding the 600s webinar",
  provider: "State Library",
  startedOn: day(-30),
  endedOn: "",
  quantity: "3",
  unit: "hours",
  reflection: "Learned MUSTIE and CREW.",
  ...extra,
});
/** Post a form where fields may repeat (the area checkboxes). */
function postForm(visitor: Visitor, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return visitor.request(path, { method: "POST", body: body.toString(), headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url } });
}
async function addEntry(visitor: Visitor, fields: Record<string, string | string[]>) {
  const res = await postForm(visitor, "/me/portfolio/new", fields);
  expect(res.status, textOf(res.body).slice(0, 400)).toBe(302);
  return Number(/\/me\/portfolio\/entries\/(\d+)/.exec(res.location!)![1]);
}
/** The error shown beside a field, with the value the form kept. */
function fieldOf(body: string, name: string) {
  const m = new RegExp(`<div class="field field--invalid">(?:(?!<div class="field)[\\s\\S])*?name="${name}"[\\s\\S]*?</div>`).exec(body);
  return m ? m[0] : "";
}
const figures = (body: string, category: string) => {
  const row = new RegExp(`${category}(?:<span[^>]*> \\(required\\)</span>)?</span>[\\s\\S]*?progress-bar__figures">([^<]*)<`).exec(body);
  return row?.[1].replace(/&#x27;|&#39;/g, "'") ?? "";
};

beforeAll(async () => {
  server = await startServer();
  [admin, ada, bea, guest] = Array.from({ length: 4 }, () => new Visitor(server.url));
  expect((await admin.post(`/setup?token=${server.setupToken}`, person("admin"))).status).toBe(302);
  await join(ada, person("ada"));
  await join(bea, person("bea"));
  technologyId = (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'technology'`)).id;
  courseId = await approvedCourse(admin, server.database);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("programs", () => {
  it("ships LSSC, PARA, NYSLAA and Montana, and a member follows one", async () => {
    const page = await ada.get("/me/portfolio");
    expect(page.status).toBe(200);
    for (const name of [
      "Library Support Staff Certification (LSSC)",
      "Paralibrarian Recognition (PARA), Massachusetts",
      "NYSLAA",
      "Montana Library Certification",
    ])
      expect(page.body).toContain(name);
    const follow = await ada.post("/me/portfolio", { program: "lssc" });
    expect(follow.status).toBe(302);
    expect(follow.location).toBe("/me/portfolio/programs/lssc");
    const lssc = await ada.get("/me/portfolio/programs/lssc");
    expect(textOf(lssc.body)).toContain("Check the current rules with the program.");
    expect(textOf(lssc.body)).toContain("0 of 3 required categories met; 0 of 3 electives met.");
    expect(figures(lssc.body, "Technology")).toBe("0 of 15 hours — 15 to go");
  });

  it("refuses an unknown program beside the field", async () => {
    const res = await ada.post("/me/portfolio", { program: "hogwarts" });
    expect(res.status).toBe(400);
    expect(textOf(res.body)).toContain("Choose a program from the list.");
  });
});

describe("the activity log", () => {
  it("adds a course from the clearinghouse: title, provider, hours and areas filled in, saved only when the member says so", async () => {
    const resource = await ada.get(`/resources/${courseId}`);
    expect(resource.body).toContain(`href="/me/portfolio/new?resource=${courseId}"`);
    const before = (await queryOne<{ n: number }>(server.database, `SELECT COUNT(*) AS "n" FROM "PortfolioEntry"`)).n;
    const draft = await ada.get(`/me/portfolio/new?resource=${courseId}`);
    expect(draft.status).toBe(200);
    expect(draft.body).toContain('value="Library technology essentials"');
    expect(draft.body).toContain('value="Example Library Association"');
    expect(draft.body).toMatch(/name="quantity"[^>]*value="15"/);
    expect(draft.body).toMatch(/<input type="checkbox" id="area-technology"[^>]*checked=""/);
    expect(Number((await queryOne<{ n: number }>(server.database, `SELECT COUNT(*) AS "n" FROM "PortfolioEntry"`)).n)).toBe(Number(before));
    const id = await addEntry(ada, {
      type: "course",
      title: "Library technology essentials",
      provider: "Example Library Association",
      startedOn: day(-60),
      endedOn: day(-20),
      quantity: "15",
      unit: "hours",
      area: "technology",
      source: `resource:${courseId}`,
      reflection: "",
    });
    const lssc = await ada.get("/me/portfolio/programs/lssc");
    expect(figures(lssc.body, "Technology")).toBe("15 of 15 hours — met ✓");
    expect(lssc.body).toContain(`href="/me/portfolio/entries/${id}"`);
  });

  it("splits a presentation's hours across two areas, and converts credits to hours", async () => {
    await addEntry(
      ada,
      entry({
        type: "presentation",
        title: "Teaching patrons to use e-readers",
        quantity: "10",
        area: ["technology", "reference"],
        "hours-technology": "6",
        "hours-reference": "4",
      }),
    );
    const credits = await addEntry(
      ada,
      entry({
        type: "course",
        title: "Intro to cataloging",
        quantity: "1",
        unit: "semester_credits",
        startedOn: day(-200),
        endedOn: day(-100),
        area: "cataloging-classification",
      }),
    );
    const shown = await ada.get(`/me/portfolio/entries/${credits}`);
    expect(textOf(shown.body)).toContain("1 semester credit = 15 hours");
    const lssc = await ada.get("/me/portfolio/programs/lssc");
    expect(figures(lssc.body, "Technology")).toBe("21 of 15 hours — met ✓");
    expect(figures(lssc.body, "Reference")).toBe("4 of 15 hours — 11 to go");
    expect(figures(lssc.body, "Cataloging and Classification")).toBe("15 of 15 hours — met ✓");

    // The log names each area's hours with the unit; the portfolio page's short summary says what is next, and why.
    const portfolio = textOf((await ada.get("/me/portfolio")).body);
    expect(portfolio).toContain("Technology 6 hours, Reference 4 hours");
    expect(portfolio).toContain("Cataloging and Classification 15 hours");
    expect(portfolio).toMatch(/1 of 3 required categories met; 1 of 3 electives met\.\s*Next: Foundations of Library Services \(required\) — 15 hours to go\./);
    // The entry's page reads first: its areas with their hours, before the edit form.
    const entryPage = (await ada.get(`/me/portfolio/entries/${credits}`)).body;
    expect(textOf(entryPage)).toContain("Cataloging and Classification 15 hours");
    expect(entryPage.indexOf("entry-facts")).toBeLessThan(entryPage.indexOf('<details id="edit"'));
  });

  it("keeps what was typed and names the field at fault", async () => {
    const cases: [Record<string, string | string[]>, string, string][] = [
      [entry({ startedOn: day(3) }), "startedOn", "The start date is in the future"],
      [entry({ startedOn: day(-5), endedOn: day(-9) }), "endedOn", "The end date is before the start date."],
      [entry({ quantity: "0" }), "quantity", "Amount must be more than 0."],
      [entry({ quantity: "-2" }), "quantity", "Amount must be more than 0."],
      [entry({ quantity: "lots" }), "quantity", "Amount is required: a number."],
      [entry({ quantity: "30" }), "quantity", "more than 24 hours a day"],
      [entry({ startedOn: "2026-02-30" }), "startedOn", "Start date must be a date like 2026-03-14."],
      [entry({ type: "sabbatical" }), "type", "Choose what kind of activity this was."],
      [entry({ title: "" }), "title", "Title is required."],
    ];
    for (const [fields, name, message] of cases) {
      const res = await postForm(ada, "/me/portfolio/new", fields);
      expect(res.status, name).toBe(400);
      const field = fieldOf(res.body, name);
      expect(textOf(field), name).toContain(message);
      expect(res.body, name).toContain("Learned MUSTIE and CREW."); // the reflection is kept
    }
    // A future start with the end left blank is named once, on the start date (the blank end is not the member's mistake).
    const future = await postForm(ada, "/me/portfolio/new", entry({ startedOn: day(3), endedOn: "" }));
    expect(future.status).toBe(400);
    expect(textOf(fieldOf(future.body, "startedOn"))).toContain("The start date is in the future");
    expect(fieldOf(future.body, "endedOn")).toBe("");
    expect(textOf(future.body)).not.toContain("The end date is in the future");
    // Both typed in the future: each is named.
    const both = await postForm(ada, "/me/portfolio/new", entry({ startedOn: day(3), endedOn: day(4) }));
    expect(textOf(fieldOf(both.body, "startedOn"))).toContain("The start date is in the future");
    expect(textOf(fieldOf(both.body, "endedOn"))).toContain("The end date is in the future");
    // Every problem at once: a future date is named with an amount of zero, not after the amount is fixed.
    const several = await postForm(ada, "/me/portfolio/new", entry({ startedOn: day(3), quantity: "0", title: "" }));
    expect(textOf(fieldOf(several.body, "startedOn"))).toContain("The start date is in the future");
    expect(textOf(fieldOf(several.body, "quantity"))).toContain("Amount must be more than 0.");
    expect(textOf(fieldOf(several.body, "title"))).toContain("Title is required.");
    const split = await postForm(ada, "/me/portfolio/new", entry({ area: ["technology", "reference"], "hours-technology": "2", "hours-reference": "2" }));
    expect(split.status).toBe(400);
    expect(textOf(split.body)).toContain("hours add up to 4, not the entry");
    expect(split.body).toMatch(/name="hours-technology"[^>]*value="2"/);
    const unknownArea = await postForm(ada, "/me/portfolio/new", entry({ area: "knitting" }));
    expect(unknownArea.status).toBe(400);
    expect(textOf(unknownArea.body)).toContain("Choose competency areas from the list.");
  });

  it("edits an entry and deletes one; the owner's only", async () => {
    const id = await addEntry(ada, entry({ title: "Storytime skills", area: "youth-services" }));
    // Another member: not found, whatever they try. A guest: asked to log in.
    for (const [stranger, status] of [
      [bea, 404],
      [guest, 302],
    ] as const) {
      const page = await stranger.get(`/me/portfolio/entries/${id}`);
      expect(page.status).toBe(status);
      expect(page.body).not.toContain("Storytime skills");
      for (const form of [entry({ title: "Taken over", area: "youth-services" }), { intent: "delete" }]) {
        const res = await postForm(stranger, `/me/portfolio/entries/${id}`, form);
        expect(res.status).toBe(status);
        if (status === 302) expect(res.location).toMatch(/^\/login/);
      }
    }
    expect((await bea.get(`/me/portfolio/entries/${id}`)).status).toBe(404);
    expect((await bea.get(`/me/portfolio/entries/999999`)).status).toBe(404);
    expect(textOf((await bea.get("/me/portfolio")).body)).not.toContain("Storytime skills");
    const edited = await postForm(ada, `/me/portfolio/entries/${id}`, entry({ title: "Storytime skills, part 2", area: "youth-services" }));
    expect(edited.status).toBe(302);
    expect(textOf((await ada.get(`/me/portfolio/entries/${id}`)).body)).toContain("Storytime skills, part 2");
    expect((await postForm(ada, `/me/portfolio/entries/${id}`, { intent: "delete" })).status).toBe(302);
    expect((await ada.get(`/me/portfolio/entries/${id}`)).status).toBe(404);
  });

  it("offers the member's own accepted answers as candidates, never counted until added", async () => {
    const q = await bea.post("/threads/new", {
      kind: "question",
      title: "Best free ILS for a tiny library?",
      body: "We have 3,000 books and no budget.",
      tagIds: String(technologyId),
    });
    expect(q.status, textOf(q.body).slice(0, 300)).toBe(302);
    const answered = await ada.post(q.location!, { intent: "reply", body: "Koha, hosted by your regional system if they offer it." });
    expect(answered.status).toBe(302);
    const replyId = /#reply-(\d+)$/.exec(answered.location!)![1];
    expect((await bea.post(q.location!, { intent: "accept", replyId })).status).toBe(302);
    const page = await ada.get("/me/portfolio/new");
    expect(textOf(page.body)).toContain("Accepted answer: Best free ILS for a tiny library?");
    const draft = await ada.get(`/me/portfolio/new?work=${encodeURIComponent(`reply:${replyId}`)}`);
    expect(draft.body).toContain('value="Accepted answer: Best free ILS for a tiny library?"');
    await addEntry(ada, {
      ...entry({ type: "other", title: "Accepted answer: Best free ILS for a tiny library?", quantity: "1" }),
      source: `reply:${replyId}`,
    });
    expect(textOf((await ada.get("/me/portfolio/new")).body)).not.toContain("Accepted answer: Best free ILS for a tiny library?");
  });

  it("offers a resource the member shared in the clearinghouse apart from taking it as a course", async () => {
    // The admin suggested (and approved) the course: sharing it is one activity, taking it another.
    const shared = "Resource shared in the clearinghouse: Library technology essentials";
    expect(textOf((await admin.get("/me/portfolio/new")).body)).toContain(shared);
    await addEntry(admin, { ...entry({ title: "Library technology essentials", quantity: "15", area: "technology" }), source: `resource:${courseId}` });
    expect(textOf((await admin.get("/me/portfolio/new")).body)).toContain(shared);
    await addEntry(admin, { ...entry({ type: "other", title: shared, quantity: "1" }), source: `curated:${courseId}` });
    expect(textOf((await admin.get("/me/portfolio/new")).body)).not.toContain(shared);
  });
});

describe("progress follows the program's definition", () => {
  it("when an admin changes a category's minimum, the member's progress follows", async () => {
    expect(figures((await ada.get("/me/portfolio/programs/lssc")).body, "Reference")).toBe("4 of 15 hours — 11 to go");
    const row = await queryOne<{ definition: string }>(server.database, `SELECT "definition" FROM "Program" WHERE "slug" = 'lssc'`);
    const definition = JSON.parse(row.definition) as { categories: { key: string; minimum: number }[] };
    for (const c of definition.categories) c.minimum = 4;
    // As the admin page saves it (its own tests cover the form): the definition, its version raised.
    await execute(server.database, `UPDATE "Program" SET "definition" = ?, "version" = "version" + 1 WHERE "slug" = 'lssc'`, JSON.stringify(definition));
    const page = await ada.get("/me/portfolio/programs/lssc");
    expect(figures(page.body, "Reference")).toBe("4 of 4 hours — met ✓");
    // The note on the figures names none of them (the minimum is shown beside each set): it stays true.
    const note = textOf(/<p class="notice notice--info">([\s\S]*?)<\/p>/.exec(page.body)?.[1] ?? "");
    expect(note).toContain("ParaNet shows a set as met once the entries logged for it reach the set's minimum shown here");
    expect(note).not.toMatch(/\d/);
  });
});

describe("progress follows the log at once", () => {
  // The progress page keeps a member's log between requests (app/models/portfolio.server.ts): every write must show on the next read.
  it("after an entry is added, edited twice in quick succession, and deleted", async () => {
    const cara = new Visitor(server.url);
    await join(cara, person("cara"));
    expect((await postForm(cara, "/me/portfolio", { program: "lssc" })).status).toBe(302);
    // The hours counted (the minimum is whatever the test above left it at).
    const technology = async () => figures((await cara.get("/me/portfolio/programs/lssc")).body, "Technology").split(" of ")[0];
    expect(await technology()).toBe("0");
    const id = await addEntry(cara, entry({ title: "Library apps", quantity: "2", area: "technology" }));
    expect(await technology()).toBe("2");
    // Two saves within the same millisecond or two: the second must not be hidden behind the first.
    for (const hours of ["5", "6"])
      expect((await postForm(cara, `/me/portfolio/entries/${id}`, entry({ title: "Library apps", quantity: hours, area: "technology" }))).status).toBe(302);
    expect(await technology()).toBe("6");
    // An edit made behind the server's back (another process, a script) counts as soon as its revision is raised.
    await execute(server.database, `UPDATE "PortfolioEntryArea" SET "hours" = 7 WHERE "entryId" = ?`, id);
    await execute(server.database, `UPDATE "PortfolioEntry" SET "quantity" = 7, "revision" = "revision" + 1 WHERE "id" = ?`, id);
    expect(await technology()).toBe("7");
    expect((await postForm(cara, `/me/portfolio/entries/${id}`, { intent: "delete" })).status).toBe(302);
    expect(await technology()).toBe("0");
  });
});

describe("a long activity log", () => {
  it("is shown 50 activities a page, most recent first, with links between the pages; a page past the end shows the last", async () => {
    const dana = new Visitor(server.url);
    await join(dana, person("dana"));
    const { id: owner } = await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = 'dana'`);
    for (let i = 1; i <= 55; i++) {
      const on = day(-400 + i);
      await execute(
        server.database,
        `INSERT INTO "PortfolioEntry" ("ownerId", "type", "title", "startedOn", "endedOn", "quantity", "unit", "updatedAt") VALUES (?, 'workshop', ?, ?, ?, 1, 'hours', CURRENT_TIMESTAMP)`,
        owner,
        `Workshop number ${i}.`,
        on,
        on,
      );
    }
    const titles = (body: string) => [...textOf(body).matchAll(/Workshop number (\d+)\./g)].map((m) => Number(m[1]));
    const first = await dana.get("/me/portfolio");
    expect(titles(first.body)).toEqual(Array.from({ length: 50 }, (_, i) => 55 - i));
    expect(textOf(first.body)).toContain("55 activities, most recent first: 1–50 shown.");
    expect(first.body).toContain('href="/me/portfolio?page=2#entries-heading"');
    const second = await dana.get("/me/portfolio?page=2");
    expect(titles(second.body)).toEqual([5, 4, 3, 2, 1]);
    expect(textOf(second.body)).toContain("Page 2 of 2");
    expect(second.body).toContain('href="/me/portfolio?page=1#entries-heading"');
    expect(titles((await dana.get("/me/portfolio?page=99")).body)).toEqual([5, 4, 3, 2, 1]);
    expect(titles((await dana.get("/me/portfolio?page=junk")).body)).toHaveLength(50);
  });
});
