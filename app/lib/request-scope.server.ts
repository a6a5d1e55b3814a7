// State that lives for exactly one HTTP request. Remix hands every loader its
// own copy of the Request object, so anything memoized per Request object is
// recomputed by each loader; this scope is entered once per HTTP request (in
// server/main.ts) and is shared by every loader and the render.
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestScope = { method: string; clientIp: string; memo: Map<string, unknown>; databaseOutage?: boolean };

const store = globalThis as unknown as { __paranetRequestScope?: AsyncLocalStorage<RequestScope> };
const scopes: AsyncLocalStorage<RequestScope> = (store.__paranetRequestScope ??= new AsyncLocalStorage());

export function runInRequestScope<T>(method: string, run: () => T, clientIp = "unknown"): T {
  return scopes.run({ method, clientIp, memo: new Map() }, run);
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
