// `npm run seed:demo`: a living community for newcomers and demos. Safe to run
// again: members that already exist are left as they are. Not for production
// installations (the demo accounts share a published password).
import { closeDatabase, db, prepareDatabase } from "~/db/client.server";
import type { FlagReason, LibraryType, MemberKind } from "~/lib/domain";
import { parseInput, ThreadSchema } from "~/lib/validation";
import { draftHit } from "~/models/hit.server";
import { flagPost, setThreadLocked } from "~/models/moderation.server";
import { createReply, setAcceptedReply, setHelpful } from "~/models/reply.server";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { createEntry, todayUtc } from "~/models/portfolio.server";
import { ensurePrograms, followProgram, setProgramBadge } from "~/models/program.server";
import { addDays } from "~/lib/program";
import type { EntryInput } from "~/lib/portfolio-input.server";
import { createThread } from "~/models/thread.server";
import type { Actor } from "~/lib/domain";
import { createMember } from "~/models/user.server";
import { importResources } from "~/models/resource-portability.server";
import { submitResource } from "~/models/resource.server";
import { DEMO_RESOURCES } from "./demo-resources";

export const DEMO_PASSWORD = "paranet demo password";

type DemoMember = {
  handle: string;
  displayName: string;
  jobTitle: string;
  worksite: string;
  memberKind: MemberKind;
  libraryType: LibraryType;
  region: string;
  years: number;
  mlis?: boolean;
  lssc?: boolean;
  stateCertification?: string;
  otherCredentials?: string;
  about: string;
  role?: "moderator";
};

export const DEMO_MEMBERS: DemoMember[] = [
  {
    handle: "rosa",
    displayName: "Rosa Martínez",
    jobTitle: "Library Media Assistant",
    worksite: "Lincoln Elementary School",
    memberKind: "support_staff",
    libraryType: "school",
    region: "Texas",
    years: 6,
    lssc: true,
    about: "I run our K–5 library on my own three days a week. Storytime, Destiny, and a lot of book fairs.",
  },
  {
    handle: "darnell",
    displayName: "Darnell Hayes",
    jobTitle: "Circulation Supervisor",
    worksite: "Oakwood Public Library",
    memberKind: "support_staff",
    libraryType: "public",
    region: "Ohio",
    years: 14,
    stateCertification: "Ohio Library Paraprofessional",
    about: "Circulation policies, patron accounts, and scheduling a team of eight pages and clerks.",
  },
  {
    handle: "mei",
    displayName: "Mei Chen",
    jobTitle: "Teacher Librarian",
    worksite: "Westview High School",
    memberKind: "librarian",
    libraryType: "school",
    region: "California",
    years: 11,
    mlis: true,
    about: "Happy to help with collection development and research instruction for grades 9–12.",
  },
  {
    handle: "pat-oneill",
    displayName: "Pat O'Neill",
    jobTitle: "Technical Services Technician",
    worksite: "Lakeshore Community College Library",
    memberKind: "support_staff",
    libraryType: "academic",
    region: "Michigan",
    years: 22,
    lssc: true,
    about: "Copy cataloging, MARC records and RDA questions are my favourite kind of puzzle.",
  },
  {
    handle: "amara",
    displayName: "Amara Okafor",
    jobTitle: "Library Assistant",
    worksite: "Maple Grove Branch Library",
    memberKind: "student",
    libraryType: "public",
    region: "Minnesota",
    years: 2,
    otherCredentials: "MLIS student",
    about: "Part-time at the branch while I finish my MLIS. Teen programming is my thing.",
  },
  {
    handle: "joseph-w",
    displayName: "Joseph Whitfield",
    jobTitle: "Library Aide",
    worksite: "Cedar Ridge Middle School",
    memberKind: "support_staff",
    libraryType: "school",
    region: "Montana",
    years: 4,
    stateCertification: "PARA level 2",
    about: "Only staff member in our library. Learning weeding the hard way.",
  },
  {
    handle: "linda-k",
    displayName: "Linda Kowalski",
    jobTitle: "Library Clerk",
    worksite: "St. Mary's Hospital Medical Library",
    memberKind: "support_staff",
    libraryType: "special",
    region: "Pennsylvania",
    years: 9,
    about: "Document delivery and journal subscriptions for clinicians.",
  },
  {
    handle: "sam-p",
    displayName: "Sam Patel",
    jobTitle: "Youth Services Associate",
    worksite: "Riverside Public Library",
    memberKind: "support_staff",
    libraryType: "public",
    region: "New Jersey",
    years: 5,
    lssc: true,
    about: "Storytimes in English and Gujarati, summer reading, and a Lego club.",
  },
  {
    handle: "grace-t",
    displayName: "Grace Thompson",
    jobTitle: "District Library Coordinator",
    worksite: "Cedar Valley School District",
    memberKind: "librarian",
    libraryType: "school",
    region: "Iowa",
    years: 25,
    mlis: true,
    role: "moderator",
    about: "I support eleven school libraries, most staffed by paraprofessionals. Ask me anything about policy.",
  },
  {
    handle: "hector",
    displayName: "Héctor Ruiz",
    jobTitle: "Interlibrary Loan Technician",
    worksite: "Desert State University Library",
    memberKind: "support_staff",
    libraryType: "academic",
    region: "Arizona",
    years: 7,
    about: "ILLiad, OCLC resource sharing and copyright compliance for borrowing.",
  },
];

