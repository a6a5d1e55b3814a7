// What the server passes to every loader and action (server/index.ts).
import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address (X-Forwarded-For is honoured only with TRUST_PROXY). */
    clientIp: string;
    /** This response's Content-Security-Policy nonce, for the inline scripts Remix writes. */
    cspNonce: string;
    requestId: string;
  }
}

export {};
