import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Community guidelines — ParaNet" }];

export default function Guidelines() {
  return (
    <article className="narrow prose">
      <h1>Community guidelines</h1>
      <p className="lead">
        ParaNet carries on the spirit of LM_NET: colleagues helping colleagues, generously and courteously.
      </p>
      <h2>Identify yourself</h2>
      <p>
        Every post shows your name, job title and worksite. Answers make sense in context: a tip from a one-person
        elementary library differs from one from a university system. Keep your <Link to="/me/settings">identification</Link> current.
      </p>
      <h2>Ask well</h2>
      <ul>
        <li>Search first: many questions have been answered before, often in a HIT.</li>
        <li>Use a subject line that says what you need (“Weeding a 1990s biography section”, not “Help!”).</li>
        <li>Say what you have tried, and what kind of library you work in.</li>
      </ul>
      <h2>TARGET and HIT</h2>
      <p>
        A <strong>TARGET</strong> asks colleagues to reply privately to you, not to the whole list. When the replies are in, post a{" "}
        <strong>HIT</strong>: a summary of what you learned, so everyone benefits. Credit repliers only with their permission.
      </p>
      <h2>Be kind; no flames</h2>
      <p>
        Disagree with ideas, never with people. No personal attacks, harassment or discrimination. Remember that many
        members work alone and are asking because they have nobody else to ask.
      </p>
      <h2>Protect privacy</h2>
      <ul>
        <li>Never post patron or student names, records or anything that identifies them.</li>
        <li>Don't forward a private reply publicly without its author's permission.</li>
      </ul>
      <h2>No advertising</h2>
      <p>Vendors are welcome to answer questions, but not to advertise. Job postings belong in job-posting threads.</p>
      <h2>Moderation</h2>
      <p>
        Moderators may edit titles, move threads, hide posts that break these guidelines and, when needed, suspend accounts.
        If you see a problem, flag it rather than replying to it.
      </p>
    </article>
  );
}
