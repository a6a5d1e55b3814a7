// The account menu is a <details> element, so it works without JavaScript.
// With JavaScript it also closes the way menus do: on Escape (returning focus
// to its button), on a click or focus outside it, and after navigating.
import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";

type Props = { user: { handle: string; displayName: string; role: string } };

export function AccountMenu({ user }: Props) {
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
    <details className="menu" ref={ref}>
      <summary>
        <span className="menu__name">{user.displayName}</span>
      </summary>
      <ul className="menu__list">
        <li>
          <Link to={`/u/${user.handle}`}>Your profile</Link>
        </li>
        <li>
          <Link to="/me/following">Following</Link>
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
      </ul>
    </details>
  );
}
