// What the share form offers (browser code too: the model, portfolio-share.server.ts, checks the same).

/** How long a reviewer's link lasts, in days. */
export const SHARE_DAYS = ["7", "30", "90"] as const;
/** The longest "for whom" label. */
export const SHARE_LABEL_MAX = 80;
