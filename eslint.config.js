import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

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
    // Only models talk to the database: routes, components and the server go through them.
    files: ["app/routes/**", "app/components/**", "server/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/lib/db.server", "**/lib/db.server"], importNames: ["db"], message: "Call a function in app/models instead." },
            { group: ["~/generated/*", "**/generated/*"], message: "Call a function in app/models instead." },
            { group: ["socket.io"], message: "Only server/realtime.ts talks to socket.io." },
          ],
        },
      ],
    },
  },
  {
    files: ["server/realtime.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["scripts/**", "test/**", "bench/**", "prisma/**"],
    rules: { "no-console": "off" },
  },
);