type DemoThread = {
  by: string;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  libraryTypes?: string[];
  jobLocation?: string;
  jobClosesOn?: string;
  hitExpectedBy?: string;
  /** `flags`: members who flagged the reply (fewer than the community's threshold: they wait in the review queue). */
  replies?: { by: string; body: string; helpfulFrom?: string[]; accepted?: boolean; flags?: { by: string; reason: FlagReason; note: string }[] }[];
  /** For a TARGET: compile a HIT quoting these repliers (true = named). */
  hit?: { quote: Record<string, boolean>; learned: string };
  /** A moderator locked the thread, and why (it goes in the moderation log). */
  locked?: { by: string; reason: string };
};

export const DEMO_THREADS: DemoThread[] = [
  {
    by: "grace-t",
    kind: "announcement",
    title: "Welcome to ParaNet: how TARGETs and HITs work here",
    body: "Welcome! A few LM_NET habits carry over:\n\n- **Identify yourself**: your card shows your job and worksite.\n- A **TARGET** asks for replies privately to you; afterwards post a **HIT** so everyone learns.\n- Search before asking: many answers are already in a HIT.\n\nSee the [community guidelines](/guidelines).",
    tags: ["foundations"],
  },
  {
    by: "rosa",
    kind: "question",
    title: "How do you weed a biography section without a budget?",
    body: "Our biography section is full of 1990s titles with yellow pages, but I have **no budget** to replace them. How do you decide what goes, and how do you explain empty shelves to teachers?",
    tags: ["collection-management"],
    libraryTypes: ["school"],
    replies: [
      {
        by: "pat-oneill",
        body: "Use the CREW method and its **MUSTIE** test: Misleading, Ugly, Superseded, Trivial, Irrelevant, Elsewhere. An empty shelf is better than a misleading one, and circulation usually goes *up* after weeding.",
        helpfulFrom: ["mei", "darnell", "joseph-w"],
        accepted: true,
      },
      {
        by: "mei",
        body: "Share a one-page weeding policy with your principal first. Teachers take it better when they know the criteria. Face-out the good titles to fill space.",
        helpfulFrom: ["rosa"],
      },
    ],
  },
  {
    by: "darnell",
    kind: "discussion",
    title: "Self-checkout stations: worth it for a small branch?",
    body: "We're being offered two self-check kiosks. For those who have them: did they free up staff time, or create new work?",
    tags: ["access-services", "technology"],
    libraryTypes: ["public"],
    replies: [
      { by: "sam-p", body: "Freed up time at the desk for readers' advisory, but we spend ~30 minutes a week on paper jams and RFID tag issues." },
      { by: "hector", body: "Ask the vendor for the error logs from a comparable site before you sign anything." },
    ],
  },
  {
    by: "joseph-w",
    kind: "target",
    title: "TARGET: overdue fine policies in middle schools",
    body: "I'm rewriting our circulation policy. Please reply to me privately: do you charge overdue fines, and what happened when you changed?",
    tags: ["access-services", "supervision-management"],
    libraryTypes: ["school"],
    hitExpectedBy: "2026-12-15",
    replies: [
      { by: "rosa", body: "We went fine-free in 2021. Returns actually improved once students weren't afraid to come back." },
      { by: "linda-k", body: "Not a school, but our hospital library dropped fines for staff and never looked back." },
      { by: "amara", body: "Our branch still charges 10 cents a day, capped at $2. Teens mostly avoid us because of it." },
    ],
    hit: {
      quote: { rosa: true, amara: false },
      learned: "Most libraries that dropped fines saw returns improve. I'm proposing fine-free with a replacement charge for lost books.",
    },
  },
  {
    by: "grace-t",
    kind: "job",
    title: "Library Media Assistant, Cedar Valley School District (20 hrs/week)",
    body: "Part-time Library Media Assistant for two elementary libraries. LSSC or state PARA certification welcome but not required. Apply through the district HR site.",
    tags: ["youth-services"],
    libraryTypes: ["school"],
    jobLocation: "Cedar Valley, Iowa",
    jobClosesOn: "2027-01-15",
  },
  {
    by: "amara",
    kind: "question",
    title: "Ideas for starting a teen advisory board?",
    body: "I'd like to start a teen advisory board at our branch. How often do yours meet, and how do you keep teens coming back?",
    tags: ["youth-services"],
    libraryTypes: ["public"],
    replies: [
      {
        by: "mei",
        body: "Ours meets monthly with **pizza** and a real budget line (even $200 a year): teens stay when their choices actually get bought.",
        helpfulFrom: ["amara", "rosa"],
      },
      { by: "rosa", body: "Let them run the meeting. We give the agenda to a rotating chair and only keep the minutes ourselves." },
      {
        by: "sam-p",
        body: "Slightly off topic, but does anyone know whether the state conference registration is open yet?",
        flags: [{ by: "amara", reason: "off_topic", note: "Worth its own thread so others can find the answer." }],
      },
    ],
  },
  {
    by: "darnell",
    kind: "discussion",
    title: "Summer reading kickoff dates 2026",
    body: "Posting our kickoff dates so neighbouring branches can avoid clashes. Add yours below!",
    tags: ["youth-services"],
    libraryTypes: ["public"],
    replies: [
      { by: "amara", body: "Eastside Branch: June 8, with the bookmobile on June 10." },
      { by: "sam-p", body: "Riverside: June 15. We're sharing a magician with Eastside, so please don't book him that week!" },
      {
        by: "hector",
        body: "Reminder that our vendor catalog has 20% off summer prizes until May, email me for the code.",
        flags: [{ by: "darnell", reason: "spam", note: "A sales pitch, not kickoff dates." }],
      },
    ],
    locked: { by: "grace-t", reason: "Summer is over: please start a new thread for the 2027 dates." },
  },
];

