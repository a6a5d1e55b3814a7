// One schema source, two engines (decision 0011). prisma/schema.prisma is the
// file people edit (SQLite, the embedded default); prisma/postgres/schema.prisma
// is written from it (scripts/generate.mjs, at install and before every build),
// differing only in the datasource and the generated client's folder. It is
// not committed: one source, nothing to keep in step by hand.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SQLITE_SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join(ROOT, "prisma", "postgres", "schema.prisma");

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs (not committed): edit that file.
`;

export function postgresSchemaText(source = fs.readFileSync(SQLITE_SCHEMA, "utf8")) {
  const swaps = [
    [/output(\s*)= "\.\.\/app\/generated\/prisma"/, 'output$1= "../../app/generated/prisma-pg"'],
    [/provider = "sqlite"/, 'provider = "postgresql"'],
    // Never used (prisma.config.ts gives the connection), but a literal keeps
    // `prisma generate` offline: an env() URL that is not postgresql:// makes it download an engine.
    [/url(\s*)= "file:\.\/unused-see-prisma-config\.db"/, 'url$1= "postgresql://unused/see-prisma-config"'],
  ];
  let text = source;
  for (const [from, to] of swaps) {
    if (!from.test(text)) throw new Error(`prisma/schema.prisma: expected to find ${from} (scripts/prisma-schemas.mjs rewrites it for PostgreSQL)`);
    text = text.replace(from, to);
  }
  return HEADER + text;
}

export function writePostgresSchema() {
  const text = postgresSchemaText();
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  if (!fs.existsSync(POSTGRES_SCHEMA) || fs.readFileSync(POSTGRES_SCHEMA, "utf8") !== text) fs.writeFileSync(POSTGRES_SCHEMA, text);
}
