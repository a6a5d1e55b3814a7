// State that lives for exactly one HTTP request. Remix hands every loader its
// own copy of the Request object, so anything memoized per Request object is
// recomputed by each loader; this scope is entered once per HTTP request (in
// server/main.ts) and is shared by every loader and the render.
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestScope = {
  method: string;
  clientIp: string;
  memo: Map<string, unknown>;
  databaseOutage?: boolean;
  /** The URL as the client asked for it (with `_data` on a client navigation's data request). */
  url: string;
  /** Whether this is such a data request, not a document: worked out when first asked. */
  dataRequest?: boolean;
  /** Post bodies this document shows, kept out of its embedded loader data (see `sendBodiesOnce`). */
  renderOnly?: Map<string, string>;
};

const store = globalThis as unknown as { __paranetRequestScope?: AsyncLocalStorage<RequestScope> };
const scopes: AsyncLocalStorage<RequestScope> = (store.__paranetRequestScope ??= new AsyncLocalStorage());

export function runInRequestScope<T>(method: string, run: () => T, clientIp = "unknown", url = "/"): T {
  // Remix takes `_data` off the URL its loaders see: keep the URL the client asked for.
  return scopes.run({ method, clientIp, memo: new Map(), url }, run);
}

/** The client's address (as TRUST_PROXY allows), for per-address rate limits in models. */
export function requestClientIp(): string {
  return scopes.getStore()?.clientIp ?? "unknown";
}

/** This request failed because the database could not be reached: it answers 503, not 500. */
export function markDatabaseOutage(): void {
  const scope = scopes.getStore();
  if (scope) scope.databaseOutage = true;
}

export const hadDatabaseOutage = (): boolean => scopes.getStore()?.databaseOutage === true;

/**
 * Compute `key` once per read-only HTTP request (GET/HEAD). After a POST
 * action the loaders compute it again: the action may have changed it.
 */
export function oncePerRequest<T>(key: string, compute: () => T): T {
  const scope = scopes.getStore();
  if (!scope || (scope.method !== "GET" && scope.method !== "HEAD")) return compute();
  if (!scope.memo.has(key)) scope.memo.set(key, compute());
  return scope.memo.get(key) as T;
}

/**
 * Keep post bodies out of a page's embedded loader data when the page is a
 * document: each body is then sent once, in the HTML, not again as JSON (a
 * thread page's replies are most of its bytes). The render finds them in this
 * request's scope (entry.server hands them to `PostBody`); the browser keeps
 * the server's HTML on hydration. Data requests (client navigation, `_data`)
 * still carry bodies: there is no HTML to keep. Returns the body to put in the
 * loader data: "" when it was set aside.
 */
export function sendBodyOnce(key: string, html: string): string {
  const scope = scopes.getStore();
  if (!scope || !html) return html;
  scope.dataRequest ??= new URL(scope.url, "http://x").searchParams.has("_data");
  if (scope.dataRequest) return html;
  (scope.renderOnly ??= new Map()).set(key, html);
  return "";
}

/** The bodies set aside for this document's render. */
export const renderOnlyBodies = (): ReadonlyMap<string, string> => scopes.getStore()?.renderOnly ?? new Map();
