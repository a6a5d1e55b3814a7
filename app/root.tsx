import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import styles from "~/styles/app.css";
import { AccountMenu, mainLinks, PhoneMenu } from "~/components/HeaderMenus";
import { LiveRegion } from "~/components/LiveUpdates";
import { useLiveUnread } from "~/ui/use-live";
import { getCurrentUser } from "~/web/auth.server";
import { siteUrl } from "~/web/http.server";
import { countUnread } from "~/models/notification.server";
import { memberStanding } from "~/models/user.server";
import { suspensionMessage } from "~/lib/suspension";
import { skipRevalidationAfterPreview } from "~/ui/revalidation";
import { useNonce } from "~/ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "alternate", type: "application/rss+xml", title: "ParaNet: latest threads", href: "/feeds/latest.rss" },
  { rel: "alternate", type: "application/atom+xml", title: "ParaNet: latest threads", href: "/feeds/latest.atom" },
];

export const meta: MetaFunction = ({ error }) => [
  {
    title: error
      ? `${(ERROR_TEXT[isRouteErrorResponse(error) ? error.status : 500] ?? ERROR_TEXT[500]).title} — ParaNet`
      : "ParaNet — the community for library support staff",
  },
  { name: "description", content: "Ask colleagues, share answers and find training: a community for library support staff." },
];

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const standing = user ? await memberStanding(user.id) : null;
  // The site's address, for canonical links and link previews (PUBLIC_URL when set).
  return json({ user, unread: user ? await countUnread(user) : 0, standing, origin: siteUrl(request) });
}

export type RootData = typeof loader;

/** The unread count: from the page's data, then kept current over the socket. */
function useUnreadCount(userId: number | null, loaded: number, loadedData: unknown) {
  const [unread, setUnread] = useState(loaded);
  const [arrivedLive, setArrivedLive] = useState(false);
  // Fresh loader data (a navigation, an action) is the truth again.
  useEffect(() => {
    setUnread(loaded);
    setArrivedLive(false);
  }, [loaded, loadedData]);
  useLiveUnread(userId, (change) => {
    if (change.unread !== undefined) setUnread(change.unread);
    if (change.added) {
      setUnread((n) => n + change.added!);
      setArrivedLive(true);
    }
  });
  // The text changes with the count, so each arrival is announced.
  return { unread, announcement: arrivedLive ? `New notification: ${unread} unread.` : "" };
}

function Header() {
  const data = useRouteLoaderData<RootData>("root");
  const user = data?.user ?? null;
  const { unread, announcement } = useUnreadCount(user?.id ?? null, data?.unread ?? 0, data);
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="site-header__inner">
        <Link to="/" className="brand" aria-label="ParaNet home">
          <span className="brand__mark" aria-hidden="true">
            ¶
          </span>
          ParaNet
        </Link>
        <nav aria-label="Main" className="main-nav">
          {mainLinks(user).map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="account-nav">
          {user ? (
            <>
              {/* The name comes from the text, so it contains the count shown (WCAG 2.5.3 label in name). */}
              <NavLink to="/notifications" className="icon-link">
                <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
                  <path d="M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 01-3.4 0" />
                </svg>
                <span className="visually-hidden">Notifications{unread ? ":" : ""}</span>
                {unread ? (
                  <>
                    <span className="unread-badge" data-testid="unread-badge">
                      {unread > 99 ? "99+" : unread}
                    </span>
                    <span className="visually-hidden"> unread</span>
                  </>
                ) : null}
              </NavLink>
              <LiveRegion message={announcement} />
              <AccountMenu user={user} />
            </>
          ) : (
            <>
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="wide-only">
                Log in
              </Link>
              <Link to="/join" className="button button--small">
                Join
              </Link>
            </>
          )}
          <PhoneMenu user={user} here={here} />
        </div>
      </div>
    </header>
  );
}

/** A member's standing, on every page: a suspension (and why), guidelines to acknowledge, mail stopped by bounces. */
function StandingNotice() {
  const data = useRouteLoaderData<RootData>("root");
  const location = useLocation();
  const standing = data?.standing;
  if (!standing) return null;
  if (standing.suspension) {
    return (
      <p className="notice notice--warning standing-notice" role="note">
        {suspensionMessage(standing.suspension.until, standing.suspension.reason)}
      </p>
    );
  }
  if (!standing.guidelinesAccepted && location.pathname !== "/guidelines") {
    return (
      <div className="notice notice--info standing-notice">
        Welcome back! Please read the <Link to="/guidelines">community guidelines</Link> once.{" "}
        <Form method="post" action="/guidelines" className="inline-form">
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" className="link-button">
            I have read them
          </button>
        </Form>
      </div>
    );
  }
  if (standing.mailStopped && location.pathname !== "/me/settings/email") {
    return (
      <p className="notice notice--warning standing-notice" role="note">
        Mail to your address bounced, so ParaNet has stopped sending you mail. <Link to="/me/settings/email">Fix it in your email settings</Link>.
      </p>
    );
  }
  return null;
}

function Footer() {
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>ParaNet — by and for library support staff, in the tradition of LM_NET.</p>
        <nav aria-label="Footer">
          <Link to="/guidelines">Community guidelines</Link> · Feeds: <a href="/feeds/latest.rss">latest threads (RSS)</a>,{" "}
          <a href="/feeds/hits.rss">HITs (RSS)</a>, <a href="/feeds/hits.atom">HITs (Atom)</a>
        </nav>
      </div>
    </footer>
  );
}

/**
 * The page's one address for search engines: this path, keeping only the
 * parameters that choose a different page of content (not filters or
 * highlights, which show the same posts).
 */
function CanonicalLink() {
  const origin = useRouteLoaderData<RootData>("root")?.origin;
  const location = useLocation();
  if (!origin) return null;
  const kept = new URLSearchParams();
  const params = new URLSearchParams(location.search);
  for (const name of ["page", "tab", "q"]) {
    const value = params.get(name);
    if (value) kept.set(name, value);
  }
  const query = kept.toString();
  return <link rel="canonical" href={`${origin}${location.pathname}${query ? `?${query}` : ""}`} />;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <CanonicalLink />
        <Links />
      </head>
      <body>
        <Header />
        <main id="main" className="page" tabIndex={-1}>
          <StandingNotice />
          {children}
        </main>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: "That request didn't make sense", body: "Something in the request was not right. Go back and try again." },
  403: { title: "You can't go there", body: "You do not have permission to see this page." },
  404: { title: "Page not found", body: "We couldn't find that page. It may have moved, or the link may be mistyped." },
  429: { title: "Slow down a moment", body: "Too many requests. Please wait a little and try again." },
  500: { title: "Something went wrong", body: "An unexpected error happened on our side. It has been logged; please try again." },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = ERROR_TEXT[status] ?? ERROR_TEXT[500];
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">Error {status}</p>
      <h1 id="error-title">{text.title}</h1>
      <p>{detail && detail !== text.title ? detail : text.body}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
