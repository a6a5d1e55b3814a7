import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmAction } from "~/components/Confirm";
import { FormMessage, SelectField, TextField } from "~/components/Field";
import { EntryLink, ProgressPicture } from "~/components/Portfolio";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, idOr400, orErrorPage, readForm, siteUrl, type FormFailure } from "~/web/http.server";
import { amountOf, caveatUnderHeading, format } from "~/lib/program";
import { programProgress } from "~/models/portfolio.server";
import { createShare, listShares, revokeShare, type ShareView } from "~/models/portfolio-share.server";
import { SHARE_DAYS, SHARE_LABEL_MAX } from "~/lib/portfolio-share";
import { followProgram, setProgramBadge, unfollowProgram } from "~/models/program.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(`${data?.name ?? "Program"} — My portfolio — ParaNet`);

/** Entries named under each category here; the log and the exports list them all. */
const LISTED_PER_CATEGORY = 10;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const slug = params.slug ?? "";
  // One error page for an unknown program, whichever of the two finds it first.
  const [{ program, followed }, shares] = await orErrorPage(() => Promise.all([programProgress(user, slug), listShares(user, slug)]));
  const d = program.definition;
  return json({
    slug,
    name: program.name,
    retired: program.retired,
    body: d.body,
    summaryText: d.summary,
    url: d.url,
    checkWithProgram: d.checkWithProgram,
    sections: d.sections.length ? d.sections : [{ title: "Categories", categories: d.categories.map((c) => c.key) }],
    levels: d.levels,
    windowYears: d.windowYears,
    shares,
    followed: followed ? listed(followed) : null,
  });
}

/**
 * The progress as the page shows it: each category names its first entries (the log and the exports have them
 * all), so a long log sends the page a few dozen titles, not hundreds.
 */
