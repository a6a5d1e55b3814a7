import type { MetaFunction } from "@remix-run/node";
import { NotYetOpen } from "~/components/ComingSoon";

export const meta: MetaFunction = () => [{ title: "Resources — ParaNet" }];

export default function Resources() {
  return (
    <NotYetOpen title="Resources">
      The resource clearinghouse — articles, webinars, courses and certification programs tagged by competency area — is
      not open yet on this installation.
    </NotYetOpen>
  );
}
