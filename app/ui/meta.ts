// A page's <title> and description. Remix replaces the layout's meta with a
// route's own, so each page states both (search engines and link previews
// read the description), through this one helper.
import type { MetaDescriptor } from "@remix-run/node";

export const SITE_DESCRIPTION = "Ask colleagues, share answers and find training: a community for library support staff.";

export function pageMeta(title: string, description: string = SITE_DESCRIPTION): MetaDescriptor[] {
  return [{ title }, { name: "description", content: description.length > 200 ? `${description.slice(0, 197).trimEnd()}…` : description }];
}

/** Link previews of a shared thread (OpenGraph): its title, its opening words, the site's name. */
export function openGraph(o: { title: string; description: string; url: string; type?: "article" | "website" }): MetaDescriptor[] {
  return [
    { property: "og:site_name", content: "ParaNet" },
    { property: "og:type", content: o.type ?? "article" },
    { property: "og:title", content: o.title },
    { property: "og:description", content: o.description },
    { property: "og:url", content: o.url },
  ];
}
