// A realistic tag vocabulary for the tag picker's tests: the ten competency
// areas plus forty topic tags (the ask form's "about 50 checkboxes"), and
// "MUSTIE" made a synonym of "Weeding" by a moderator through /admin/tags.
import { aMember, join, Visitor } from "./client";
import { execute, queryOne } from "./db";
import type { RunningServer } from "./server";

export const TOPICS: [name: string, scopeNote: string][] = [
  ["Weeding", "Deselecting worn, dated or unused items: CREW, criteria, what to do with discards."],
  ["MUSTIE", ""],
  ["Book fairs", "Running and profiting from book fairs."],
  ["Makerspaces", "3D printers, craft carts, robotics clubs."],
  ["Summer reading", "Programs, logs and prizes over the summer."],
  ["Interlibrary loan", "Borrowing and lending between libraries."],
  ["Overdue fines", "Fines, fine-free policies and their effects."],
  ["Self-checkout", "Kiosks, RFID and self-service circulation."],
  ["Genrefication", "Arranging fiction by genre instead of by author."],
  ["Graphic novels", "Selecting, shelving and defending comics."],
  ["Banned books", "Challenges, reconsideration and intellectual freedom."],
  ["Dewey", "Dewey Decimal Classification questions."],
  ["MARC records", "Fields, indicators and copy cataloging."],
  ["Library of Congress subject headings", ""],
  ["Inventory", "Annual counts, scanners and missing items."],
  ["Budget", "Stretching a small budget; grants."],
  ["Grants", "Finding and writing grants."],
  ["Volunteers", "Recruiting and keeping volunteers."],
  ["Student aides", "Training and scheduling student workers."],
  ["Storytime", "Planning storytimes for young children."],
  ["Teen programs", "Programs and spaces for teenagers."],
  ["Homework help", ""],
  ["Databases", "Subscription databases and how to teach them."],
  ["E-books", "Lending platforms, licensing and devices."],
  ["Audiobooks", ""],
  ["Chromebooks", "Managing and circulating student devices."],
  ["Printing", "Public printers, copiers and paper jams."],
  ["Displays", "Bulletin boards and book displays."],
  ["Signage", "Wayfinding and shelf signs."],
  ["Reading levels", "Lexile, AR and leveling collections."],
  ["Accelerated Reader", ""],
  ["Library cards", "Registration and card policies."],
  ["Patron privacy", "Records, confidentiality and the law."],
  ["Difficult patrons", "Behaviour policies and de-escalation."],
  ["Scheduling", "Desk schedules and shift coverage."],
  ["Professional development", "Conferences, webinars and LSSC certification."],
  ["Job hunting", "Applications, interviews and résumés."],
  ["Archives", "Local history, preservation and finding aids."],
  ["Mending", "Book repair and processing supplies."],
  ["Social media", "Promoting the library online."],
];

export type Vocabulary = { moderator: Visitor; tagId: (slug: string) => Promise<number> };

/** Creates the topic tags through /admin/tags as a moderator, then makes "MUSTIE" a synonym of "Weeding". */
export async function makeVocabulary(server: RunningServer, handle = "vocabmod"): Promise<Vocabulary> {
  const moderator = new Visitor(server.url);
  await join(moderator, aMember(handle));
  await execute(server.database, `UPDATE "User" SET "role" = 'moderator' WHERE "handle" = ?`, `member${handle}`);
  for (const [name, scopeNote] of TOPICS) {
    const made = await moderator.post("/admin/tags", { intent: "create", name, scopeNote });
    if (made.status !== 200) throw new Error(`creating tag ${name} answered ${made.status}`);
  }
  const tagId = async (slug: string) => (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = ?`, slug)).id;
  const synonym = await moderator.post("/admin/tags", { intent: "synonym", id: String(await tagId("mustie")), otherId: String(await tagId("weeding")) });
  if (!synonym.body.includes("Synonym saved")) throw new Error(`making MUSTIE a synonym answered ${synonym.status}`);
  return { moderator, tagId };
}
