// The council report shown on the page sits in a sandboxed frame. Its links (sources, registers)
// must open as pages of their own: inside the frame they would load a foreign site into the
// report's box, or be refused there. No imports: a pure function, tested on its own.

const BASE = '<base target="_blank">';

/** The report's HTML with `<base target="_blank">` at the start of its head, so every link opens in a new tab. */
export function withLinksInNewTabs(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return `${html.slice(0, head.index + head[0].length)}${BASE}${html.slice(head.index + head[0].length)}`;
  const root = /<html(\s[^>]*)?>/i.exec(html);
  if (root) return `${html.slice(0, root.index + root[0].length)}<head>${BASE}</head>${html.slice(root.index + root[0].length)}`;
  return `<head>${BASE}</head>${html}`;
}
