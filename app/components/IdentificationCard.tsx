// The identification card: LM_NET asked every message to carry the sender's
// name, job title and worksite. Every post shows this beside it.
import { Link } from "@remix-run/react";
import { badgesOf, LIBRARY_TYPE_LABELS, MEMBER_KIND_LABELS, type Identification, type LibraryType, type MemberKind } from "~/lib/domain";

export function credentialsOf(member: Identification): string[] {
  const list: string[] = [];
  if (member.hasMlis) list.push("MLS/MLIS");
  if (member.hasLssc) list.push("LSSC");
  if (member.stateCertification) list.push(member.stateCertification);
  if (member.otherCredentials) list.push(member.otherCredentials);
  return list;
}

export function IdentificationCard({
  member,
  compact = false,
  headingLevel = "p",
}: {
  member: Identification;
  compact?: boolean;
  headingLevel?: "p" | "h1" | "h2" | "h3";
}) {
  const Name = headingLevel;
  const kind = MEMBER_KIND_LABELS[member.memberKind as MemberKind] ?? "Member";
  const library = LIBRARY_TYPE_LABELS[member.libraryType as LibraryType];
  const place = [library, member.region].filter(Boolean).join(", ");
  const credentials = credentialsOf(member);
  // Shown only when the member chose one for a program they follow (their words, escaped by React like every field).
  const badges = badgesOf(member.badges);
  const initials = member.displayName
    .split(/\s+/)
    .map((w) => w[0])
    .filter(Boolean)
    .slice(0, 2)
    .join("")
    .toUpperCase();
  return (
    <div className={compact ? "id-card id-card--compact" : "id-card"} data-testid="identification-card">
      <span className="id-card__avatar" aria-hidden="true">
        {initials || "?"}
      </span>
      <div className="id-card__body">
        <Name className="id-card__name">
          <Link to={`/u/${member.handle}`}>{member.displayName}</Link> <span className="id-card__handle">@{member.handle}</span>
          {member.role !== "member" ? <span className={`badge badge--${member.role}`}>{member.role === "admin" ? "Admin" : "Moderator"}</span> : null}
        </Name>
        <p className="id-card__line">{[member.jobTitle, member.worksite].filter(Boolean).join(" · ") || kind}</p>
        {!compact || place ? <p className="id-card__line id-card__muted">{[place, compact ? null : kind].filter(Boolean).join(" — ")}</p> : null}
        {!compact && member.yearsInLibraryWork != null ? (
          <p className="id-card__line id-card__muted">
            {member.yearsInLibraryWork} {member.yearsInLibraryWork === 1 ? "year" : "years"} in library work
          </p>
        ) : null}
        {credentials.length > 0 ? (
          <ul className="id-card__credentials" aria-label="Credentials">
            {credentials.map((c) => (
              <li key={c} className="chip">
                {c}
              </li>
            ))}
          </ul>
        ) : null}
        {badges.length > 0 ? (
          <ul className="id-card__credentials" aria-label="Program badges">
            {badges.map((b) => (
              <li key={b} className="chip chip--program">
                {b}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
