// The clearinghouse over HTTP: submitting, duplicates, every curation action
// and who may take it, what others can see, citations from posts, CSV import
// and export, and the API.
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let member: Visitor, other: Visitor, moderator: Visitor, guest: Visitor;
let area: { id: number; slug: string }, otherArea: { id: number; slug: string };

const query = <T>(sql: string, ...args: unknown[]) => queryOne<T>(server.database, sql, ...args);

const good = (extra: Record<string, string> = {}) => ({
  title: "Library Support Staff Certification",
  url: "https://www.example.org/lssc/?utm_source=newsletter",
  abstract: "A national certification for library support staff: six competency courses, taken online, at your own pace over up to four years.",
  type: "certification",
  tagIds: String(area.id),
  region: "national",
  cost: "paid",
  provider: "Example Library Association",
  ceHours: "",
  publishedOn: "",
  ...extra,
});

async function submit(visitor: Visitor, fields: Record<string, string>) {
  return visitor.post("/resources/new", fields);
}

function idFrom(location: string | null): number {
  return Number(/submitted=(\d+)/.exec(location ?? "")![1]);
}

beforeAll(async () => {
  server = await startServer();
  [member, other, moderator, guest] = Array.from({ length: 4 }, () => new Visitor(server.url));
  await join(member, aMember("submitter"));
  await join(other, aMember("other"));
  const setup = await moderator.post(`/setup?token=${server.setupToken}`, aMember("curator"));
  if (setup.status !== 302) throw new Error(`setup failed ${setup.status}`);
  area = await query(`SELECT "id", "slug" FROM "Tag" WHERE "slug" = 'foundations'`);
  otherArea = await query(`SELECT "id", "slug" FROM "Tag" WHERE "slug" = 'technology'`);
});
afterAll(async () => {
  await server?.stop();
});

describe("submitting", () => {
  it("re-renders bad input with a message beside each field and keeps the text", async () => {
    const res = await submit(member, good({ url: "not a web address", abstract: "Too short.", tagIds: "", title: "Kept title" }));
    expect(res.status).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain("Enter a full web address starting with https://");
    expect(text).toContain("Abstract must be at least 50 characters");
    expect(text).toContain("Choose at least one competency area");
    expect(res.body).toContain('value="Kept title"');
    expect(res.body).toContain("Too short.");
  });

  it("accepts a suggestion as pending, visible only to its submitter and moderators", async () => {
    const res = await submit(member, good());
    expect(res.status).toBe(302);
    const id = idFrom(res.location);
    const mine = await member.get("/resources/new");
    expect(textOf(mine.body)).toContain("Library Support Staff Certification — Waiting for a moderator");
    expect((await member.get(`/resources/${id}`)).status).toBe(200);
    expect((await moderator.get(`/resources/${id}`)).status).toBe(200);
    for (const v of [guest, other]) {
      expect((await v.get(`/resources/${id}`)).status).toBe(404);
      expect((await v.get("/resources")).body).not.toContain("Library Support Staff Certification");
      expect((await v.get(`/competencies/${area.slug}`)).body).not.toContain("Library Support Staff Certification");
      expect((await v.get(`/api/v1/resources/${id}`)).status).toBe(404);
      expect((await v.get("/api/v1/resources")).body).not.toContain("Library Support Staff Certification");
    }
    for (const feed of ["/feeds/latest.rss", "/feeds/latest.atom"]) expect((await guest.get(feed)).body).not.toContain("Library Support Staff Certification");
  });

  it("recognises the same address however it is written, and says where it is", async () => {
    for (const url of ["http://example.org/lssc", "https://EXAMPLE.org/lssc/#top", "https://www.example.org/lssc?utm_medium=email"]) {
      const res = await submit(other, good({ url, title: "The same thing again" }));
      expect(res.status).toBe(409);
      expect(textOf(res.body)).toContain("already suggested and is waiting for a moderator");
      expect(res.body).toContain('value="The same thing again"');
      // Someone else's pending suggestion stays theirs: not its title, not its number.
      expect(textOf(res.body)).not.toContain("Already suggested:");
      expect(res.body).not.toMatch(/Library Support Staff Certification<\/(strong|a)>/);
    }
  });
});

