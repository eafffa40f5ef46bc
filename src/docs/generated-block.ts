/**
 * Generated blocks in Markdown pages: the text between `<!-- name -->` and `<!-- /name -->` is
 * written by a generator (`npm run docs`) and checked by a test, so a page cannot drift from the
 * code it describes. Everything outside the markers is hand-written and left alone.
 */
export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name} -->`, end: `<!-- /${name} -->` };
}

/** `page` with `content` between the `name` markers; throws when the page lacks them. */
export function withGeneratedBlock(page: string, name: string, content: string, file = "the page"): string {
  const { start, end } = markers(name);
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} lacks ${start} … ${end}`);
  return page.slice(0, from + start.length) + "\n" + content + "\n" + page.slice(to);
}
