// A request to verify a portfolio entry made to the member's account (issue
// 19): the same page as a mailed link's (/verify/<token>), for that member
// only; anyone else gets 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { VerificationDecision } from "~/components/Verification";
import { requireUser } from "~/web/auth.server";
import { idOr404, orErrorPage, readForm } from "~/web/http.server";
import { decideFromForm, pageStatus, type DecisionAnswer } from "~/web/verification-form.server";
import { decideAsMember, verificationPageForMember } from "~/models/portfolio-verification.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Verify an activity — ParaNet");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const page = await orErrorPage(() => verificationPageForMember(user, id));
  return json({ page }, { status: pageStatus(page) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const form = await readForm(request);
  // A member answers under their account's name: no name field.
  return decideFromForm(
    { intent: String(form.get("intent") ?? ""), note: String(form.get("note") ?? "") },
    `/me/verifications/${id}`,
    () => verificationPageForMember(user, id),
    (input) => decideAsMember(user, id, input),
  );
}

export default function MemberVerification() {
  const { page } = useLoaderData<typeof loader>();
  const answer = useActionData<DecisionAnswer>();
  return (
    <div className="stack">
      <p className="narrow-wide">
        <Link to="/me/verifications">← Activities to verify</Link>
      </p>
      <VerificationDecision page={answer && "page" in answer ? answer.page : page} failure={answer && "fields" in answer ? answer : undefined} asMember />
    </div>
  );
}