describe("curating", () => {
  it("refuses every curation action, the queue, import and export to members", async () => {
    const id = (await query<{ id: number }>(`SELECT "id" FROM "Resource" ORDER BY "id" LIMIT 1`)).id;
    for (const intent of ["approve", "reject", "feature", "archive", "merge"]) {
      const res = await member.post(`/resources/${id}`, { intent, reason: "because", intoId: "1" });
      expect(res.status, intent).toBe(403);
    }
    expect((await member.get("/moderate/resources")).status).toBe(403);
    expect((await member.get(`/moderate/resources/${id}/edit`)).status).toBe(403);
    expect((await member.get("/moderate/resources/export?format=csv")).status).toBe(403);
    expect((await member.post("/moderate/resources/import", { csv: "title,url\nx,https://x.org" })).status).toBe(403);
    expect((await guest.get("/moderate/resources")).status).toBe(302);
    expect((await query<{ status: string }>(`SELECT "status" FROM "Resource" WHERE "id" = ?`, id)).status).toBe("pending");
  });

  it("approves: the entry appears for everyone, under its competency area, and the submitter is notified", async () => {
    const id = (await query<{ id: number }>(`SELECT "id" FROM "Resource" WHERE "title" = 'Library Support Staff Certification'`)).id;
    const queue = await moderator.get("/moderate/resources");
    expect(textOf(queue.body)).toContain("Library Support Staff Certification");
    const res = await moderator.post(`/resources/${id}?back=queue`, { intent: "approve" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/moderate/resources?done=approve&resource=${id}`);
    // The queue says what was done, with the way to the entry.
    const after = await moderator.get(res.location!);
    expect(textOf(after.body)).toContain("Approved: it is in the clearinghouse now, and its submitter has been told.");
    expect(after.body).toContain(`href="/resources/${id}"`);
    const page = await guest.get(`/resources/${id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("Recommended by Member submitter");
    expect(textOf((await guest.get(`/competencies/${area.slug}`)).body)).toContain("Library Support Staff Certification");
    expect(textOf((await guest.get("/resources")).body)).toContain("Library Support Staff Certification");
    const notes = textOf((await member.get("/notifications")).body);
    expect(notes).toContain("Your submission “Library Support Staff Certification” is now in the clearinghouse");
    const history = textOf((await moderator.get(`/resources/${id}`)).body);
    expect(history).toMatch(/approved by Member curator/);
    expect(history).toMatch(/submitted by Member submitter/);
    // Once approved, suggesting it again says it is already there.
    const again = await submit(other, good({ url: "https://example.org/lssc/" }));
    expect(again.status).toBe(409);
    expect(textOf(again.body)).toContain("This is already in the clearinghouse.");
  });

  it("rejects with a reason the submitter sees; nobody else sees the entry", async () => {
    const res = await submit(
      other,
      good({
        title: "My cousin's blog",
        url: "https://blog.example.net/post",
        abstract: "A personal blog post about libraries in general, with some thoughts on books and reading.",
      }),
    );
    const id = idFrom(res.location);
    const missing = await moderator.post(`/resources/${id}`, { intent: "reject", reason: "" });
    expect(missing.status).toBe(400);
    expect(textOf(missing.body)).toContain("Say why, for the submitter.");
    expect((await moderator.post(`/resources/${id}`, { intent: "reject", reason: "Not about library support work." })).status).toBe(302);
    expect(textOf((await other.get(`/resources/${id}`)).body)).toContain("Moderator's reason: Not about library support work.");
    expect(textOf((await other.get("/resources/new")).body)).toContain("Not about library support work.");
    expect(textOf((await other.get("/notifications")).body)).toContain("was not accepted");
    expect((await member.get(`/resources/${id}`)).status).toBe(404);
  });

  it("edits then approves, features (first on the landing view), archives and restores, each recorded", async () => {
    const res = await submit(
      other,
      good({
        title: "webjunction",
        url: "https://webjunction.example.org/",
        abstract: "Free webinars and self-paced courses for library staff, recorded and archived for later viewing.",
      }),
    );
    const id = idFrom(res.location);
    const edit = await moderator.post(`/moderate/resources/${id}/edit`, {
      ...good({
        title: "WebJunction",
        url: "https://webjunction.example.org/",
        abstract: "Free webinars and self-paced courses for library staff, recorded and archived for later viewing.",
        type: "webinar",
        cost: "free",
      }),
      tagIds: String(otherArea.id),
      curatorNote: "Check the calendar monthly.",
      intent: "approve",
    });
    expect(edit.status).toBe(302);
    const page = textOf((await guest.get(`/resources/${id}`)).body);
    expect(page).toContain("WebJunction");
    expect(page).toContain("Curator's note: Check the calendar monthly.");
    expect((await moderator.post(`/resources/${id}`, { intent: "feature" })).status).toBe(302);
    const landing = textOf((await guest.get("/resources")).body);
    expect(landing.indexOf("WebJunction")).toBeLessThan(landing.indexOf("Library Support Staff Certification"));
    expect((await moderator.post(`/resources/${id}`, { intent: "archive" })).status).toBe(302);
    expect((await guest.get(`/resources/${id}`)).status).toBe(404);
    expect((await moderator.post(`/resources/${id}`, { intent: "restore" })).status).toBe(302);
    expect((await guest.get(`/resources/${id}`)).status).toBe(200);
    const history = textOf((await moderator.get(`/resources/${id}`)).body);
    for (const action of ["edited and approved", "featured", "archived", "restored"]) expect(history).toContain(`${action} by Member curator`);
    // An action that does not fit the state is refused, not applied.
    expect((await moderator.post(`/resources/${id}`, { intent: "restore" })).status).toBe(409);
    // A pending suggestion is rejected, never archived (restoring would publish it unreviewed).
    const waiting = idFrom((await submit(other, good({ title: "Waiting one", url: "https://waiting.example.org/" }))).location);
    expect((await moderator.post(`/resources/${waiting}`, { intent: "archive" })).status).toBe(409);
  });

  it("merges a duplicate into an existing entry, which then answers for it", async () => {
    const target = (await query<{ id: number }>(`SELECT "id" FROM "Resource" WHERE "title" = 'Library Support Staff Certification'`)).id;
    const res = await submit(member, good({ title: "LSSC program page", url: "https://lssc.example.com/about" }));
    const id = idFrom(res.location);
    const bad = await moderator.post(`/resources/${id}`, { intent: "merge", intoId: "abc" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain("Give the number of the entry to merge into");
    expect((await moderator.post(`/resources/${id}`, { intent: "merge", intoId: String(target) })).status).toBe(302);
    // Its submitter follows it to the entry it joined; to others it never existed.
    const old = await member.get(`/resources/${id}`);
    expect(old.status).toBe(301);
    expect(old.location).toBe(`/resources/${target}`);
    expect((await guest.get(`/resources/${id}`)).status).toBe(404);
  });
});

describe("citations", () => {
  it("shows a card for an approved resource linked in a post, and counts the thread once; private replies do not cite", async () => {
    const id = (await query<{ id: number }>(`SELECT "id" FROM "Resource" WHERE "title" = 'Library Support Staff Certification'`)).id;
    const body = new URLSearchParams({
      title: "Is the LSSC worth it for a school clerk?",
      body: "Has anyone done this? https://example.org/lssc",
      kind: "question",
      tagIds: String(area.id),
    });
    const created = await other.request("/threads/new", {
      method: "POST",
      body: body.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    const path = created.location!;
    const page = await guest.get(path);
    expect(page.body).toContain('class="resource-card"');
    expect(page.body).toContain(`href="/resources/${id}"`);
    await member.post(path, { intent: "reply", body: "Yes! Same link: https://www.example.org/lssc/" });
    expect((await query<{ citationCount: number }>(`SELECT "citationCount" FROM "Resource" WHERE "id" = ?`, id)).citationCount).toBe(1);
    expect(textOf((await guest.get(`/resources/${id}`)).body)).toContain("Is the LSSC worth it for a school clerk?");

    const target = new URLSearchParams({ title: "TARGET: certification costs", body: "Reply privately please.", kind: "target", tagIds: String(area.id) });
    const t = await other.request("/threads/new", {
      method: "POST",
      body: target.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    await member.post(t.location!, { intent: "reply", body: "Privately: https://example.org/lssc" });
    expect((await query<{ citationCount: number }>(`SELECT "citationCount" FROM "Resource" WHERE "id" = ?`, id)).citationCount).toBe(1);
    expect(textOf((await guest.get(`/resources/${id}`)).body)).not.toContain("TARGET: certification costs");
  });

  it("keeps cards true to the clearinghouse: one appears when a linked entry is approved and goes when it is archived", async () => {
    const waiting = idFrom((await submit(member, good({ title: "Card follows curation", url: "https://cards.example.org/guide" }))).location);
    const body = new URLSearchParams({
      title: "Anyone used the cards guide?",
      body: "Found this: https://cards.example.org/guide",
      kind: "question",
      tagIds: String(area.id),
    });
    const path = (
      await other.request("/threads/new", {
        method: "POST",
        body: body.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      })
    ).location!;
    expect((await guest.get(path)).body).not.toContain('class="resource-card"');
    await moderator.post(`/resources/${waiting}`, { intent: "approve" });
    const eventually = async (check: (body: string) => boolean) => {
      for (let i = 0; i < 40; i++) {
        if (check((await guest.get(path)).body)) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    expect(await eventually((b) => b.includes(`href="/resources/${waiting}"`))).toBe(true);
    expect((await query<{ citationCount: number }>(`SELECT "citationCount" FROM "Resource" WHERE "id" = ?`, waiting)).citationCount).toBe(1);
    await moderator.post(`/resources/${waiting}`, { intent: "archive" });
    expect(await eventually((b) => !b.includes('class="resource-card"'))).toBe(true);
  });
});

describe("CSV import and export", () => {
  const header = "title,url,abstract,type,competencies,tags,library_types,region,cost,provider,ce_hours,published_on";
  const abstract = "A practical guide for support staff, with checklists and examples drawn from small libraries.";

  it("imports good rows, skips duplicates and reports bad rows without stopping", async () => {
    const csv = [
      header,
      `Weeding guide,https://weeding.example.org/,"${abstract}",toolkit,collection-management,weeding;crew,public;school,Texas,free,State Library,,2024-05-01`,
      `Duplicate of LSSC,https://example.org/lssc,"${abstract}",certification,foundations,,,national,paid,,,`,
      `No area,https://noarea.example.org/,"${abstract}",article,,,,national,free,,,`,
      `Bad address,notaurl,"${abstract}",article,Reference,,,national,free,,,`,
      `"Quoted, with comma",https://quoted.example.org/,"${abstract} ""Quoted"" words; and a
second line.",Online course,Reference;Technology,,,Ohio,Paid,Provider,1.5,`,
    ].join("\n");
    const res = await moderator.post("/moderate/resources/import", { csv });
    expect(res.status).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain("2 imported, 1 skipped as duplicates, 2 rejected, of 5 rows");
    expect(text).toMatch(/3 Skipped \(duplicate\) Already in the clearinghouse as #\d+/);
    expect(text).toContain("4 Rejected No competency area");
    expect(text).toContain("5 Rejected url: Enter a full web address");
    const quoted = await guest.get("/resources?competency=technology");
    expect(textOf(quoted.body)).toContain("Quoted, with comma");
    expect(textOf((await guest.get("/resources?tag=crew")).body)).toContain("Weeding guide");
  });

  it("limits pasted CSV to one batch, and creates tags only for rows it imports", async () => {
    const many = [header, ...Array.from({ length: 251 }, (_, i) => `Row ${i},https://many${i}.example.org/,"${abstract}",article,reference,,,,,,,`)].join("\n");
    const tooMany = await moderator.post("/moderate/resources/import", { csv: many });
    expect(tooMany.status).toBe(400);
    expect(textOf(tooMany.body)).toContain("Paste at most 250 rows at a time");
    const csv = [
      header,
      `Bad row,notaurl,"${abstract}",article,reference,brand-new-tag-from-bad-row,,,,,,`,
      `Good row,https://goodrow.example.org/,"${abstract}",article,reference,Z;a fine new tag,,,,,,`,
    ].join("\n");
    const res = await moderator.post("/moderate/resources/import", { csv });
    expect(textOf(res.body)).toContain("1 imported, 0 skipped as duplicates, 1 rejected");
    expect((await query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Tag" WHERE "slug" IN ('brand-new-tag-from-bad-row', 'z')`)).n).toBe(0);
    expect((await query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Tag" WHERE "slug" = 'a-fine-new-tag'`)).n).toBe(1);
  });

  it("imports rows sent in batches as JSON (what the browser does with a file)", async () => {
    const rows = Array.from({ length: 3 }, (_, i) => ({
      title: `Batch ${i}`,
      url: `https://batch${i}.example.org/`,
      abstract,
      type: "article",
      competencies: "reference",
    }));
    const res = await moderator.request("/moderate/resources/import/batch", {
      method: "POST",
      body: JSON.stringify({ rows, firstRow: 502 }),
      headers: { "Content-Type": "application/json", Origin: server.url },
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { outcomes: { row: number; status: string }[] };
    expect(body.outcomes.map((o) => [o.row, o.status])).toEqual([
      [502, "imported"],
      [503, "imported"],
      [504, "imported"],
    ]);
    const refused = await member.request("/moderate/resources/import/batch", {
      method: "POST",
      body: JSON.stringify({ rows }),
      headers: { "Content-Type": "application/json", Origin: server.url },
    });
    expect(refused.status).toBe(403);
    const anonymous = await guest.request("/moderate/resources/import/batch", {
      method: "POST",
      body: JSON.stringify({ rows }),
      headers: { "Content-Type": "application/json", Origin: server.url },
    });
    expect(anonymous.status).toBe(401);
  });

  it("exports approved entries as CSV and JSON, and the CSV re-imports to the same set", async () => {
    const csv = await moderator.get("/moderate/resources/export?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const json = JSON.parse((await moderator.get("/moderate/resources/export?format=json")).body) as {
      resources: { title: string; url: string; competencies: string[] }[];
    };
    const approved = (await query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Resource" WHERE "status" = 'approved'`)).n;
    expect(json.resources).toHaveLength(approved);
    expect(json.resources.map((r) => r.title)).not.toContain("My cousin's blog");

    const fresh = await startServer();
    try {
      const admin = new Visitor(fresh.url);
      await admin.post(`/setup?token=${fresh.setupToken}`, aMember("importer"));
      const res = await admin.post("/moderate/resources/import", { csv: csv.body });
      expect(textOf(res.body)).toContain(`${approved} imported, 0 skipped as duplicates, 0 rejected`);
      const again = JSON.parse((await admin.get("/moderate/resources/export?format=json")).body) as typeof json;
      const key = (r: (typeof json.resources)[number]) => `${r.title}|${r.url}|${[...r.competencies].sort().join(";")}`;
      expect(again.resources.map(key).sort()).toEqual(json.resources.map(key).sort());
    } finally {
      await fresh.stop();
    }
  });
});

describe("API", () => {
  it("lists approved entries with filters, shows one, and takes suggestions as pending", async () => {
    const list = JSON.parse((await guest.get("/api/v1/resources?competency=collection-management")).body) as { resources: { title: string }[]; total: number };
    expect(list.resources.map((r) => r.title)).toEqual(["Weeding guide"]);
    const one = JSON.parse(
      (await guest.get(`/api/v1/resources/${(await query<{ id: number }>(`SELECT "id" FROM "Resource" WHERE "title" = 'Weeding guide'`)).id}`)).body,
    );
    expect(one.resource.competencies[0].slug).toBe("collection-management");

    const post = (body: unknown) =>
      member.request("/api/v1/resources", { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", Origin: server.url } });
    const bad = await post({ title: "x" });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.fields.url).toBeTruthy();
    const created = await post({ ...good({ url: "https://api.example.org/thing" }), tagIds: [area.id] });
    expect(created.status).toBe(201);
    const { resource } = JSON.parse(created.body);
    expect(resource.status).toBe("pending");
    expect((await guest.get(`/api/v1/resources/${resource.id}`)).status).toBe(404);
    const dup = await post({ ...good({ url: "https://api.example.org/thing/" }), tagIds: [area.id] });
    expect(dup.status).toBe(409);
    expect(JSON.parse(dup.body).error.code).toBe("duplicate");
    expect((await guest.request("/api/v1/resources", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(401);
  });
});

describe("from a HIT", () => {
  it("lets the HIT's author send its new links for review in one step", async () => {
    const body = new URLSearchParams({
      title: "HIT: free weeding guides",
      body: "Thanks all! You recommended:\n- [The CREW manual](https://crew-hit.example.org/manual) for weeding any collection by Dewey range\n- https://example.org/lssc (already in)\n- [A district weeding policy](https://policy.example.org/weeding)",
      kind: "hit",
      tagIds: String(area.id),
    });
    const created = await member.request("/threads/new", {
      method: "POST",
      body: body.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    const id = created.location!.split("/")[2];
    expect((await other.get(`/threads/${id}/clearinghouse`)).status).toBe(403);
    const page = await member.get(`/threads/${id}/clearinghouse`);
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain("Already in the clearinghouse: Library Support Staff Certification");
    expect(page.body).toContain('value="The CREW manual"');

    const tooShort = await member.post(`/threads/${id}/clearinghouse`, {
      "send-0": "on",
      "title-0": "The CREW manual",
      "abstract-0": "short",
      "type-0": "toolkit",
      tagIds: String(area.id),
    });
    expect(tooShort.status).toBe(400);
    expect(textOf(tooShort.body)).toContain("Abstract must be at least 50 characters");
    const abstract = "The CREW manual for weeding any collection by Dewey range, recommended by several colleagues in this HIT.";
    const res = await member.post(`/threads/${id}/clearinghouse`, {
      "send-0": "on",
      "title-0": "The CREW manual",
      "abstract-0": abstract,
      "type-0": "toolkit",
      "send-2": "on",
      "title-2": "A district weeding policy",
      "abstract-2": `${abstract} A policy template.`,
      "type-2": "toolkit",
      tagIds: String(area.id),
    });
    expect(res.status).toBe(302);
    const pending = (
      await query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM "Resource" WHERE "status" = 'pending' AND "title" IN ('The CREW manual', 'A district weeding policy')`,
      )
    ).n;
    expect(pending).toBe(2);
    expect((await guest.get("/resources")).body).not.toContain("The CREW manual");
    // Only a HIT has this step.
    expect((await member.get("/threads/1/clearinghouse")).status).toBe(404);
  });
});

describe("controlled vocabulary", () => {
  it("treats a synonym as its main tag in filters, and merges tags keeping every link", async () => {
    const tag = async (slug: string) => (await query<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = ?`, slug)).id;
    const csv = [
      "title,url,abstract,type,competencies,tags",
      `Deselection basics,https://deselect.example.org/,"${"An introduction to deselection for small collections, with a worked example for a middle school."}",article,collection-management,deselection`,
      `Shelf reading made easy,https://shelf.example.org/,"${"How to shelf-read a collection quickly and catch misshelved items, with a printable checklist."}",toolkit,access-services,shelf reading`,
    ].join("\n");
    await moderator.post("/moderate/resources/import", { csv });
    expect((await member.post("/admin/tags", { intent: "synonym", id: String(await tag("deselection")), otherId: String(await tag("weeding")) })).status).toBe(
      403,
    );

    const res = await moderator.post("/admin/tags", { intent: "synonym", id: String(await tag("deselection")), otherId: String(await tag("weeding")) });
    expect(textOf(res.body)).toContain("Synonym saved");
    const byMain = textOf((await guest.get("/resources?tag=weeding")).body);
    expect(byMain).toContain("Deselection basics");
    expect(byMain).toContain("Weeding guide");
    expect(textOf((await guest.get("/resources?tag=deselection")).body)).toContain("Weeding guide");
    // A competency area never becomes a synonym.
    const refused = await moderator.post("/admin/tags", { intent: "synonym", id: String(area.id), otherId: String(await tag("weeding")) });
    expect(refused.status).toBe(409);

    const merged = await moderator.post("/admin/tags", { intent: "merge", id: String(await tag("shelf-reading")), otherId: String(await tag("crew")) });
    expect(textOf(merged.body)).toContain("Tags merged.");
    expect((await query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Tag" WHERE "slug" = 'shelf-reading'`)).n).toBe(0);
    expect(textOf((await guest.get("/resources?tag=crew")).body)).toContain("Shelf reading made easy");
  });
});

describe("directory", () => {
  it("lists associations by region", async () => {
    const csv = [
      "title,url,abstract,type,competencies,region",
      `Ohio Library Support Staff Institute,https://olssi.example.org/,"${"A state network for support staff with an annual gathering and regional workshops."}",association,communication-teamwork,Ohio`,
      `National Support Staff Round Table,https://nssrt.example.org/,"${"A national round table where support staff share practice and advocate for recognition."}",association,foundations,national`,
    ].join("\n");
    await moderator.post("/moderate/resources/import", { csv });
    const ohio = textOf((await guest.get("/resources/associations?region=Ohio")).body);
    expect(ohio).toContain("Ohio Library Support Staff Institute");
    expect(ohio).not.toContain("National Support Staff Round Table");
    expect(textOf((await guest.get("/resources/associations")).body)).toContain("National Support Staff Round Table");
  });
});

it("parses what it exports (papaparse round trip sanity)", () => {
  const out = Papa.unparse([{ a: "=1+1", b: "line\nbreak" }], { escapeFormulae: true });
  expect(Papa.parse<Record<string, string>>(out, { header: true }).data[0].a).toBe("'=1+1");
});
