// A link as evidence, as a member sends it: an http or https address (typed
// as people type them, the same rules as a clearinghouse resource's address)
// and an optional label. Server-only (zod).
import { z } from "zod";
import { EVIDENCE_LABEL_MAX as LABEL_MAX } from "./evidence-type";
import { webAddress } from "./validation.server";

export const EvidenceLinkSchema = z.object({
  url: webAddress("Address is required: the page that shows what you did (a course record, a programme, an article)."),
  label: z.string().trim().max(LABEL_MAX, `Label must be at most ${LABEL_MAX} characters.`).default(""),
});
