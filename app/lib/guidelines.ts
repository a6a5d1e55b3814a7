// The community guidelines every installation starts with (admins rewrite
// them at /admin/guidelines). Markdown, rendered like posts.
export const DEFAULT_GUIDELINES = `ParaNet carries on the spirit of LM_NET: colleagues helping colleagues, generously and courteously.

## Identify yourself

Every post shows your name, job title and worksite. Answers make sense in context: a tip from a one-person
elementary library differs from one from a university system. Keep your [identification](/me/settings) current.

## Ask well

- Search first: many questions have been answered before, often in a HIT.
- Use a subject line that says what you need ("Weeding a 1990s biography section", not "Help!").
- Say what you have tried, and what kind of library you work in.

## TARGET and HIT

A **TARGET** asks colleagues to reply privately to you, not to the whole list. When the replies are in, post a
**HIT**: a summary of what you learned, so everyone benefits. Credit repliers only with their permission.

## Be kind; no flames

Disagree with ideas, never with people. No personal attacks, harassment or discrimination. Remember that many
members work alone and are asking because they have nobody else to ask.

## Protect privacy

- Never post patron or student names, records or anything that identifies them.
- Don't forward a private reply publicly without its author's permission.

## No advertising

Vendors are welcome to answer questions, but not to advertise. Job postings belong in job-posting threads.

## Moderation

A new member's first posts are read by a moderator before everyone sees them. Moderators may edit titles, move
replies, hide posts that break these guidelines and, when needed, suspend accounts; every such action is logged.
If you see a problem, flag it rather than replying to it.
`;
