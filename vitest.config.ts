import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

// Tests about one engine only live in `*.sqlite.test.ts` and `*.postgres.test.ts`:
// each run takes the files of its engine (TEST_DATABASE=postgres: npm run
// test:postgres) and leaves out the other engine's, by name, here.
// (The same test as testEngine() in test/setup/databases.ts.)
const engine = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
const otherEngine = engine === "postgres" ? "sqlite" : "postgres";
const exclude = [...configDefaults.exclude, `**/*.${otherEngine}.test.ts`];

export default defineConfig({
  resolve: { alias },
  test: {
    // Integration files mostly wait on the server they spawned (a process of
    // its own, with its own database copy): several files at once keep both
    // cores busy. The default (cores − 1) would run them one at a time here.
    maxWorkers: 4,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          exclude,
          // Unit tests that hash passwords or post dozens of threads share two
          // cores with the other test files (and, under test:postgres, with
          // the database server): the default 5 s is too tight for them then.
          testTimeout: 20_000,
          setupFiles: ["test/setup/unit-db.ts", "test/setup/console.ts"],
          globalSetup: ["test/setup/global.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude,
          globalSetup: ["test/setup/global.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // The hostile-input corpus (test/hostile/harness.ts), in groups that run in parallel.
          name: "hostile",
          include: ["test/hostile/**/*.test.ts"],
          exclude,
          globalSetup: ["test/setup/global.ts"],
          testTimeout: 240_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          exclude,
          globalSetup: ["test/setup/global.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "cluster",
          include: ["test/cluster/**/*.test.ts"],
          exclude,
          globalSetup: ["test/setup/global.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
