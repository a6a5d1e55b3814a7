// axe-core's WCAG 2.2 A/AA findings on a page as it is now, one line each
// ("rule (impact): help — where"). The browser context must bypass the CSP:
// axe is injected as an inline script, which the site's policy (rightly) refuses.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** `exclude`: CSS selectors of parts another test judges. */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    async ({ excluded, tags }) => {
      const axe = (window as unknown as { axe: { run: (ctx: object, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
      return axe.run({ include: [["html"]], exclude: excluded.map((e) => [e]) }, { runOnly: { type: "tag", values: tags } });
    },
    { excluded: exclude, tags: TAGS },
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
