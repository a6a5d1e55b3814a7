/** Remix 2, classic compiler (esbuild). See docs/ARCHITECTURE.md. */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverBuildPath: "build/remix/index.js",
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    // Declined on purpose, which also quiets the build's warning on every
    // start: single fetch replaces `?_data=` answers (plain JSON, which the
    // hostile-input plan and the browser tests read) with turbo-stream, and
    // comes with the move to React Router 7, where it is the only mode.
    v3_singleFetch: false,
  },
};
