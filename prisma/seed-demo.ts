// `npm run seed:demo`: a living community for newcomers and demos. Safe to run
// again: members that already exist are left as they are. Not for production
// installations (the demo accounts share a published password).
import { db, prepareDatabase } from "~/lib/db.server";
import type { LibraryType, MemberKind } from "~/lib/domain";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { createMember } from "~/models/user.server";

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
    handle: "rosa", displayName: "Rosa Martínez", jobTitle: "Library Media Assistant", worksite: "Lincoln Elementary School",
    memberKind: "support_staff", libraryType: "school", region: "Texas", years: 6, lssc: true,
    about: "I run our K–5 library on my own three days a week. Storytime, Destiny, and a lot of book fairs.",
  },
  {
    handle: "darnell", displayName: "Darnell Hayes", jobTitle: "Circulation Supervisor", worksite: "Oakwood Public Library",
    memberKind: "support_staff", libraryType: "public", region: "Ohio", years: 14, stateCertification: "Ohio Library Paraprofessional",
    about: "Circulation policies, patron accounts, and scheduling a team of eight pages and clerks.",
  },
  {
    handle: "mei", displayName: "Mei Chen", jobTitle: "Teacher Librarian", worksite: "Westview High School",
    memberKind: "librarian", libraryType: "school", region: "California", years: 11, mlis: true,
    about: "Happy to help with collection development and research instruction for grades 9–12.",
  },
  {
    handle: "pat-oneill", displayName: "Pat O'Neill", jobTitle: "Technical Services Technician", worksite: "Lakeshore Community College Library",
    memberKind: "support_staff", libraryType: "academic", region: "Michigan", years: 22, lssc: true,
    about: "Copy cataloging, MARC records and RDA questions are my favourite kind of puzzle.",
  },
  {
    handle: "amara", displayName: "Amara Okafor", jobTitle: "Library Assistant", worksite: "Maple Grove Branch Library",
    memberKind: "student", libraryType: "public", region: "Minnesota", years: 2, otherCredentials: "MLIS student",
    about: "Part-time at the branch while I finish my MLIS. Teen programming is my thing.",
  },
  {
    handle: "joseph-w", displayName: "Joseph Whitfield", jobTitle: "Library Aide", worksite: "Cedar Ridge Middle School",
    memberKind: "support_staff", libraryType: "school", region: "Montana", years: 4, stateCertification: "PARA level 2",
    about: "Only staff member in our library. Learning weeding the hard way.",
  },
  {
    handle: "linda-k", displayName: "Linda Kowalski", jobTitle: "Library Clerk", worksite: "St. Mary's Hospital Medical Library",
    memberKind: "support_staff", libraryType: "special", region: "Pennsylvania", years: 9,
    about: "Document delivery and journal subscriptions for clinicians.",
  },
  {
    handle: "sam-p", displayName: "Sam Patel", jobTitle: "Youth Services Associate", worksite: "Riverside Public Library",
    memberKind: "support_staff", libraryType: "public", region: "New Jersey", years: 5, lssc: true,
    about: "Storytimes in English and Gujarati, summer reading, and a Lego club.",
  },
  {
    handle: "grace-t", displayName: "Grace Thompson", jobTitle: "District Library Coordinator", worksite: "Cedar Valley School District",
    memberKind: "librarian", libraryType: "school", region: "Iowa", years: 25, mlis: true, role: "moderator",
    about: "I support eleven school libraries, most staffed by paraprofessionals. Ask me anything about policy.",
  },
  {
    handle: "hector", displayName: "Héctor Ruiz", jobTitle: "Interlibrary Loan Technician", worksite: "Desert State University Library",
    memberKind: "support_staff", libraryType: "academic", region: "Arizona", years: 7,
    about: "ILLiad, OCLC resource sharing and copyright compliance for borrowing.",
  },
];

async function main() {
  await prepareDatabase();
  await ensureCompetencyAreas();
  let created = 0;
  for (const m of DEMO_MEMBERS) {
    const email = `${m.handle}@demo.paranet.example`;
    if (await db.user.findUnique({ where: { email }, select: { id: true } })) continue;
    const member = await createMember({
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
    }, "seed");
    // A seed is an operator's tool, so it sets roles and "about" directly.
    await db.user.update({ where: { id: member.id }, data: { about: m.about, role: m.role ?? "member" } });
    created++;
  }
  console.log(
    `Demo community: ${created} members created, ${DEMO_MEMBERS.length - created} already there.\n` +
      `Log in as any of them, e.g. rosa@demo.paranet.example, with the password "${DEMO_PASSWORD}".`,
  );
  await db.$disconnect();
}

await main();
