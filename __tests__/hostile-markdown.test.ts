/**
 * Names and descriptions from the client files are literal in the Markdown the tool writes: checked with GitHub's own
 * renderer, cmark-gfm and its extensions (Debian package `cmark-gfm`; `.ci/run` installs it).
 */
import { execFileSync } from 'node:child_process';
import { planFolder } from '../policy/folder';
import { inventoryMarkdown } from '../lifecycle/inventory';
import { runbook, runbookMarkdown } from '../lifecycle/runbook';
import { markdownText } from '../lifecycle/markdown';
import { clientsFolder, standardClient } from './support';

/** GitHub's rendering of `markdown` to HTML (raw HTML kept, to see any that gets through). */
function github(markdown: string): string {
  try {
    const extensions = ['table', 'autolink', 'strikethrough', 'tagfilter', 'tasklist'].flatMap((name) => ['--extension', name]);
    return execFileSync('cmark-gfm', [...extensions, '--unsafe'], { input: markdown, encoding: 'utf8' });
  } catch (error) {
    throw new Error(`cmark-gfm (GitHub's Markdown renderer) is needed: apt-get install cmark-gfm (${(error as Error).message})`);
  }
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const HOSTILE = [
  '# Heading',
  '| a | b |',
  '[click](https://evil.example)',
  '![image](https://evil.example/x.png)',
  '<img src=x onerror=alert(1)>',
  '<!-- hidden -->',
  '**bold** _em_ ~~struck~~ `code`',
  '$x^2$ math',
  'https://evil.example/login',
  'www.evil.example',
  '&amp; &#60; entities',
  ':warning: emoji',
  '1. ordered',
  '- bullet',
  '+ plus',
  '> quote',
  '[^1] footnote',
  '[label]: https://evil.example',
  'ends with \\',
  'Atelier Lumière (atelier-lumiere.be)',
];

test.each(HOSTILE)('%s is literal in a heading, a table cell, a list item and a paragraph', (text) => {
  const escaped = markdownText(text);
  const rendered = github(`## ${escaped}\n\n| c |\n|---|\n| ${escaped} |\n\n- [ ] ${escaped}\n\n${escaped}\n`);
  const literal = html(text);
  expect(rendered).toBe(
    [
      `<h2>${literal}</h2>`,
      '<table>\n<thead>\n<tr>\n<th>c</th>\n</tr>\n</thead>\n<tbody>\n<tr>',
      `<td>${literal}</td>`,
      '</tr>\n</tbody>\n</table>\n<ul>',
      `<li><input type="checkbox" disabled="" /> ${literal}</li>`,
      '</ul>',
      `<p>${literal}</p>`,
      '',
    ].join('\n'),
  );
});

describe('the inventory of a client whose names are hostile but valid', () => {
  const name = '[click](https://evil.example) | **x** # ~~y~~ $m$ "q" 1 < 2 > 0';
  const productName = '`code` & &amp; \\ _i_ ![i](x.png) "q" 1 < 2 > 0';
  const dir = clientsFolder({
    'betterfinance.eu.yaml': {
      ...standardClient,
      size: 'large',
      name,
      products: [{ id: 'shop', name: productName, nichandle: 'sh11111-ovh', domains: [{ name: 'bf-shop.eu' }] }],
    },
  });
  const markdown = inventoryMarkdown(planFolder(dir).plans.clients);
  const rendered = github(markdown);

  test('shows them as they are, in the heading and the tables', () => {
    expect(rendered).toContain(`<h2>${html(name)} (<code>betterfinance.eu</code>, large)</h2>`);
    expect(rendered).toContain(`<td>account of product ${html(productName)} of ${html(name)}</td>`);
  });

  test('keeps every table row to its columns, and links nothing but the internal addresses', () => {
    for (const row of rendered.match(/<tr>[\s\S]*?<\/tr>/g)!) expect([4, 8]).toContain(row.match(/<t[dh]>/g)!.length);
    expect(rendered.match(/<a [^>]*>/g)).toEqual([
      '<a href="mailto:betterfinance.eu@cedricfrancoys.be">',
      '<a href="mailto:shop.betterfinance.eu@cedricfrancoys.be">',
    ]);
    expect(rendered).not.toMatch(/<(img|strong|em|del|h[3-6]|blockquote|ol)\b/);
  });

  test('quotes names in the Mermaid diagram with its entity codes (here, in the large client’s project)', () => {
    const diagram = markdown.split('```mermaid\n')[1].split('```')[0];
    for (const label of diagram.match(/"[^"\n]*"/g)!) expect(label.slice(1, -1)).not.toMatch(/[<>"]/);
    expect(diagram).toContain('#quot;q#quot; 1 #lt; 2 #gt; 0');
  });
});

test('the runbook of a client whose name, product name and project description are hostile shows them as they are', () => {
  const name = '[click](https://evil.example) | **x** # "q" 1 < 2';
  const description = '![i](x.png) _p_ ${x} ~~z~~ **b**';
  const dir = clientsFolder({
    'betterfinance.eu.yaml': {
      ...standardClient,
      size: 'large',
      name,
      cloudProject: { description },
      products: [{ id: 'shop', name: '`code` & \\ _i_', nichandle: 'sh11111-ovh', domains: [{ name: 'bf-shop.eu' }] }],
      hosting: { emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact' }] }] },
      domains: [{ name: 'betterfinance.eu' }],
    },
  });
  const [plan] = planFolder(dir).plans.clients;
  const rendered = github(runbookMarkdown(plan, runbook(plan)).join('\n'));
  expect(rendered).toContain(`<h2>${html(name)} (<code>betterfinance.eu</code>)</h2>`);
  expect(rendered).toContain(`Credit the new Public Cloud project &quot;${html(description)}&quot;`);
  expect(rendered).toContain(`Create the OVH account of product ${html('`code` & \\ _i_')} of ${html(name)}`);
  expect(rendered).toContain(`Give ${html(name)} the initial passwords`);
  expect(rendered).not.toMatch(/<(img|strong|em|del|h[3-6])\b/);
  // GitHub links e-mail addresses whatever is done (see lifecycle/markdown.ts): the agency's own only, never the file's links.
  const links = new Set(rendered.match(/<a [^>]*>/g));
  expect([...links].sort()).toEqual(
    ['betterfinance.eu', 'shop.betterfinance.eu']
      .map((name) => `<a href="mailto:${name}@cedricfrancoys.be">`)
      .concat('<a href="mailto:paypal@yesbabylon.com">')
      .sort(),
  );
});
