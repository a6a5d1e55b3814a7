// The decide form of a request to verify a portfolio entry, read the same way
// on both pages that show it: /verify/<token> (a link in a mail, no account
// needed) and /me/verifications/<id> (a member's request).
import { json, redirect } from "@remix-run/node";
import { parseVerificationDecision, type VerificationDecisionInput } from "~/lib/verification-input.server";
import type { VerificationPage } from "~/models/portfolio-verification.server";
import { formFailure, orErrorPage, type FormFailure } from "./http.server";

/** What a decide page's action answers: the form's failure, or the request's page when it is no longer open. */
export type DecisionAnswer = FormFailure | { message: string; page: VerificationPage };

/** What the decide pages answer: 410 once a request is gone (expired, replaced, cleared), 200 otherwise. */
export const pageStatus = (page: VerificationPage) => (page.state === "gone" ? 410 : 200);

/**
 * Decide with what the form says (each page reads its own fields), then back
 * to `back` (the page, which then shows the decision). A request no longer
 * open shows why (409 once answered, 410 once gone); a bad note or a missing
 * name comes back beside its field, as typed.
 */
export async function decideFromForm(
  typed: { intent: string; name?: string; note: string },
  back: string,
  load: () => Promise<VerificationPage>,
  decide: (input: VerificationDecisionInput) => Promise<VerificationPage>,
): Promise<Response> {
  const current = await orErrorPage(load);
  if (current.state === "gone") return json({ message: "This request is no longer open.", page: current }, { status: 410 });
  if (current.state === "decided") return json({ message: "This request is already answered: it cannot be used again.", page: current }, { status: 409 });
  const { name = "", note } = typed;
  const parsed = parseVerificationDecision(typed, current.request.viaEmail);
  if (!parsed.ok) return formFailure(parsed.fields, { name, note });
  await orErrorPage(() => decide(parsed.data));
  return redirect(back);
}
