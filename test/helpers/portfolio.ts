// What the portfolio tests share: a course in the clearinghouse to add from.
import type { TestDatabase } from "../setup/databases";
import { textOf, type Visitor } from "./client";
import { queryOne } from "./db";

/** A 15-hour online course for Technology, suggested and approved by `admin`; its id. */
export async function approvedCourse(admin: Visitor, database: TestDatabase): Promise<number> {
  const technology = (await queryOne<{ id: number }>(database, `SELECT "id" FROM "Tag" WHERE "slug" = 'technology'`)).id;
  const course = await admin.post("/resources/new", {
    title: "Library technology essentials",
    url: "https://example.org/tech-essentials",
    abstract: "An online course for library support staff: the integrated library system, devices, networks and helping patrons with technology.",
    type: "course",
    tagIds: String(technology),
    region: "national",
    cost: "free",
    provider: "Example Library Association",
    ceHours: "15",
    publishedOn: "",
  });
  const id = Number(/submitted=(\d+)/.exec(course.location ?? "")?.[1]);
  if (course.status !== 302 || !id) throw new Error(`suggesting the course failed: ${course.status} ${textOf(course.body).slice(0, 300)}`);
  const approved = await admin.post(`/resources/${id}`, { intent: "approve" });
  if (approved.status >= 400) throw new Error(`approving the course failed: ${approved.status}`);
  return id;
}
