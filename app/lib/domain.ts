// ParaNet's vocabulary: the allowed values of every enumerated field, with the
// labels people see. Shared by client and server.

export const ROLES = ["member", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** Who is acting: enough to authorize in the model layer. */
export type Actor = { id: number; role: Role };
export const ROLE_LABELS: Record<Role, string> = { member: "Member", moderator: "Moderator", admin: "Admin" };

export const MEMBER_KINDS = ["support_staff", "librarian", "student", "other"] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];
export const MEMBER_KIND_LABELS: Record<MemberKind, string> = {
  support_staff: "Library support staff",
  librarian: "Librarian",
  student: "Student",
  other: "Other",
};

export const LIBRARY_TYPES = ["school", "public", "academic", "special", "other"] as const;
export type LibraryType = (typeof LIBRARY_TYPES)[number];
export const LIBRARY_TYPE_LABELS: Record<LibraryType, string> = {
  school: "School library",
  public: "Public library",
  academic: "Academic library",
  special: "Special library",
  other: "Other library",
};

export const THREAD_KINDS = ["question", "discussion", "target", "hit", "job", "announcement"] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];
export const THREAD_KIND_LABELS: Record<ThreadKind, string> = {
  question: "Question",
  discussion: "Discussion",
  target: "TARGET",
  hit: "HIT",
  job: "Job posting",
  announcement: "Announcement",
};
export const THREAD_KIND_HINTS: Record<ThreadKind, string> = {
  question: "Ask colleagues; they answer, and you accept the reply that solved it.",
  discussion: "Talk something through with colleagues.",
  target: "Replies come privately to you. Afterwards, share what you learned as a HIT.",
  hit: "Your public summary of what a TARGET (or any thread) taught you.",
  job: "A position open at your library: say where and until when.",
  announcement: "News for the whole community (moderators only).",
};
/** Kinds only moderators and admins may start. */
export const STAFF_ONLY_KINDS: readonly ThreadKind[] = ["announcement"];

export const FLAG_REASONS = ["spam", "off_topic", "inappropriate", "needs_moderator"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
  spam: "Spam or advertising",
  off_topic: "Off-topic",
  inappropriate: "Inappropriate (a flame, harassment, patron privacy)",
  needs_moderator: "Something else: a moderator should look",
};

/** Why a post is hidden, as its author and moderators are told. */
export const HIDDEN_REASON_LABELS: Record<string, string> = {
  held: "Waiting for a moderator: a new member's first posts are approved before everyone sees them.",
  flagged: "Hidden after members flagged it, until a moderator reviews it.",
  moderator: "Hidden by a moderator.",
  deleted: "Deleted by a moderator.",
};

export const isStaff = (role: string) => role === "moderator" || role === "admin";

export const RESOURCE_TYPES = ["article", "webinar", "course", "certification", "association", "state_requirement", "toolkit", "book", "other"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export const RESOURCE_TYPE_LABELS: Record<ResourceType, string> = {
  article: "Article",
  webinar: "Webinar or recording",
  course: "Online course",
  certification: "Certification program",
  association: "Association or organization",
  state_requirement: "State requirement",
  toolkit: "Toolkit or template",
  book: "Book",
  other: "Other",
};

export const RESOURCE_COSTS = ["free", "paid", "membership"] as const;
export type ResourceCost = (typeof RESOURCE_COSTS)[number];
export const RESOURCE_COST_LABELS: Record<ResourceCost, string> = { free: "Free", paid: "Paid", membership: "Membership" };

export const RESOURCE_STATUSES = ["pending", "approved", "rejected", "archived", "merged"] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export const RESOURCE_STATUS_LABELS: Record<ResourceStatus, string> = {
  pending: "Waiting for a moderator",
  approved: "In the clearinghouse",
  rejected: "Not accepted",
  archived: "Archived",
  merged: "Merged into another entry",
};

/** The ten competency areas of ALA's Library Support Staff Certification. */
export const COMPETENCY_AREAS = [
  {
    slug: "foundations",
    name: "Foundations of Library Services",
    scopeNote: "The mission and values of libraries, ethics, intellectual freedom, privacy, and how library services are organized.",
  },
  {
    slug: "technology",
    name: "Technology",
    scopeNote: "Computers, networks, the integrated library system, devices, digital literacy and helping patrons with technology.",
  },
  {
    slug: "communication-teamwork",
    name: "Communication and Teamwork",
    scopeNote: "Working with colleagues, patrons and the community: writing, speaking, customer service and collaboration.",
  },
  {
    slug: "access-services",
    name: "Access Services",
    scopeNote: "Circulation, reserves, interlibrary loan, patron accounts, policies on borrowing and shelving.",
  },
  {
    slug: "adult-readers-advisory",
    name: "Adult Readers' Advisory",
    scopeNote: "Helping adult readers find their next book: genres, appeal factors, book clubs and displays.",
  },
  {
    slug: "cataloging-classification",
    name: "Cataloging and Classification",
    scopeNote: "Describing and organizing materials: MARC, RDA, Dewey, Library of Congress, subject headings, copy cataloging.",
  },
  {
    slug: "collection-management",
    name: "Collection Management",
    scopeNote: "Selection, acquisition, weeding, budgets, processing and preservation of the collection.",
  },
  {
    slug: "reference",
    name: "Reference",
    scopeNote: "The reference interview, finding and evaluating information, databases and information literacy instruction.",
  },
  {
    slug: "supervision-management",
    name: "Supervision and Management",
    scopeNote: "Leading volunteers and staff, scheduling, budgets, policies, facilities and planning.",
  },
  {
    slug: "youth-services",
    name: "Youth Services",
    scopeNote: "Serving children and teens: storytime, school collaboration, reading programs and age-appropriate collections.",
  },
] as const;

/** What every post shows about its author (the identification card). */
export type Identification = {
  handle: string;
  displayName: string;
  role: string;
  memberKind: string;
  jobTitle: string;
  worksite: string;
  libraryType: string;
  region: string;
  yearsInLibraryWork: number | null;
  hasMlis: boolean;
  hasLssc: boolean;
  stateCertification: string;
  otherCredentials: string;
  /**
   * The program badges the member chose to show: User.badges as stored (a JSON array) where a Prisma select
   * read it, already a list where a raw row was decoded (identificationFromRow: the thread page, live updates,
   * the API). Read it with `badgesOf`.
   */
  badges?: string | readonly string[];
};

/** The badges of an identification card, from User.badges (a JSON array of strings; "" or anything else: none). */
export function badgesOf(stored: string | readonly string[] | undefined): string[] {
  if (!stored) return [];
  try {
    const list: unknown = typeof stored === "string" ? JSON.parse(stored) : stored;
    // The same words for two programs are shown once.
    return Array.isArray(list) ? [...new Set(list.filter((b): b is string => typeof b === "string" && b !== ""))] : [];
  } catch {
    return [];
  }
}

export const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{1,28}[a-z0-9])?$/;
export const MIN_PASSWORD_LENGTH = 10;
