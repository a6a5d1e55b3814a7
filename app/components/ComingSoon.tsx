import type { ReactNode } from "react";

/** A section whose feature is not built yet, said plainly. */
export function NotYetOpen({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="narrow stack">
      <h1>{title}</h1>
      <div className="notice notice--info">{children}</div>
    </div>
  );
}
