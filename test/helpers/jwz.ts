// Jamie Zawinski's threading algorithm (as RFC 5256 "REFERENCES" states it),
// as a mail client runs it: messages are linked by Message-ID, References
// and In-Reply-To, and a conversation is a tree under one root. A message
// whose parent never arrived still hangs under an empty container for it.

export type Threadable = { messageId?: string; inReplyTo?: string; references?: string | string[] };

const ids = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value.join(" ") : (value ?? "")).match(/<[^<>\s]+>/g) ?? [];

/** The root Message-ID each message's tree hangs from (an id that may not have arrived). */
export function threadRoots(messages: Threadable[]): string[] {
  const parent = new Map<string, string>();
  const isAncestor = (candidate: string, of: string): boolean => {
    for (let at: string | undefined = of; at; at = parent.get(at)) if (at === candidate) return true;
    return false;
  };
  const link = (from: string, to: string) => {
    // Keep the first parent found, and never make a loop.
    if (from !== to && !parent.has(to) && !isAncestor(to, from)) parent.set(to, from);
  };
  for (const m of messages) {
    const own = ids(m.messageId)[0];
    const refs = ids(m.references);
    const chain = refs.length ? refs : ids(m.inReplyTo).slice(0, 1);
    for (let i = 1; i < chain.length; i++) link(chain[i - 1], chain[i]);
    if (own && chain.length) {
      // The message's own parent is the last reference: it replaces a guess made from another message.
      const last = chain[chain.length - 1];
      if (last !== own && !isAncestor(own, last)) parent.set(own, last);
    }
  }
  return messages.map((m) => {
    let at = ids(m.messageId)[0] ?? "";
    while (parent.has(at)) at = parent.get(at)!;
    return at;
  });
}
