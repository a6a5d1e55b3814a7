import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { TextField } from "~/components/Field";
import { IdentificationCard } from "~/components/IdentificationCard";
import { ReasonField } from "~/components/Moderation";
import { getCurrentUser, requireRole } from "~/web/auth.server";
import { isStaff } from "~/lib/domain";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { suspensionMessage } from "~/lib/suspension";
import { liftSuspension, suspendMember } from "~/models/moderation.server";
import { getProfileByHandle, memberStanding } from "~/models/user.server";
import { getMemberRecord, listMemberWork, profileFiltersFrom, type MemberRecord, type PostState, type ProfileTab } from "~/models/profile.server";
import { KindBadge, Time } from "~/components/ThreadBits";
import { replyHref, threadPageHref } from "~/lib/links";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Member not found — ParaNet" }];
  const { profile, record } = data;
  const where = [profile.jobTitle, profile.worksite].filter(Boolean).join(" at ");
  const answers = `${record.acceptedAnswers} accepted ${record.acceptedAnswers === 1 ? "answer" : "answers"}`;
  return [
    { title: `${profile.displayName} (@${profile.handle}) — ParaNet` },
    { name: "description", content: `${profile.displayName}${where ? `, ${where}` : ""}: ${answers} on ParaNet.` },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const profile = await getProfileByHandle(params.handle ?? "");
  if (!profile) throw new Response("No member has that handle.", { status: 404 });
  const viewer = await getCurrentUser(request);
  const query = new URL(request.url).searchParams;
  const moderator = !!viewer && isStaff(viewer.role);
  const [record, standing] = await Promise.all([
    getMemberRecord(viewer, profile.id),
    // Moderators see (and set) a member's suspension here.
    moderator ? memberStanding(profile.id) : null,
  ]);
  // With no tab asked for, the first with posts: a member who only answers opens on their replies.
  const asked = profileFiltersFrom(query);
  const firstWithPosts = (["threads", "replies", "hits"] as const).find((tab) => record[tab] > 0) ?? "threads";
  const view = query.get("tab") ? asked : { ...asked, tab: firstWithPosts };
  const work = await listMemberWork(viewer, profile.id, view);
  return json({ profile, isSelf: viewer?.id === profile.id, moderator, suspension: standing?.suspension ?? null, record, view, work });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["moderator", "admin"]);
  const profile = await getProfileByHandle(params.handle ?? "");
  if (!profile) throw new Response("No member has that handle.", { status: 404 });
  const form = await readForm(request);
  const values = { until: String(form.get("until") ?? ""), reason: String(form.get("reason") ?? "") };
  return handleFormAction(values, async () => {
    if (form.get("intent") === "lift") {
      await liftSuspension(actor, profile.id, values.reason);
      return json({ ok: true as const, message: "Suspension lifted." });
    }
    const until = /^\d{4}-\d{2}-\d{2}$/.test(values.until) ? new Date(`${values.until}T23:59:59.999Z`) : null;
    await suspendMember(actor, profile.id, { until: until && !Number.isNaN(until.getTime()) ? until : null, reason: values.reason });
    return json({ ok: true as const, message: "Member suspended. It is in the moderation log." });
  });
}

