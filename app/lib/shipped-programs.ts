// The programs a new installation starts with (app/models/program.server.ts
// `ensurePrograms` adds any that are missing; admins edit or retire them at
// /admin/programs). LSSC follows ALA's published rules; the state programs'
// point tables are not published in a form we could check, so their shapes are
// right and their numbers are placeholders, said so in `checkWithProgram`.
import type { ProgramDefinition } from "./program";

const LSSC_SETS: { key: string; name: string; required: boolean }[] = [
  { key: "foundations", name: "Foundations of Library Services", required: true },
  { key: "technology", name: "Technology", required: true },
  { key: "communication-teamwork", name: "Communication and Teamwork", required: true },
  { key: "access-services", name: "Access Services", required: false },
  { key: "adult-readers-advisory", name: "Adult Readers' Advisory", required: false },
  { key: "cataloging-classification", name: "Cataloging and Classification", required: false },
  { key: "collection-management", name: "Collection Management", required: false },
  { key: "reference", name: "Reference", required: false },
  { key: "supervision-management", name: "Supervision and Management", required: false },
  { key: "youth-services", name: "Youth Services", required: false },
];

/**
 * A shipped program, and the notes (`checkWithProgram`) it shipped with before:
 * an installation whose note is still one of those (no admin rewrote it) gets
 * the current one at start (ensurePrograms). A note names no figure the
 * definition holds (a minimum, a threshold, a window): those are shown from
 * the definition beside it, and an admin may change them.
 */
export type ShippedProgram = { slug: string; definition: ProgramDefinition; earlierNotes?: string[] };

