import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { IdentificationCard } from "~/components/IdentificationCard";
import { getCurrentUser } from "~/lib/auth.server";
import { getProfileByHandle } from "~/models/user.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.displayName} (@${data.profile.handle}) — ParaNet` : "Member not found — ParaNet" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const profile = await getProfileByHandle(params.handle ?? "");
  if (!profile) throw new Response("No member has that handle.", { status: 404 });
  const viewer = await getCurrentUser(request);
  return json({ profile, isSelf: viewer?.id === profile.id });
}

const joined = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

export default function Profile() {
  const { profile, isSelf } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="stack">
      {isSelf && params.get("welcome") ? (
        <div className="notice notice--success" role="status">
          Welcome to ParaNet! This is your identification card: colleagues see it beside everything you post.{" "}
          <Link to="/me/settings">Add your library type, region and credentials</Link>.
        </div>
      ) : null}
      <section className="card" aria-label="Identification">
        <IdentificationCard member={profile} headingLevel="h1" />
      </section>
      {profile.about ? (
        <section className="card">
          <h2>About</h2>
          <p style={{ whiteSpace: "pre-line" }}>{profile.about}</p>
        </section>
      ) : null}
      <p className="muted">Member since {joined.format(new Date(profile.createdAt))}</p>
      {isSelf ? (
        <p>
          <Link to="/me/settings" className="button button--secondary">
            Edit profile
          </Link>
        </p>
      ) : null}
    </div>
  );
}