async function seedThreads(actors: Map<string, Actor>) {
  const tags = new Map((await db.tag.findMany({ select: { id: true, slug: true } })).map((t) => [t.slug, t.id]));
  let created = 0;
  for (const t of DEMO_THREADS) {
    if (await db.thread.findFirst({ where: { title: t.title }, select: { id: true } })) continue;
    const asker = actors.get(t.by)!;
    const parsed = parseInput(ThreadSchema, {
      title: t.title,
      body: t.body,
      kind: t.kind,
      tagIds: t.tags.map((slug) => String(tags.get(slug))),
      libraryTypes: t.libraryTypes ?? [],
      jobLocation: t.jobLocation ?? "",
      jobClosesOn: t.jobClosesOn ?? "",
      hitExpectedBy: t.hitExpectedBy ?? "",
    });
    if (!parsed.ok) throw new Error(`Demo thread "${t.title}" is invalid: ${JSON.stringify(parsed.fields)}`);
    const thread = await createThread(asker, parsed.data);
    const replyIds = new Map<string, number>();
    for (const r of t.replies ?? []) {
      const reply = await createReply(actors.get(r.by)!, thread.id, { body: r.body });
      replyIds.set(r.by, reply.id);
      for (const voter of r.helpfulFrom ?? []) await setHelpful(actors.get(voter)!, reply.id, true);
      if (r.accepted) await setAcceptedReply(asker, thread.id, reply.id);
      for (const flag of r.flags ?? []) await flagPost(actors.get(flag.by)!, { type: "reply", id: reply.id }, { reason: flag.reason, note: flag.note });
    }
    if (t.locked) await setThreadLocked(actors.get(t.locked.by)!, thread.id, true, t.locked.reason);
    if (t.hit) {
      const selections = Object.entries(t.hit.quote).map(([by, named]) => ({ replyId: replyIds.get(by)!, named }));
      const draft = await draftHit(asker, thread.id, selections);
      const hit = parseInput(ThreadSchema, {
        title: draft.title,
        body: draft.body.replace("**What I learned:** ", `**What I learned:** ${t.hit.learned}`),
        kind: "hit",
        tagIds: draft.tagIds.map(String),
      });
      if (!hit.ok) throw new Error(`Demo HIT is invalid: ${JSON.stringify(hit.fields)}`);
      await createThread(asker, hit.data, { sourceThreadId: thread.id });
    }
    created++;
  }
  return created;
}

