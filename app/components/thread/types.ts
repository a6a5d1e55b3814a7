import type { SerializeFrom } from "@remix-run/node";
import type { FieldErrors } from "~/lib/errors";
import type { getThreadForViewer } from "~/models/thread.server";

/** The thread page as the browser receives it (dates as strings). */
export type ThreadPage = SerializeFrom<NonNullable<Awaited<ReturnType<typeof getThreadForViewer>>>>;
export type ThreadReply = ThreadPage["replies"][number];
/** What the thread page's action answers when a form needs correcting. */
export type ThreadActionFailure = { ok: false; intent: string; replyId: number | null; message: string; fields: FieldErrors; values: Record<string, string> };
