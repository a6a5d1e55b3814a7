// How a suspension reads to the member (pages and server errors alike).

/** "Your account is suspended until March 3, 2027: reason. You can read, but …" */
export function suspensionMessage(until: Date | string, reason: string): string {
  const day = new Date(until).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  return `Your account is suspended until ${day}${reason ? `: ${reason.replace(/[.\s]+$/, "")}` : ""}. You can read, but not post, vote, flag, edit your profile or use the API.`;
}