/** The starter clearinghouse, imported by the demo moderator (idempotent: known addresses are skipped), plus one suggestion waiting in the queue. */
async function seedResources(actors: Map<string, Actor>): Promise<number> {
  const moderator = [...actors.values()].find((a) => a.role === "moderator" || a.role === "admin");
  if (!moderator) return 0;
  const outcomes = await importResources(
    moderator,
    DEMO_RESOURCES.map((r) => ({
      title: r.title,
      url: r.url,
      abstract: r.abstract,
      type: r.type,
      competencies: r.competencies.join(";"),
      tags: r.tags.join(";"),
      library_types: r.libraryTypes.join(";"),
      region: r.region,
      cost: r.cost,
      provider: r.provider,
      ce_hours: r.ceHours === null ? "" : String(r.ceHours),
      published_on: r.publishedOn ?? "",
    })),
  );
  const rejected = outcomes.filter((o) => o.status === "rejected");
  if (rejected.length) console.warn("Demo resources not imported:", rejected);
  for (const [i, r] of DEMO_RESOURCES.entries()) {
    const id = outcomes[i]?.id;
    if (id && r.featured) await db.resource.update({ where: { id }, data: { featured: true } });
  }
  const member = actors.get("rosa");
  if (member) {
    const tag = await db.tag.findUnique({ where: { slug: "youth-services" }, select: { id: true } });
    await submitResource(member, {
      title: "Storytime planning worksheet (our branch's template)",
      url: "https://example.org/demo/storytime-planning-worksheet",
      abstract:
        "A one-page worksheet our branch uses to plan a 30-minute preschool storytime: theme, three books, a song, a movement break and a take-home activity. Editable, free to adapt.",
      type: "toolkit",
      tagIds: tag ? [tag.id] : [],
      libraryTypes: ["public"],
      region: "national",
      cost: "free",
      provider: "",
      ceHours: null,
      publishedOn: null,
    });
  }
  return outcomes.filter((o) => o.status === "imported").length;
}

/**
 * Darnell works toward LSSC: a portfolio with a course, a workshop, a conference
 * day, a presentation split across two areas and his years at the desk, so a
 * newcomer sees progress with something in it. Skipped once he has entries.
 */
