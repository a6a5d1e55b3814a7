// The header's menus are <details> elements, so they work without JavaScript.
// With JavaScript they also close the way menus do: on Escape (returning focus
// to their button), on a click or focus outside them, and after navigating.
//
// On wide screens the header shows the main links in a row and the account
// menu under the member's name. On phones (up to 40rem) both give way to one
// "Menu" holding every link, so nothing is cut off or scrolls sideways; the
// other set is display:none at each width, so it is never announced twice.
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { isStaff } from "~/lib/domain";

type Member = { handle: string; displayName: string; role: string };

function Menu({ className, summary, children }: { className: string; summary: ReactNode; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.key]);

  useEffect(() => {
    const outside = (e: Event) => {
      const menu = ref.current;
      if (menu?.open && !menu.contains(e.target as Node)) menu.open = false;
    };
    const escape = (e: KeyboardEvent) => {
      const menu = ref.current;
      if (e.key === "Escape" && menu?.open) {
        menu.open = false;
        menu.querySelector("summary")?.focus();
      }
    };
    document.addEventListener("click", outside);
    document.addEventListener("focusin", outside);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("click", outside);
      document.removeEventListener("focusin", outside);
      document.removeEventListener("keydown", escape);
    };
  }, []);

  return (
    <details className={`menu ${className}`} ref={ref}>
      <summary>{summary}</summary>
      <ul className="menu__list">{children}</ul>
    </details>
  );
}

/** The site's main sections; staff also get the review queue. */
export function mainLinks(user: Member | null) {
  return [
    { to: "/", label: "Threads", end: true },
    { to: "/resources", label: "Resources" },
    { to: "/search", label: "Search" },
    ...(user && isStaff(user.role) ? [{ to: "/moderate", label: "Moderate" }] : []),
  ];
}

function AccountLinks({ user }: { user: Member }) {
  return (
    <>
      <li>
        <Link to={`/u/${user.handle}`}>Your profile</Link>
      </li>
      <li>
        <Link to="/me/following">Following</Link>
      </li>
      <li>
        <Link to="/me/portfolio">My portfolio</Link>
      </li>
      <li>
        <Link to="/me/settings">Settings</Link>
      </li>
      {user.role === "admin" ? (
        <li>
          <Link to="/admin/members">Admin</Link>
        </li>
      ) : user.role === "moderator" ? (
        <li>
          <Link to="/admin/tags">Manage tags</Link>
        </li>
      ) : null}
      <li>
        <Form method="post" action="/logout">
          <button type="submit" className="link-button">
            Log out
          </button>
        </Form>
      </li>
    </>
  );
}

/** Wide screens: the member's name, opening their account links. */
export function AccountMenu({ user }: { user: Member }) {
  return (
    <Menu className="menu--account" summary={<span className="menu__name">{user.displayName}</span>}>
      <AccountLinks user={user} />
    </Menu>
  );
}

/** Phones: one menu with the main sections and, for a member, their account links. */
export function PhoneMenu({ user, here }: { user: Member | null; here: string }) {
  return (
    <Menu className="menu--phone" summary="Menu">
      {mainLinks(user).map((link) => (
        <li key={link.to}>
          <NavLink to={link.to} end={link.end}>
            {link.label}
          </NavLink>
        </li>
      ))}
      {user ? (
        <>
          <li className="menu__who">Signed in as {user.displayName}</li>
          <AccountLinks user={user} />
        </>
      ) : (
        <li className="menu__who">
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>Log in</Link>
        </li>
      )}
    </Menu>
  );
}
