// A request to verify a portfolio entry, opened from the link in a mail: no
// account needed (issue 19). The verifier reads the entry as its owner wrote
// it and confirms or declines with a note; the link then shows the decision
// and cannot be used again. An expired, replaced or cleared request answers
// 410 and says why, an unknown link 404: neither shows the entry. A request
// made to a member's account opens only for that member, logged in.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { VerificationDecision } from "~/components/Verification";
import { getCurrentUser } from "~/web/auth.server";
import { orErrorPage, readForm } from "~/web/http.server";
import { decideFromForm, pageStatus, type DecisionAnswer } from "~/web/verification-form.server";
import { decideByToken, verificationPageByToken } from "~/models/portfolio-verification.server";
import { pageMeta } from "~/ui/meta";

// A page reached with a secret link: never cached, never sent on as a referrer, never indexed.
export const headers = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" });

export const meta: MetaFunction = () => pageMeta("Verify an activity — ParaNet", "A request to confirm an activity in a ParaNet member's portfolio.");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await getCurrentUser(request);
  const page = await orErrorPage(() => verificationPageByToken(params.token ?? "", actor));
  return json({ page }, { status: pageStatus(page) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await getCurrentUser(request);
  const token = params.token ?? "";
  const form = await readForm(request);
  return decideFromForm(
    { intent: String(form.get("intent") ?? ""), name: String(form.get("name") ?? ""), note: String(form.get("note") ?? "") },
    `/verify/${token}`,
    () => verificationPageByToken(token, actor),
    (input) => decideByToken(token, actor, input),
  );
}

export default function Verify() {
  const { page } = useLoaderData<typeof loader>();
  const answer = useActionData<DecisionAnswer>();
  return (
    <VerificationDecision page={answer && "page" in answer ? answer.page : page} failure={answer && "fields" in answer ? answer : undefined} asMember={false} />
  );
}
