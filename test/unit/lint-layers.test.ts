// The layer rules in eslint.config.js bite: ESLint's own API lints a snippet
// as if it stood in a given folder. (The type-aware rules are turned off for
// these snippets: they need the file in the TypeScript project.)
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { "@typescript-eslint/no-floating-promises": "off", "@typescript-eslint/no-misused-promises": "off" },
  },
});

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  // ESLint's rule or typescript-eslint's (which lets types cross a layer where the config allows).
  return result.messages.filter((m) => m.ruleId?.endsWith("no-restricted-imports")).map((m) => m.message);
}

// Loading the config and the TypeScript parser takes seconds on a busy machine.
describe("the layer rules", { timeout: 60_000 }, () => {
  it("refuse a model in pure code (app/lib)", async () => {
    const errors = await importErrors("app/lib/layer-probe.ts", `import { listTags } from "~/models/tag.server";\nexport const probe = listTags;\n`);
    expect(errors).toEqual([expect.stringMatching(/models/)]);
  });

  it("refuse the database connection in a route", async () => {
    const errors = await importErrors("app/routes/layer-probe.tsx", `import { db } from "~/db/client.server";\nexport const probe = db;\n`);
    expect(errors).toEqual([expect.stringContaining("Only app/models use the database connection")]);
  });

  it("refuse a relative import across folders, which the rules could not see", async () => {
    const errors = await importErrors("app/lib/layer-probe.ts", `import { listTags } from "../models/tag.server";\nexport const probe = listTags;\n`);
    expect(errors).toEqual([expect.stringContaining("Import across folders with ~/")]);
  });

  it("accept what the layers allow", async () => {
    expect(await importErrors("app/routes/layer-probe.tsx", `import { listTags } from "~/models/tag.server";\nexport const probe = listTags;\n`)).toEqual([]);
    expect(await importErrors("app/lib/layer-probe.ts", `import { escapeHtml } from "~/lib/html";\nexport const probe = escapeHtml;\n`)).toEqual([]);
    expect(await importErrors("app/models/layer-probe.server.ts", `import { db } from "~/db/client.server";\nexport const probe = db;\n`)).toEqual([]);
  });
});
