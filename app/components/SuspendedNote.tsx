import { useRouteLoaderData } from "@remix-run/react";
import { pausedMessage } from "~/lib/suspension";
import type { RootData } from "~/root";

/** The viewer's suspension, from the layout's data (null when they may act). */
export function useSuspension() {
  return useRouteLoaderData<RootData>("root")?.standing?.suspension ?? null;
}

/**
 * Where a form would be, for a suspended member: what is paused, until when
 * and why (the page's top notice says the rest), instead of controls that
 * would only refuse on submit.
 */
export function SuspendedNote({ what }: { what: string }) {
  const suspension = useSuspension();
  if (!suspension) return null;
  return (
    <p className="notice notice--warning" role="note">
      {pausedMessage(what, suspension.until, suspension.reason)}
    </p>
  );
}