function SuspensionForm({ suspended }: { suspended: boolean }) {
  const result = useActionData<FormFailure | { ok: true; message: string }>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <section className="card stack" id="moderate" aria-labelledby="moderate-heading">
      <h2 id="moderate-heading">Moderation</h2>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      {failure ? (
        <p className="notice notice--error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" className="form" key={String(suspended)}>
        {suspended ? null : (
          <TextField
            name="until"
            id="suspend-until"
            type="date"
            label="Suspend until"
            defaultValue={failure?.values.until ?? ""}
            error={failure?.fields.until}
          />
        )}
        <ReasonField id="suspend-reason" label={suspended ? "Reason for lifting (for the log)" : "Reason (the member is shown this)"} failure={failure} />
        <button type="submit" name="intent" value={suspended ? "lift" : "suspend"} className={suspended ? "button button--secondary" : "button button--danger"}>
          {suspended ? "Lift the suspension" : "Suspend this member"}
        </button>
      </Form>
    </section>
  );
}

const STATE_LABELS: Record<Exclude<PostState, null>, string> = { held: "Waiting for approval", hidden: "Hidden", deleted: "Deleted" };

function StateBadges({ state, isPrivate = false }: { state: PostState; isPrivate?: boolean }) {
  return (
    <>
      {isPrivate ? <span className="badge badge--private">Private reply</span> : null}
      {state ? <span className={`badge ${state === "held" ? "badge--held" : "badge--flagged"}`}>{STATE_LABELS[state]}</span> : null}
    </>
  );
}

function RecordCard({ record }: { record: MemberRecord }) {
  const stats: [string, number][] = [
    ["Helpful votes received", record.helpfulVotes],
    ["Accepted answers", record.acceptedAnswers],
    ["HITs compiled", record.hits],
    ["Resources curated", record.resources],
    ["Threads started", record.threads],
    ["Replies", record.replies],
  ];
  return (
    <section className="card stack" aria-labelledby="record-heading">
      <h2 id="record-heading">Contributions</h2>
      <dl className="profile-stats">
        {stats.map(([label, n]) => (
          <div key={label} className="profile-stats__item">
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {record.topAreas.length > 0 ? (
        <p className="profile-areas">
          Top competency areas:{" "}
          {record.topAreas.map((a, i) => (
            <span key={a.slug}>
              {i > 0 ? ", " : ""}
              <Link to={`/competencies/${a.slug}`}>{a.name}</Link> ({a.count})
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

const TAB_LABELS: Record<ProfileTab, string> = { threads: "Threads", replies: "Replies", hits: "HITs" };
const OLDER: Record<ProfileTab, string> = { threads: "Older threads", replies: "Older replies", hits: "Older HITs" };
const EMPTY: Record<ProfileTab, string> = { threads: "No threads to show.", replies: "No replies to show.", hits: "No HITs to show." };

function Work() {
  const { profile, record, view, work } = useLoaderData<typeof loader>();
  const counts: Record<ProfileTab, number> = { threads: record.threads, replies: record.replies, hits: record.hits };
  return (
    <section className="card stack" aria-labelledby="work-heading">
      <h2 id="work-heading">Posts by {profile.displayName}</h2>
      {/* Plain links: each tab is its own address, and works without JavaScript. */}
      <nav aria-label="Posts" className="tabs profile-tabs">
        {(Object.keys(TAB_LABELS) as ProfileTab[]).map((tab) => (
          <Link key={tab} to={`?tab=${tab}`} aria-current={view.tab === tab ? "page" : undefined} preventScrollReset>
            {TAB_LABELS[tab]} <span className="profile-tabs__count">({counts[tab]})</span>
          </Link>
        ))}
      </nav>
      {work.items.length === 0 ? (
        <p className="muted">{EMPTY[view.tab]}</p>
      ) : (
        <ol className="profile-work" aria-label={TAB_LABELS[view.tab]}>
          {work.items.map((item) =>
            item.type === "reply" ? (
              <li key={item.id} className="profile-work__item">
                <h3 className="profile-work__title">
                  <Link to={replyHref(item.thread, item.id)}>Re: {item.thread.title}</Link>
                </h3>
                {item.excerpt ? <p className="profile-work__excerpt">{item.excerpt}</p> : null}
                <p className="profile-work__meta">
                  <Time at={item.createdAt} />
                  {item.accepted ? <span className="status status--answered">Accepted answer</span> : null}
                  {item.helpfulCount > 0 ? ` · ${item.helpfulCount} helpful` : ""}
                  <StateBadges state={item.state} isPrivate={item.isPrivate} />
                </p>
              </li>
            ) : (
              <li key={item.id} className="profile-work__item">
                <h3 className="profile-work__title">
                  <Link to={threadPageHref(item)}>{item.title}</Link>
                </h3>
                {item.excerpt ? <p className="profile-work__excerpt">{item.excerpt}</p> : null}
                <p className="profile-work__meta">
                  <KindBadge kind={item.kind} /> <Time at={item.createdAt} /> · {item.replyCount} {item.kind === "target" ? "private " : ""}
                  {item.replyCount === 1 ? "reply" : "replies"}
                  {item.kind === "question" && item.answered ? <span className="status status--answered">Answered</span> : null}
                  <StateBadges state={item.state} />
                </p>
                {item.source ? (
                  <p className="profile-work__meta">
                    Compiled from <Link to={threadPageHref(item.source)}>{item.source.title}</Link>
                  </p>
                ) : null}
              </li>
            ),
          )}
        </ol>
      )}
      {view.before || work.nextBefore ? (
        <p className="pager">
          {view.before ? <Link to={`?tab=${view.tab}`}>Newest</Link> : <span />}
          {work.nextBefore ? <Link to={`?tab=${view.tab}&before=${work.nextBefore}`}>{OLDER[view.tab]}</Link> : null}
        </p>
      ) : null}
    </section>
  );
}

const joined = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

export default function Profile() {
  const { profile, isSelf, moderator, suspension, record } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="stack">
      {isSelf && params.get("welcome") ? (
        <div className="notice notice--success" role="status">
          Welcome to ParaNet! We mailed you a link to confirm your address (ParaNet sends posts and notifications only once it is confirmed). This is your
          identification card: colleagues see it beside everything you post. <Link to="/me/settings">Add your library type, region and credentials</Link>.
        </div>
      ) : null}
      <section className="card" aria-label="Identification">
        <IdentificationCard member={profile} headingLevel="h1" />
      </section>
      <p className="muted">Member since {joined.format(new Date(profile.createdAt))}</p>
      {suspension ? (
        <p className="notice notice--warning">
          {suspensionMessage(suspension.until, suspension.reason)
            .replace("Your account is", `@${profile.handle} is`)
            .replace(/ You can read.*$/, "")}
        </p>
      ) : null}
      {isSelf ? (
        <p>
          <Link to="/me/settings" className="button button--secondary">
            Edit profile
          </Link>
        </p>
      ) : null}
      {profile.about ? (
        <section className="card">
          <h2>About</h2>
          <p style={{ whiteSpace: "pre-line" }}>{profile.about}</p>
        </section>
      ) : null}
      <RecordCard record={record} />
      <Work />
      {moderator && !isSelf ? <SuspensionForm suspended={!!suspension} /> : null}
    </div>
  );
}
