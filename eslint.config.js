import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layers (docs/ARCHITECTURE.md, "Layout"), and what each may not import.
// lib: pure code. db: the connection. models: domain logic, the only users of
// the connection. web: the request edge. ui: browser-side helpers. routes,
// components and server/: thin, through models.
const rule = (message, ...group) => ({ group, message });
// Types may cross a layer (a component may name the shape a model returns);
// code may not.
const typesOk = (r) => ({ ...r, allowTypeImports: true });
const DRIVERS = rule(
  "Only app/models (and app/db) talk to the database: call a function in app/models.",
  "@prisma/*",
  "better-sqlite3",
  "pg",
  "~/generated/*",
  "**/generated/*",
);
const CONNECTIONS = rule(
  "The connections live in app/db (decision 0011): use db, readQuery or app/db/dialect.server.ts.",
  "better-sqlite3",
  "pg",
  "@prisma/adapter-*",
);
const DB = rule("Only app/models use the database connection: call a function in app/models.", "~/db/*");
const SOCKET_IO = rule("Only server/realtime.ts talks to socket.io.", "socket.io", "@socket.io/*");
const MODELS = rule("Only routes, app/web and server/ call models: pure code, ui and components get data as arguments or props.", "~/models/*");
const WEB = rule("app/web is the request edge: models and pure code do not import it.", "~/web/*");
const UI = rule("app/ui is browser-side code.", "~/ui/*", "~/components/*", "~/routes/*", "~/root");
const FRAMEWORK = rule("Pure code and models do not depend on Remix or React.", "@remix-run/*", "react", "react-dom", "react-dom/*");
const PARENT = rule("Import across folders with ~/…, so the layer rules can see it.", "../*");
const layer = (files, ...patterns) => ({ files, rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [PARENT, ...patterns] }] } });

export default tseslint.config(
  { ignores: ["build/", "public/build/", "app/generated/", "node_modules/", ".cache/", "data/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "smart"],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // A promise nobody awaits loses its error (and, in a transaction, its ordering).
    files: ["app/**/*.ts", "app/**/*.tsx", "server/**/*.ts", "test/**/*.ts", "scripts/**/*.ts", "prisma/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { "@typescript-eslint/no-floating-promises": "error", "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }] },
  },
  layer(["app/lib/**"], DRIVERS, DB, SOCKET_IO, MODELS, WEB, UI, FRAMEWORK),
  layer(["app/db/**"], SOCKET_IO, MODELS, WEB, UI, FRAMEWORK),
  layer(["app/models/**"], CONNECTIONS, SOCKET_IO, WEB, UI, FRAMEWORK),
  layer(["app/web/**"], DRIVERS, DB, SOCKET_IO, UI),
  layer(["app/ui/**", "app/components/**"], DRIVERS, DB, SOCKET_IO, typesOk(MODELS), typesOk(WEB)),
  layer(["app/routes/**", "app/root.tsx", "app/entry.*"], DRIVERS, DB, SOCKET_IO),
  // The server process wires things together: it may open and close the
  // connection (server/main.ts) but queries go through models.
  layer(["server/**"], DRIVERS, SOCKET_IO, UI, {
    group: ["~/db/*"],
    importNames: ["db", "readQuery", "pgPool", "dataVersion"],
    message: "Call a function in app/models instead.",
  }),
  layer(["server/realtime.ts"], DRIVERS, UI),
  // The cluster's primary relays socket.io broadcasts and loads nothing of the app (decision 0013).
  layer(["server/cluster-primary.ts"], DRIVERS, DB, MODELS, WEB, UI),
  {
    files: ["scripts/**", "test/**", "bench/**", "prisma/**"],
    rules: { "no-console": "off" },
  },
);
