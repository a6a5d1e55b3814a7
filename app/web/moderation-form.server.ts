// The moderation forms (flag, hide, restore, delete, dismiss, move, lock,
// pin, close as duplicate, retag) as one action helper, so the thread page,
// a resource page and the review queue answer them the same way.
import { json } from "@remix-run/node";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction } from "~/web/http.server";
import {
  closeAsDuplicate,
  flagPost,
  moderatePost,
  moveReply,
  parseTarget,
  retagThread,
  setThreadLocked,
  setThreadPinned,
  type PostAction,
} from "~/models/moderation.server";
import type { SessionUser } from "~/models/session.server";

export const MODERATION_INTENTS = [
  "flag",
  "mod-hide",
  "mod-restore",
  "mod-delete",
  "mod-dismiss",
  "mod-move",
  "lock",
  "unlock",
  "pin",
  "unpin",
  "duplicate",
  "retag",
] as const;

export type ModerationResult =
  | { ok: true; intent: string; target?: string; message: string; at: number }
  | {
      ok: false;
      intent: string;
      target?: string;
      message: string;
      fields: FieldErrors;
      values: Record<string, string>;
    };

/** A thread named by its number, "#12", or any address containing /t/12. */
export function threadIdFrom(value: string): number | null {
  const m = /\/t\/(\d{1,10})(?:\/|$|[?#])/.exec(value) ?? /^\s*#?(\d{1,10})\s*$/.exec(value);
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * Run a moderation intent from a posted form; null if `intent` is not one.
 * `threadId` is the page's thread, for the thread-wide intents.
 */
export async function runModerationIntent(user: SessionUser, intent: string, form: FormData, threadId?: number): Promise<Response | null> {
  if (!(MODERATION_INTENTS as readonly string[]).includes(intent)) return null;
  const text = (name: string) => String(form.get(name) ?? "");
  const values = {
    reason: text("reason"),
    note: text("note"),
    toThread: text("toThread"),
    duplicateOf: text("duplicateOf"),
  };
  const target = parseTarget(text("target"));
  const done = (message: string) => json<ModerationResult>({ ok: true, intent, target: text("target"), message, at: Date.now() });
  const needsTarget = () => {
    if (!target) throw new Response("Unknown post.", { status: 400 });
    return target;
  };
  const needsThread = () => {
    if (!threadId) throw new Response("Unknown thread.", { status: 400 });
    return threadId;
  };
  return handleFormAction(
    values,
    async () => {
      switch (intent) {
        case "flag": {
          const { hidden } = await flagPost(user, needsTarget(), {
            reason: text("reason"),
            note: text("note"),
          });
          return done(
            hidden ? "Thank you. Enough members flagged this that it is hidden until a moderator looks." : "Thank you: the moderators will look at it.",
          );
        }
        case "mod-hide":
        case "mod-restore":
        case "mod-delete":
        case "mod-dismiss": {
          const action = intent.slice(4) as PostAction;
          const outcome = await moderatePost(user, needsTarget(), action, values.reason);
          return done(
            {
              hidden: "Hidden.",
              approved: "Approved: everyone sees it now.",
              restored: "Restored: everyone sees it again.",
              deleted: "Deleted.",
              dismissed: "Flags dismissed.",
            }[outcome],
          );
        }
        case "mod-move": {
          const t = needsTarget();
          if (t.type !== "reply") throw new Response("Only replies move.", { status: 400 });
          await moveReply(user, t.id, threadIdFrom(values.toThread), values.reason);
          return done("Reply moved.");
        }
        case "lock":
        case "unlock":
          await setThreadLocked(user, needsThread(), intent === "lock", values.reason);
          return done(intent === "lock" ? "Thread locked: only moderators can reply." : "Thread unlocked.");
        case "pin":
        case "unpin":
          await setThreadPinned(user, needsThread(), intent === "pin", values.reason);
          return done(intent === "pin" ? "Thread pinned to the top of the lists." : "Thread unpinned.");
        case "duplicate":
          await closeAsDuplicate(user, needsThread(), threadIdFrom(values.duplicateOf), values.reason);
          return done("Closed as a duplicate.");
        case "retag": {
          const tagIds = form
            .getAll("tagIds")
            .map(Number)
            .filter((n) => Number.isSafeInteger(n) && n > 0);
          await retagThread(user, needsThread(), tagIds, values.reason);
          return done("Tags saved.");
        }
      }
      throw new Response("Unknown action.", { status: 400 });
    },
    { intent, target: text("target") },
  );
}
