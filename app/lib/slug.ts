/** URL-friendly form of a text: "Préparer l'heure du conte?" → "preparer-l-heure-du-conte"; "" when nothing is left. */
export function slugOf(text: string, maxLength: number): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
}
