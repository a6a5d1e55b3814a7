import { describe, expect, it } from "vitest";
import { JoinSchema, keepValues, parseInput, PasswordChangeSchema, ProfileSchema } from "~/lib/validation";

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
};

const valid = {
  email: "  Dana@Example.ORG ",
  handle: "@Dana_K",
  password: "ten chars!",
  displayName: " Dana K ",
  jobTitle: "Library Assistant",
  worksite: "Oak Elementary",
};

describe("join input", () => {
  it("normalizes email and handle and trims text", () => {
    const result = parseInput(JoinSchema, form(valid));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.email).toBe("dana@example.org");
    expect(result.data.handle).toBe("dana_k");
    expect(result.data.displayName).toBe("Dana K");
    expect(result.data.memberKind).toBe("support_staff");
    expect(result.data.yearsInLibraryWork).toBeNull();
  });

  it("maps each problem to its field", () => {
    const result = parseInput(JoinSchema, form({ ...valid, email: "nope", handle: "-bad-", password: "123456789", jobTitle: "  " }));
    expect(result).toEqual({
      ok: false,
      fields: {
        email: "Enter an email address like name@example.org.",
        handle: "Use letters, digits, - or _ (starting and ending with a letter or digit).",
        password: "Password must be at least 10 characters.",
        jobTitle: "Job title is required.",
      },
    });
  });

  it("reports missing fields rather than throwing", () => {
    const result = parseInput(JoinSchema, form({}));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fields).sort()).toEqual(["displayName", "email", "handle", "jobTitle", "password"]);
  });

  it("accepts exactly 10 characters and rejects 9", () => {
    expect(parseInput(JoinSchema, form({ ...valid, password: "x".repeat(10) })).ok).toBe(true);
    expect(parseInput(JoinSchema, form({ ...valid, password: "x".repeat(9) })).ok).toBe(false);
  });
});

describe("profile input", () => {
  it("parses years and credentials checkboxes", () => {
    const result = parseInput(ProfileSchema, form({ ...valid, yearsInLibraryWork: "7", hasLssc: "on", libraryType: "school" }));
    expect(result.ok && result.data).toMatchObject({ yearsInLibraryWork: 7, hasLssc: true, hasMlis: false, libraryType: "school" });
  });

  it("rejects values outside the lists", () => {
    const result = parseInput(ProfileSchema, form({ ...valid, libraryType: "castle", memberKind: "wizard", yearsInLibraryWork: "-3" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields.libraryType).toBe("Choose a library type from the list.");
    expect(result.fields.memberKind).toBe("Choose what best describes you.");
    expect(result.fields.yearsInLibraryWork).toMatch(/whole number/);
  });
});

describe("password change", () => {
  it("requires the confirmation to match", () => {
    const result = parseInput(PasswordChangeSchema, { currentPassword: "a", newPassword: "0123456789", confirmPassword: "x" });
    expect(result).toEqual({ ok: false, fields: { confirmPassword: "The two new passwords do not match." } });
  });
});

describe("keepValues", () => {
  it("keeps what the user typed except secrets", () => {
    expect(keepValues(form({ email: "a@b.org", password: "secret", currentPassword: "x", token: "t", about: "hi" }))).toEqual({
      email: "a@b.org",
      about: "hi",
    });
  });
});