async function seedPortfolio(actors: Map<string, Actor>): Promise<number> {
  const darnell = actors.get("darnell");
  if (!darnell || (await db.portfolioEntry.count({ where: { ownerId: darnell.id } }))) return 0;
  await followProgram(darnell, "lssc");
  await setProgramBadge(darnell, "lssc", "LSSC candidate");
  const ago = (days: number) => addDays(todayUtc(), -days);
  const entries: EntryInput[] = [
    {
      type: "course",
      title: "Foundations of Library Services (LSSC-approved online course)",
      provider: "Example Community College",
      startedOn: ago(240),
      endedOn: ago(150),
      quantity: 3,
      unit: "semester_credits",
      reflection: "The mission of public libraries, intellectual freedom and patron privacy; wrote a privacy checklist for our circulation desk.",
      areas: [{ area: "foundations", hours: 45 }],
    },
    {
      type: "workshop",
      title: "Handling difficult conversations at the circulation desk",
      provider: "Ohio Library Council",
      startedOn: ago(90),
      endedOn: ago(90),
      quantity: 3,
      unit: "hours",
      reflection: "De-escalation steps I now use with fines disputes; trained our pages on them.",
      areas: [{ area: "communication-teamwork", hours: 3 }],
    },
    {
      type: "conference",
      title: "Ohio Library Support Staff Institute",
      provider: "OLSSI",
      startedOn: ago(60),
      endedOn: ago(59),
      quantity: 2,
      unit: "days",
      reflection: "Sessions on self-checkout, ILS reports and scheduling.",
      areas: [
        { area: "technology", hours: 8 },
        { area: "access-services", hours: 4 },
      ],
    },
    {
      type: "presentation",
      title: "Teaching patrons to use the self-checkout kiosks",
      provider: "Oakwood Public Library",
      startedOn: ago(30),
      endedOn: ago(30),
      quantity: 2,
      unit: "hours",
      reflection: "A 30-minute demonstration, given four times; a one-page handout.",
      areas: [
        { area: "technology", hours: 1 },
        { area: "access-services", hours: 1 },
      ],
    },
    {
      type: "experience",
      title: "Circulation Supervisor, Oakwood Public Library",
      provider: "Oakwood Public Library",
      startedOn: ago(700),
      endedOn: ago(1),
      quantity: 2000,
      unit: "hours",
      reflection: "",
      areas: [],
    },
  ];
  for (const e of entries) await createEntry(darnell, e);
  return entries.length;
}

async function main() {
  await prepareDatabase();
  await ensureCompetencyAreas();
  await ensurePrograms();
  let created = 0;
  for (const m of DEMO_MEMBERS) {
    const email = `${m.handle}@demo.paranet.example`;
    if (await db.user.findUnique({ where: { email }, select: { id: true } })) continue;
    const member = await createMember(
      {
        email,
        handle: m.handle,
        password: DEMO_PASSWORD,
        displayName: m.displayName,
        jobTitle: m.jobTitle,
        worksite: m.worksite,
        memberKind: m.memberKind,
        libraryType: m.libraryType,
        region: m.region,
        yearsInLibraryWork: m.years,
        hasMlis: m.mlis ?? false,
        hasLssc: m.lssc ?? false,
        stateCertification: m.stateCertification ?? "",
        otherCredentials: m.otherCredentials ?? "",
      },
      "seed",
    );
    // A seed is an operator's tool, so it sets roles and "about" directly.
    // Demo addresses cannot receive mail: they count as confirmed, on weekly digests.
    await db.user.update({ where: { id: member.id }, data: { about: m.about, role: m.role ?? "member", emailVerifiedAt: new Date(), emailMode: "weekly" } });
    created++;
  }
  const actors = new Map(
    (await db.user.findMany({ where: { email: { endsWith: "@demo.paranet.example" } }, select: { id: true, handle: true, role: true } })).map((u) => [
      u.handle,
      { id: u.id, role: u.role as Actor["role"] },
    ]),
  );
  // The demo community is an established one: its posts are not held for
  // approval nor paced like a newcomer's. The installation's own settings
  // are put back afterwards.
  const relaxed = { holdFirstPosts: "0", postLimit: "1000" };
  const before = await db.setting.findMany({ where: { key: { in: Object.keys(relaxed) } } });
  for (const [key, value] of Object.entries(relaxed)) await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
  let threads: number;
  let resources: number;
  let portfolio: number;
  try {
    threads = await seedThreads(actors);
    resources = await seedResources(actors);
    portfolio = await seedPortfolio(actors);
  } finally {
    await db.setting.deleteMany({ where: { key: { in: Object.keys(relaxed) } } });
    for (const { key, value } of before) await db.setting.create({ data: { key, value } });
  }
  console.log(
    `Demo community: ${created} members created, ${DEMO_MEMBERS.length - created} already there; ${threads} threads created; ` +
      `${resources} clearinghouse entries added; ${portfolio} portfolio entries for darnell (LSSC).\n` +
      `Log in as any of them, e.g. rosa@demo.paranet.example, with the password "${DEMO_PASSWORD}".`,
  );
  await closeDatabase();
}

await main();
