import { describe, expect, it } from "vitest";
import { cleanInput, cleanText, JoinSchema, keepValues, parseInput, PasswordChangeSchema, ProfileSchema, ThreadSchema } from "~/lib/validation";

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
    // The password form's "Also revoke my API tokens" box is not a secret: it comes back as ticked.
    expect(keepValues(form({ revokeApiTokens: "on", newPassword: "x" }))).toEqual({ revokeApiTokens: "on" });
  });
});

describe("cleaning text where it enters", () => {
  it("drops C0 controls but tab, newline and carriage return; DEL and C1; U+FFFE/FFFF; composes to NFC", () => {
    expect(cleanText("Feed breaker \u0007 bell")).toBe("Feed breaker  bell");
    expect(cleanText("The quic\b\b\b\b\b\bk brown fo\u0007\u0007x")).toBe("The quick brown fox");
    expect(cleanText("a\tb\nc\r\nd")).toBe("a\tb\nc\r\nd");
    expect(cleanText("x\u0000\u001b[31m\u007f\u0085\u009f\ufffe\uffffy")).toBe("x[31my");
    expect(cleanText("cafe\u0301")).toBe("caf\u00e9");
    expect(cleanText("half \ud800 an emoji, whole \ud83d\ude00")).toBe("half \ufffd an emoji, whole \ud83d\ude00");
  });

  it("cleans every string of a form or a JSON body, nested and in keys, but never a password", () => {
    expect(cleanInput({ title: "a\u0007b", tags: ["c\u0000", 3], nested: { "k\u0007": "e\u0301" }, newPassword: "pass\u0007word\ud800" })).toEqual({
      title: "ab",
      tags: ["c", 3],
      nested: { k: "\u00e9" },
      newPassword: "pass\u0007word\ufffd",
    });
    const cleaned = cleanInput(form({ body: "x\u0007y", currentPassword: "p\u0007" }));
    expect(cleaned.get("body")).toBe("xy");
    expect(cleaned.get("currentPassword")).toBe("p\u0007");
  });

  it("is applied by parseInput, so inbound mail and imports are cleaned as forms are", () => {
    const parsed = parseInput(ThreadSchema, { title: "A title \u0007 with a bell", body: "Body\u0000", tagIds: ["1"] });
    expect(parsed.ok && [parsed.data.title, parsed.data.body]).toEqual(["A title  with a bell", "Body"]);
  });
});
