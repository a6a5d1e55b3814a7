// Checking input, under one name: the limits and helpers browser code may
// use (input.ts) and the schemas, which are server-only
// (validation.server.ts: in the browser build they are empty, so a page that
// imports a schema for its action does not ship zod). Components import
// from ~/lib/input.
export * from "./input";
export * from "./validation.server";
