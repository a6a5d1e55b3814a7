// How a suspension reads to the member (pages and server errors alike).

const dayOf = (until: Date | string) => new Date(until).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
const because = (reason: string) => (reason ? `: ${reason.replace(/[.\s]+$/, "")}` : "");

/** "Your account is suspended until March 3, 2027: reason. You can read, but …" */
export function suspensionMessage(until: Date | string, reason: string): string {
  return `Your account is suspended until ${dayOf(until)}${because(reason)}. You can read, but not post, vote, flag, edit your profile or use the API.`;
}

/** Shown where a form would be: "Replying is paused until March 3, 2027 (suspended: reason)." */
export function pausedMessage(what: string, until: Date | string, reason: string): string {
  return `${what} is paused until ${dayOf(until)} (suspended${because(reason)}).`;
}