export const SHIPPED_PROGRAMS: ShippedProgram[] = [
  {
    slug: "lssc",
    earlierNotes: [
      "LSSC judges each competency set by an approved course or a portfolio that documents every competency in it, not by hours: ParaNet shows a set as met once your entries give it 15 contact hours (one semester credit), as a guide. Check the current rules with the program.",
      "LSSC judges each competency set by an approved course or a portfolio that documents every competency in it, not by hours: ParaNet shows a set as met once the entries logged for it reach 15 contact hours (one semester credit), as a guide. Check the current rules with the program.",
    ],
    definition: {
      name: "Library Support Staff Certification (LSSC)",
      body: "American Library Association",
      summary:
        "Complete six of the ten competency sets within four years: the three required sets (Foundations of Library Services, Technology, Communication and Teamwork) and three electives, each by an approved course's completion certificate or a portfolio documenting every competency of the set. Eligibility: a high-school diploma and the equivalent of one year (1,820 hours) of paid or volunteer library work within the last five years. Renewal every four years: 32 contact hours, at least 4 in technology.",
      url: "https://www.ala.org/educationcareers/lssc",
      checkWithProgram:
        "LSSC judges each competency set by an approved course or a portfolio that documents every competency in it, not by hours: ParaNet shows a set as met once the entries logged for it reach the set's minimum shown here, as a guide. Check the current rules with the program.",
      measure: "hours",
      windowYears: 4,
      electivesNeeded: 3,
      categories: LSSC_SETS.map((s) => ({ ...s, minimum: 15, areas: [s.key], activityTypes: [] })),
      rules: [],
      levels: [],
      prerequisite: { name: "Library work, paid or volunteer, in the last five years", activityTypes: ["experience"], hours: 1820, withinYears: 5 },
      renewal: { everyYears: 4, amount: 32, minimumIn: { category: "technology", amount: 4 } },
      sections: [
        { title: "Required competency sets", categories: LSSC_SETS.filter((s) => s.required).map((s) => s.key) },
        { title: "Elective competency sets", categories: LSSC_SETS.filter((s) => !s.required).map((s) => s.key) },
      ],
    },
  },
  {
    slug: "para-ma",
    earlierNotes: [
      "The shape (points from education, experience and professional activities; four levels) follows the program; the points per activity and the level thresholds here are placeholders. Check the current rules with the program.",
    ],
    definition: {
      name: "Paralibrarian Recognition (PARA), Massachusetts",
      body: "Massachusetts Library Association",
      summary:
        "Four levels, reached by points for education, library experience and professional activities (workshops attended, presentations made, committee work and more). A portfolio notebook is sent for review; reviews are rolling and take two to three months.",
      url: "https://www.masslib.org/",
      checkWithProgram:
        "The shape (levels reached by points for education, experience and professional activities) follows the program; the points per activity and the level thresholds here are placeholders. Check the current rules with the program.",
      measure: "points",
      windowYears: null,
      electivesNeeded: 0,
      categories: [
        { key: "education", name: "Education and training", required: false, minimum: 0, areas: [], activityTypes: ["course", "workshop", "conference"] },
        { key: "experience", name: "Library experience", required: false, minimum: 0, areas: [], activityTypes: ["experience"] },
        {
          key: "professional",
          name: "Professional activities",
          required: false,
          minimum: 0,
          areas: [],
          activityTypes: ["presentation", "publication", "service", "mentoring", "other"],
        },
      ],
      rules: [
        { type: "course", per: "hour", value: 1 },
        { type: "workshop", per: "hour", value: 1 },
        { type: "conference", per: "hour", value: 1 },
        { type: "experience", per: "hour", value: 0.01, capPerEntry: 20 },
        { type: "presentation", per: "item", value: 5 },
        { type: "publication", per: "item", value: 5 },
        { type: "service", per: "entry", value: 5 },
        { type: "mentoring", per: "entry", value: 5 },
      ],
      levels: [
        { name: "PARA level 1", threshold: 25 },
        { name: "PARA level 2", threshold: 50 },
        { name: "PARA level 3", threshold: 100 },
        { name: "PARA level 4", threshold: 150 },
      ],
      prerequisite: null,
      renewal: null,
      sections: [
        { title: "Education and training", categories: ["education"] },
        { title: "Library experience", categories: ["experience"] },
        { title: "Professional activities", categories: ["professional"] },
      ],
    },
  },
  {
    slug: "nyslaa",
    earlierNotes: [
      "Level IV's 1,000 points follows the program; the lower levels' thresholds and the points per activity are placeholders. Check the current rules with the program.",
    ],
    definition: {
      name: "Library Assistant Certification, New York (NYSLAA)",
      body: "New York State Library Assistants' Association",
      summary:
        "Certification in a specialisation (public service, technical service, automation, administration and management, or general), by points for experience, education and other activities, each with a competency statement. Level IV needs 1,000 points or more.",
      url: "https://www.nyslaa.org/",
      checkWithProgram:
        "Level IV's threshold follows the program; the lower levels' thresholds and the points per activity are placeholders. Check the current rules with the program.",
      measure: "points",
      windowYears: null,
      electivesNeeded: 0,
      categories: [
        {
          key: "public-service",
          name: "Public service",
          required: false,
          minimum: 0,
          areas: ["access-services", "reference", "adult-readers-advisory", "youth-services"],
          activityTypes: [],
        },
        {
          key: "technical-service",
          name: "Technical service",
          required: false,
          minimum: 0,
          areas: ["cataloging-classification", "collection-management"],
          activityTypes: [],
        },
        { key: "automation", name: "Automation", required: false, minimum: 0, areas: ["technology"], activityTypes: [] },
        { key: "administration", name: "Administration and management", required: false, minimum: 0, areas: ["supervision-management"], activityTypes: [] },
        { key: "general", name: "General", required: false, minimum: 0, areas: ["foundations", "communication-teamwork"], activityTypes: [] },
      ],
      rules: [
        { type: "course", per: "hour", value: 2 },
        { type: "workshop", per: "hour", value: 2 },
        { type: "conference", per: "hour", value: 2 },
        { type: "experience", per: "hour", value: 0.1, capPerEntry: 400 },
        { type: "presentation", per: "item", value: 25 },
        { type: "publication", per: "item", value: 25 },
        { type: "service", per: "entry", value: 20 },
        { type: "mentoring", per: "entry", value: 20 },
      ],
      levels: [
        { name: "Level I", threshold: 250 },
        { name: "Level II", threshold: 500 },
        { name: "Level III", threshold: 750 },
        { name: "Level IV", threshold: 1000 },
      ],
      prerequisite: null,
      renewal: null,
      sections: [
        { title: "Public service", categories: ["public-service"] },
        { title: "Technical service", categories: ["technical-service"] },
        { title: "Automation", categories: ["automation"] },
        { title: "Administration and management", categories: ["administration"] },
        { title: "General", categories: ["general"] },
      ],
    },
  },
  {
    slug: "montana",
    earlierNotes: [
      "The totals (60 credits in four years, at least 10 in each of four categories) follow the program; the four categories' names and which competency areas count in each are ParaNet's reading. Check the current rules with the program.",
    ],
    definition: {
      name: "Montana Library Certification",
      body: "Montana State Library",
      summary: "Sixty continuing-education credits (contact hours) in four years, at least ten in each of four categories.",
      url: "https://msl.mt.gov/",
      checkWithProgram:
        "The totals (the credits needed within the window, and the least in each category) follow the program; the categories' names and which competency areas count in each are ParaNet's reading. Check the current rules with the program.",
      measure: "hours",
      windowYears: 4,
      electivesNeeded: 0,
      categories: [
        {
          key: "library-services",
          name: "Library and information services",
          required: true,
          minimum: 10,
          areas: ["foundations", "access-services", "reference", "adult-readers-advisory", "youth-services"],
          activityTypes: [],
        },
        {
          key: "collections",
          name: "Collections and technical services",
          required: true,
          minimum: 10,
          areas: ["collection-management", "cataloging-classification"],
          activityTypes: [],
        },
        { key: "technology", name: "Technology", required: true, minimum: 10, areas: ["technology"], activityTypes: [] },
        {
          key: "management",
          name: "Administration and management",
          required: true,
          minimum: 10,
          areas: ["supervision-management", "communication-teamwork"],
          activityTypes: [],
        },
      ],
      rules: [{ type: "experience", per: "hour", value: 0 }],
      levels: [{ name: "Certified", threshold: 60 }],
      prerequisite: null,
      renewal: { everyYears: 4, amount: 60, minimumIn: null },
      sections: [
        { title: "Library and information services", categories: ["library-services"] },
        { title: "Collections and technical services", categories: ["collections"] },
        { title: "Technology", categories: ["technology"] },
        { title: "Administration and management", categories: ["management"] },
      ],
    },
  },
];
