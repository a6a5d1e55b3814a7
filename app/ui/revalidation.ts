// Fetchers that only read (the Markdown preview) post to an action, and Remix
// reloads every page's data after any action. Routes that show the editor
// export this so a preview does not reload the page (and its live state).
import type { ShouldRevalidateFunction } from "@remix-run/react";

const READ_ONLY_ACTIONS = new Set(["/markdown-preview"]);

export const skipRevalidationAfterPreview: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction && READ_ONLY_ACTIONS.has(formAction) ? false : defaultShouldRevalidate;
