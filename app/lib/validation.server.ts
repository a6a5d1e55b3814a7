// One schema per input, shared by the pages, the API and email. Errors map
// to field names so forms can show a message beside each field. Server-only
// (they run in actions and the API): zod would add 460 KB to the pages of
// every route that imports them.
import { z } from "zod";
import type { FieldErrors } from "./errors";
import { ABSTRACT_MAX, ABSTRACT_MIN, cleanInput, formDataToObject, isFormData, MAX_POST_LENGTH, type ParseResult, WORKSITE_REQUIRED } from "./input";
import { HANDLE_PATTERN, LIBRARY_TYPES, MEMBER_KINDS, MIN_PASSWORD_LENGTH, RESOURCE_COSTS, RESOURCE_TYPES, ROLES, THREAD_KINDS } from "./domain";

const trimmed = (max: number, label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`);

const required = (max: number, label: string) => trimmed(max, label).min(1, `${label} is required.`);

const email = z
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .min(1, "Email is required.")
  .max(254, "Email must be at most 254 characters.")
  .pipe(z.email({ error: "Enter an email address like name@example.org." }));

const password = z
  .string({ error: "Password is required." })
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200, "Password must be at most 200 characters.");

const handle = z
  .string({ error: "Handle is required." })
  .trim()
  .toLowerCase()
  .transform((h) => h.replace(/^@/, ""))
  .pipe(
    z
      .string()
      .min(3, "Handle must be at least 3 characters.")
      .max(30, "Handle must be at most 30 characters.")
      .regex(HANDLE_PATTERN, "Use letters, digits, - or _ (starting and ending with a letter or digit)."),
  );

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z
    .string()
    .default("")
    .refine((v) => v === "" || values.includes(v), `Choose a ${label} from the list.`)
    .transform((v) => v as T[number] | "");

const years = z
  .string()
  .trim()
  .default("")
  .refine((v) => v === "" || /^\d{1,2}$/.test(v), "Years in library work must be a whole number from 0 to 99.")
  .transform((v) => (v === "" ? null : Number(v)));

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("")])
  .optional()
  .transform((v) => v === "on" || v === "true");

/** Identification fields: what LM_NET asked every message to carry. */
export const identificationFields = {
  displayName: required(80, "Display name"),
  jobTitle: required(100, "Job title"),
  worksite: trimmed(150, "Worksite").default(""),
  memberKind: z.enum(MEMBER_KINDS, { error: "Choose what best describes you." }).default("support_staff"),
  libraryType: optionalEnum(LIBRARY_TYPES, "library type"),
  region: trimmed(80, "State or region").default(""),
  yearsInLibraryWork: years,
  hasMlis: checkbox,
  hasLssc: checkbox,
  stateCertification: trimmed(100, "State certification").default(""),
  otherCredentials: trimmed(200, "Other credentials").default(""),
};

export const JoinSchema = z.object({
  email,
  handle,
  password,
  ...identificationFields,
});
export type JoinInput = z.infer<typeof JoinSchema>;

const requiredWorksite = z.string({ error: WORKSITE_REQUIRED }).trim().min(1, WORKSITE_REQUIRED).max(150, "Worksite must be at most 150 characters.");

const GUIDELINES_REQUIRED = "Please read the community guidelines and tick the box.";
const guidelinesAcknowledged = z.literal("on", { error: GUIDELINES_REQUIRED });

/** The join form as this installation configures it (worksite required or not); joining acknowledges the guidelines. */
export function joinSchema({ worksiteRequired }: { worksiteRequired: boolean }, { acknowledge = true } = {}) {
  const schema = acknowledge ? JoinSchema.extend({ guidelines: guidelinesAcknowledged }) : JoinSchema.extend({ guidelines: z.unknown().optional() });
  return worksiteRequired ? schema.extend({ worksite: requiredWorksite }) : schema;
}

export const LoginSchema = z.object({
  email: z.string({ error: "Email is required." }).trim().toLowerCase().min(1, "Email is required.").max(254),
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(200),
});

export const ProfileSchema = z.object({
  ...identificationFields,
  about: trimmed(1000, "About").default(""),
});
export type ProfileInput = z.infer<typeof ProfileSchema>;

export function profileSchema({ worksiteRequired }: { worksiteRequired: boolean }) {
  return worksiteRequired ? ProfileSchema.extend({ worksite: requiredWorksite }) : ProfileSchema;
}

export const PasswordChangeSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(200, "That is not your current password."),
    newPassword: password,
    confirmPassword: z.string().default(""),
    // A script holding a token keeps working only if the member says so (the form ticks it).
    revokeApiTokens: checkbox,
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match.",
  });

export const PasswordResetSchema = z
  .object({ newPassword: password, confirmPassword: z.string().default("") })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match.",
  });

export const MemberIdSchema = z.object({ userId: z.coerce.number().int().positive() });

export const RoleChangeSchema = z.object({
  userId: z.coerce.number().int().positive(),
  role: z.enum(ROLES, { error: "Choose member, moderator or admin." }),
});

/** Parse form data or JSON with a schema; first message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: FormData | Record<string, unknown>): ParseResult<z.infer<S>> {
  const values = cleanInput(isFormData(input) ? formDataToObject(input) : input);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    fields[key] ??= issue.message;
  }
  return { ok: false, fields };
}

const postBody = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .refine((v) => v.trim().length > 0, `${label} is required.`)
    .refine((v) => v.length <= MAX_POST_LENGTH, `${label} must be at most ${MAX_POST_LENGTH.toLocaleString("en-US")} characters.`);

const isoDate = (label: string) =>
  z
    .string()
    .trim()
    .default("")
    .refine(
      (v) =>
        v === "" || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)),
      `${label} must be a date like 2026-12-31.`,
    )
    .transform((v) => (v === "" ? null : new Date(`${v}T23:59:59Z`)));

/** Several values of one form field (checkboxes): FormData.getAll gives them as an array. */
const manyOf = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const ThreadSchema = z
  .object({
    title: z
      .string({ error: "Title is required." })
      .trim()
      .min(8, "Title must be at least 8 characters: say what you need.")
      .max(150, "Title must be at most 150 characters."),
    body: postBody("The question or message"),
    kind: z.enum(THREAD_KINDS, { error: "Choose what kind of thread this is." }).default("question"),
    tagIds: manyOf(z.coerce.number({ error: "Choose tags from the list." }).int("Choose tags from the list.").positive("Choose tags from the list."))
      .refine((ids) => ids.length >= 1, "Choose at least one tag (a competency area is a good start).")
      .refine((ids) => ids.length <= 5, "Choose at most 5 tags."),
    libraryTypes: manyOf(z.enum(LIBRARY_TYPES, { error: "Choose library types from the list." })),
    jobLocation: z.string().trim().max(150, "Location must be at most 150 characters.").default(""),
    jobClosesOn: isoDate("Closing date"),
    hitExpectedBy: isoDate("HIT expected by"),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "job" && !v.jobLocation) ctx.addIssue({ code: "custom", path: ["jobLocation"], message: "Say where the job is." });
    if (v.kind === "target" && v.hitExpectedBy instanceof Date && v.hitExpectedBy.getTime() < Date.now()) {
      ctx.addIssue({ code: "custom", path: ["hitExpectedBy"], message: "Choose a date from today on for the HIT." });
    }
  });
export type ThreadInput = z.infer<typeof ThreadSchema>;

export const ThreadEditSchema = z.object({
  title: ThreadSchema.shape.title,
  body: postBody("The question or message"),
});

export const ReplySchema = z.object({ body: postBody("Your reply") });

/** An http or https address as people type them ("ala.org/pla" means https://ala.org/pla); `required` is the message when it is blank. */
export const webAddress = (required: string) =>
  z
    .string({ error: "Address is required." })
    .trim()
    .transform((v) => (v && !/^[a-z][a-z0-9+.-]*:/i.test(v) && /^[\w-]+(\.[\w-]+)+(\/|$)/.test(v) ? `https://${v}` : v))
    .pipe(
      z
        .string()
        .min(1, required)
        .max(2000, "Address must be at most 2,000 characters.")
        .refine((v) => {
          try {
            const u = new URL(v);
            return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.includes(".");
          } catch {
            return false;
          }
        }, "Enter a full web address starting with https:// (or http://)."),
    );

export const ResourceSchema = z.object({
  title: z.string({ error: "Title is required." }).trim().min(3, "Title must be at least 3 characters.").max(200, "Title must be at most 200 characters."),
  url: webAddress("Address is required: the page where people find it."),
  abstract: z
    .string({ error: "Abstract is required." })
    .trim()
    .min(ABSTRACT_MIN, `Abstract must be at least ${ABSTRACT_MIN} characters: say what it is, who it is for and what it covers.`)
    .max(ABSTRACT_MAX, `Abstract must be at most ${ABSTRACT_MAX.toLocaleString("en-US")} characters.`),
  type: z.enum(RESOURCE_TYPES, { error: "Choose what kind of resource this is." }),
  tagIds: manyOf(z.coerce.number({ error: "Choose tags from the list." }).int("Choose tags from the list.").positive("Choose tags from the list."))
    .refine((ids) => ids.length >= 1, "Choose at least one competency area.")
    .refine((ids) => ids.length <= 8, "Choose at most 8 competency areas and tags."),
  libraryTypes: manyOf(z.enum(LIBRARY_TYPES, { error: "Choose library types from the list." })),
  region: z
    .string()
    .trim()
    .max(80, "Region must be at most 80 characters.")
    .default("national")
    .transform((v) => v || "national"),
  cost: z.enum(RESOURCE_COSTS, { error: "Choose free, paid or membership." }).default("free"),
  provider: z.string().trim().max(150, "Provider must be at most 150 characters.").default(""),
  ceHours: z
    .preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().trim().default(""))
    .refine((v) => v === "" || (/^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 500), "Continuing-education hours must be a number like 1.5 (at most 500).")
    .transform((v) => (v === "" ? null : Number(v))),
  publishedOn: isoDate("Date published"),
});
export type ResourceInput = z.infer<typeof ResourceSchema>;

export const RejectSchema = z.object({
  reason: z
    .string({ error: "Say why, for the submitter." })
    .trim()
    .min(5, "Say why in a few words, for the submitter.")
    .max(500, "Reason must be at most 500 characters."),
});

/** An address or a handle, as other schemas take them (a verifier of a portfolio entry). */
export const emailField = email;
export const handleField = handle;
