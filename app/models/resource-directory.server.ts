// The clearinghouse's browse pages: a competency area's page, the
// associations directory and the regions entries name.
import { db } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";
import { resourceCardSelect, toResourceCard } from "./resource.server";
import { tagWithSynonyms } from "./tag.server";
import { publicThreadWhere } from "./visibility.server";

/** A competency area's page: its scope note, featured and newest entries, and recent threads. */
export async function getCompetencyPage(slug: string) {
  const area = await db.tag.findFirst({ where: { slug, kind: "competency" }, select: { id: true, slug: true, name: true, scopeNote: true } });
  if (!area) return null;
  const ids = (await tagWithSynonyms(slug)) ?? [area.id];
  const inArea: Prisma.ResourceWhereInput = { status: "approved", tags: { some: { tagId: { in: ids } } } };
  const [featured, newest, threads, count] = await Promise.all([
    db.resource.findMany({ where: { ...inArea, featured: true }, orderBy: { approvedAt: "desc" }, take: 6, select: resourceCardSelect }),
    db.resource.findMany({ where: { ...inArea, featured: false }, orderBy: { approvedAt: "desc" }, take: 6, select: resourceCardSelect }),
    db.thread.findMany({
      where: { ...publicThreadWhere(), tags: { some: { tagId: { in: ids } } } },
      orderBy: { lastActivityAt: "desc" },
      take: 8,
      select: { id: true, slug: true, title: true, kind: true, lastActivityAt: true, publicReplyCount: true },
    }),
    db.resource.count({ where: inArea }),
  ]);
  return { area, featured: featured.map(toResourceCard), newest: newest.map(toResourceCard), threads, count };
}

/** Support-staff associations, by region: the colleague directory. */
export async function listAssociations(region?: string) {
  const where: Prisma.ResourceWhereInput = { status: "approved", type: "association", ...(region ? { region } : {}) };
  const [rows, regions] = await Promise.all([
    db.resource.findMany({ where, orderBy: [{ region: "asc" }, { title: "asc" }], select: resourceCardSelect }),
    db.resource.findMany({ where: { status: "approved", type: "association" }, distinct: ["region"], select: { region: true }, orderBy: { region: "asc" } }),
  ]);
  return { associations: rows.map(toResourceCard), regions: regions.map((r) => r.region) };
}

/** Regions that approved entries name, for the browse filter. */
export async function listResourceRegions(): Promise<string[]> {
  const rows = await db.resource.findMany({ where: { status: "approved" }, distinct: ["region"], select: { region: true }, orderBy: { region: "asc" } });
  return rows.map((r) => r.region);
}
