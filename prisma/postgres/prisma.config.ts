// Prisma CLI configuration for PostgreSQL (decision 0011): `prisma generate`
// of the PostgreSQL client, `migrate diff` and `migrate status`. Migrations
// are applied by ParaNet's own runner (scripts/lib.mjs): `prisma migrate
// deploy` fails through the pg driver adapter (Prisma issue 27403).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const url = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL! : "postgresql://127.0.0.1:5432/postgres";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  adapter: async () => new PrismaPg({ connectionString: url }),
});