function listed({ program, progress, summary, titles }: NonNullable<Awaited<ReturnType<typeof programProgress>>["followed"]>) {
  const named = (id: number) => ({ id, title: titles.get(id) ?? "" });
  return {
    badge: program.badge,
    progress: { ...progress, categories: progress.categories.map((c) => ({ ...c, entryIds: [] as number[] })) },
    summary,
    categories: Object.fromEntries(
      progress.categories.map((c) => [
        c.key,
        { entries: c.entryIds.slice(0, LISTED_PER_CATEGORY).map(named), more: Math.max(0, c.entryIds.length - LISTED_PER_CATEGORY) },
      ]),
    ),
    leaving: progress.leaving.slice(0, LISTED_PER_CATEGORY),
    leavingMore: Math.max(0, progress.leaving.length - LISTED_PER_CATEGORY),
    outside: progress.outside.slice(0, LISTED_PER_CATEGORY).map(named),
    outsideMore: Math.max(0, progress.outside.length - LISTED_PER_CATEGORY),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const slug = params.slug ?? "";
  const form = await readForm(request);
  const intent = form.get("intent");
  const badge = String(form.get("badge") ?? "");
  const label = String(form.get("label") ?? "");
  const days = String(form.get("days") ?? "");
  return handleFormAction({ intent: String(intent ?? ""), badge, label, days }, async () => {
    if (intent === "share") {
      // The link is shown this once (only its hash is kept): the answer carries it, not a redirect.
      const { token, share } = await createShare(user, slug, { label, days });
      return json<ShareCreated>({ ok: true, intent: "share", link: `${siteUrl(request)}/portfolio/shared/${token}`, share, at: Date.now() });
    }
    if (intent === "revoke-share") await revokeShare(user, idOr400(form.get("shareId"), "Choose a link to revoke."));
    else if (intent === "follow") await followProgram(user, slug);
    else if (intent === "unfollow") {
      await unfollowProgram(user, slug);
      return redirect("/me/portfolio");
    } else if (intent === "badge") await setProgramBadge(user, slug, badge);
    else throw new Response("Unknown action.", { status: 400 });
    return redirect(`/me/portfolio/programs/${encodeURIComponent(slug)}`);
  });
}

type ShareCreated = { ok: true; intent: "share"; link: string; share: ShareView; at: number };

export default function ProgramProgressPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormFailure | ShareCreated>();
  const created = result?.ok ? result : undefined;
  const failure = result && !result.ok ? result : undefined;
  // Each form shows its own failure (the intent comes back with the values).
  const failed = failure && failure.values.intent !== "share" ? failure : undefined;
  const shareFailed = failure?.values.intent === "share" ? failure : undefined;
  const f = data.followed;
  const unit = f?.progress.measure === "points" ? "points" : "hours";
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to="/me/portfolio">← My portfolio</Link>
      </p>
      <h1>{data.name}</h1>
      <p className="muted">
        {data.body}
        {data.url ? (
          <>
            {" · "}
            <a href={data.url} rel="noopener noreferrer">
              The program&rsquo;s own site
            </a>
          </>
        ) : null}
      </p>
      {data.summaryText ? <p>{data.summaryText}</p> : null}
      {data.checkWithProgram ? (
        <p className="notice notice--info">
          <strong>Check the current rules with the program.</strong> {caveatUnderHeading(data.checkWithProgram)}
        </p>
      ) : null}

      {f ? (
        <>
          <section aria-labelledby="progress-heading" className="stack">
            <h2 id="progress-heading">Your progress</h2>
            <ProgressPicture
              progress={f.progress}
              summary={f.summary}
              windowYears={data.windowYears}
              headingId="progress-heading"
              summaryId="summary-heading"
            />
            {data.levels.length ? (
              <table className="table">
                <caption>Levels</caption>
                <thead>
                  <tr>
                    <th scope="col">Level</th>
                    <th scope="col">Needs</th>
                    <th scope="col">You</th>
                  </tr>
                </thead>
                <tbody>
                  {data.levels.map((l) => (
                    <tr key={l.name}>
                      <th scope="row">{l.name}</th>
                      <td>
                        {format(l.threshold)} {unit}
                      </td>
                      <td>
                        {f.progress.level && f.progress.level.threshold >= l.threshold
                          ? "Reached"
                          : `${format(Math.max(0, l.threshold - f.progress.total))} to go`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {f.progress.renewal ? (
              <p>
                Renewal: every {f.progress.renewal.everyYears} years, {format(f.progress.renewal.amount)} {unit}
                {f.progress.renewal.minimumIn ? `, at least ${format(f.progress.renewal.minimumIn.amount)} in ${f.progress.renewal.minimumIn.name}` : ""}.
              </p>
            ) : null}
          </section>

          <section aria-labelledby="sections-heading" className="stack">
            <h2 id="sections-heading">What counts where</h2>
            {data.sections.map((s) => (
              <div key={s.title} className="stack">
                <h3>{s.title}</h3>
                {f.progress.categories
                  .filter((c) => s.categories.includes(c.key))
                  .map((c) => (
                    <div key={c.key}>
                      <h4>
                        {c.name}: {amountOf(c.amount, unit)}
                        {c.minimum > 0 ? ` of ${format(c.minimum)}` : ""}
                      </h4>
                      {f.categories[c.key]?.entries.length ? (
                        <ul>
                          {f.categories[c.key].entries.map((e) => (
                            <li key={e.id}>
                              <EntryLink e={e} />
                            </li>
                          ))}
                          {f.categories[c.key].more ? (
                            <li>
                              and {f.categories[c.key].more} more (all of them in the <a href="/me/portfolio">activity log</a> and the exports)
                            </li>
                          ) : null}
                        </ul>
                      ) : (
                        <p className="muted">Nothing yet.</p>
                      )}
                    </div>
                  ))}
              </div>
            ))}
            {f.leaving.length ? (
              <>
                <h3>Leaving the window within a year</h3>
                <ul>
                  {f.leaving.map((l) => (
                    <li key={l.entryId}>
                      <EntryLink e={{ id: l.entryId, title: l.title }} /> stops counting on {l.on}.
                    </li>
                  ))}
                  {f.leavingMore ? <li>and {f.leavingMore} more later in the year</li> : null}
                </ul>
              </>
            ) : null}
            {f.outside.length ? (
              <>
                <h3>Not counted (outside the window, or not ended yet)</h3>
                <ul>
                  {f.outside.map((e) => (
                    <li key={e.id}>
                      <EntryLink e={e} />
                    </li>
                  ))}
                  {f.outsideMore ? <li>and {f.outsideMore} more (in the activity log)</li> : null}
                </ul>
              </>
            ) : null}
          </section>

          <section aria-labelledby="export-heading" className="stack">
            <h2 id="export-heading">Export for reviewers</h2>
            <p className="muted">Your portfolio in this program as the reviewers read it: what counts today, in the program&rsquo;s section order.</p>
            <ul>
              <li>
                <a href={`/me/portfolio/programs/${encodeURIComponent(data.slug)}/export.pdf`} download>
                  Notebook (PDF)
                </a>{" "}
                <span className="muted">— cover page, summary table, contents and one part per section, with each activity and its evidence listed</span>
              </li>
              <li>
                <a href={`/me/portfolio/programs/${encodeURIComponent(data.slug)}/export.csv`} download>
                  Points sheet (CSV)
                </a>{" "}
                <span className="muted">— one row for each activity and category it counts in, for a spreadsheet</span>
              </li>
              <li>
                <a href={`/me/portfolio/programs/${encodeURIComponent(data.slug)}/export.zip`} download>
                  Everything (zip)
                </a>{" "}
                <span className="muted">— the notebook, the points sheet and your evidence files</span>
              </li>
            </ul>
          </section>

          <section aria-labelledby="badge-heading" className="stack">
            <h2 id="badge-heading">Badge on your identification card</h2>
            <p className="muted">
              Optional: a few words shown with your name on your posts and profile, such as &ldquo;LSSC candidate&rdquo;. Blank shows none.
            </p>
            <Form method="post" className="form card inline-form" noValidate>
              <FormMessage message={failed?.message} />
              <input type="hidden" name="intent" value="badge" />
              <TextField name="badge" label="Badge" defaultValue={failed?.values.badge ?? f.badge} error={failed?.fields.badge} limit={40} />
              <div className="actions">
                <button type="submit" className="button">
                  Save badge
                </button>
              </div>
            </Form>
          </section>

          <ShareSection shares={data.shares} created={created} failed={shareFailed} />

          <Form method="post">
            <input type="hidden" name="intent" value="unfollow" />
            <button type="submit" className="link-button">
              Stop following this program
            </button>{" "}
            <span className="muted">(your entries stay in your log)</span>
          </Form>
        </>
      ) : (
        <>
          {/* Links made while following stay listed (and revocable) after the member stops following. */}
          {data.shares.length ? <ShareSection shares={data.shares} created={undefined} failed={undefined} canCreate={false} /> : null}
          <Form method="post" className="stack">
            {/* Any form's failure (a link asked for a program not followed, say) is told here: this is the only form. */}
            <FormMessage message={failure?.message} />
            <input type="hidden" name="intent" value="follow" />
            {data.retired ? (
              <p className="muted">This program has been retired and takes no new followers.</p>
            ) : (
              <p>
                <button type="submit" className="button">
                  Follow this program
                </button>
              </p>
            )}
          </Form>
        </>
      )}
    </div>
  );
}

const day = (iso: string) => iso.slice(0, 10);

/** "Share with a reviewer": a new read-only link (shown once), and the member's links for this program with a Revoke button each. */
function ShareSection({
  shares,
  created,
  failed,
  canCreate = true,
}: {
  shares: ShareView[];
  created: ShareCreated | undefined;
  failed: FormFailure | undefined;
  canCreate?: boolean;
}) {
  return (
    <section aria-labelledby="share-heading" className="stack" id="share">
      <h2 id="share-heading">Share with a reviewer</h2>
      <p className="muted">
        A read-only link to this program&rsquo;s portfolio: your name and identification, your progress, and the entries that count here, with their
        reflections, verifications and evidence list. Nothing else of yours. Whoever has the link can open it without an account until it expires or you revoke
        it.
      </p>
      {created ? (
        <div className="notice notice--success" role="status">
          Your new link for &ldquo;{created.share.label}&rdquo;, until {day(created.share.expiresAt)}. Copy it now: it will not be shown again.
          <input className="copy-field" readOnly value={created.link} aria-label="The new link" onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
      {shares.length ? (
        <>
          <h3 id="share-list-heading">Your links for this program</h3>
          <ul className="token-list share-list" aria-labelledby="share-list-heading">
            {shares.map((s) => (
              <li key={s.id} className={s.state === "active" ? undefined : "share-list__gone"}>
                <span>
                  <strong>{s.label}</strong>{" "}
                  <span className="muted">
                    created {day(s.createdAt)}, {s.state === "expired" ? "expired" : "expires"} {day(s.expiresAt)},{" "}
                    {s.lastOpenedAt ? `last opened ${day(s.lastOpenedAt)}` : "never opened"}
                  </span>
                  {s.state === "revoked" ? <strong className="share-list__state"> Revoked {s.revokedAt ? day(s.revokedAt) : ""}</strong> : null}
                  {s.state === "expired" ? <strong className="share-list__state"> Expired</strong> : null}
                </span>
                {s.state === "active" ? (
                  <ConfirmAction
                    label="Revoke"
                    labelHidden={` the link for ${s.label}`}
                    question="Whoever has this link can no longer open your portfolio with it. A revoked link cannot be turned back on; you can make a new one."
                    confirm={`Yes, revoke the link for ${s.label}`}
                  >
                    <input type="hidden" name="intent" value="revoke-share" />
                    <input type="hidden" name="shareId" value={s.id} />
                  </ConfirmAction>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canCreate ? (
        <Form method="post" className="form card" noValidate key={created ? created.at : "share"}>
          <FormMessage message={failed?.message} fields={failed?.fields} />
          <input type="hidden" name="intent" value="share" />
          <TextField
            name="label"
            label="For whom"
            required
            defaultValue={failed?.values.label}
            error={failed?.fields.label}
            limit={SHARE_LABEL_MAX}
            hint="Only you see this, to tell your links apart, e.g. “PARA review committee”."
          />
          <SelectField
            name="days"
            label="Works for"
            required
            defaultValue={failed?.values.days ?? "30"}
            error={failed?.fields.days}
            options={SHARE_DAYS.map((d) => ({ value: d, label: `${d} days` }))}
          />
          <div className="actions">
            <button type="submit" className="button">
              Create a link
            </button>
          </div>
        </Form>
      ) : (
        <p className="muted">Follow the program again to make new links.</p>
      )}
    </section>
  );
}
