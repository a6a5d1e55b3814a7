// A small HTTP client with a cookie jar that behaves like a browser posting
// forms from the site's own pages (it sends the site's Origin by default).
export type Page = { status: number; headers: Headers; body: string; location: string | null };

export class Visitor {
  private cookies = new Map<string, string>();
  constructor(public readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  private remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const res = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    this.remember(res.headers);
    return { status: res.status, headers: res.headers, body: await res.text(), location: res.headers.get("location") };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, { headers });
  }

  /** Posts a form as a same-origin browser page would, unless headers say otherwise. */
  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, {
      method: "POST",
      body: new URLSearchParams(form).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.baseUrl, ...headers },
    });
  }
}

export const aMember = (n: string | number, extra: Record<string, string> = {}) => ({
  email: `member${n}@example.org`,
  handle: `member${n}`,
  password: "correct horse battery",
  displayName: `Member ${n}`,
  jobTitle: "Library Media Assistant",
  worksite: "Lincoln Elementary School",
  memberKind: "support_staff",
  guidelines: "on",
  ...extra,
});

export async function join(visitor: Visitor, member: Record<string, string>): Promise<Page> {
  const page = await visitor.post("/join", member);
  if (page.status !== 302) throw new Error(`join failed with ${page.status}: ${page.body.slice(0, 500)}`);
  return page;
}

/** Text of the page with tags stripped, for simple "the page says" checks. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
