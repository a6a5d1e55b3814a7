// What joining takes, for tests that call the models directly.
import type { JoinInput } from "~/lib/validation";

export const joinInput = (handle: string, extra: Partial<JoinInput> = {}): JoinInput => ({
  email: `${handle}@example.org`,
  handle,
  password: "correct horse battery",
  displayName: handle,
  jobTitle: "Clerk",
  worksite: "Library",
  memberKind: "support_staff",
  libraryType: "",
  region: "",
  yearsInLibraryWork: null,
  hasMlis: false,
  hasLssc: false,
  stateCertification: "",
  otherCredentials: "",
  ...extra,
});
