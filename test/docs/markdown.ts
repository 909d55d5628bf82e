/**
 * Code blocks of a markdown file, fenced (```lang) or indented (four spaces after a blank line, outside lists), with
 * the HTML comment that may stand right before each (`<!-- not-run: needs Docker -->`).
 */
export interface CodeBlock {
  /** The fence's language (`sh`, `yaml`, `js`, …); `sh` for an indented block, which the README uses for commands. */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the block's first line of code. */
  readonly line: number;
  readonly fenced: boolean;
  /** The comment on the closest non-blank line before the block, without `<!--` and `-->`. */
  readonly marker: string | undefined;
  /** The heading the block stands under. */
  readonly section: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;

/** Every code block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let section = '';
  let inList = false;
  let i = 0;
  const markerBefore = (index: number): string | undefined => {
    let j = index - 1;
    while (j >= 0 && (lines[j] ?? '').trim() === '') j--;
    const m = /^\s*<!--\s*([\s\S]*?)\s*-->\s*$/.exec(lines[j] ?? '');
    return m?.[1];
  };
  while (i < lines.length) {
    const text = lines[i] ?? '';
    const fence = FENCE.exec(text);
    if (/^#{1,6}\s/.test(text)) section = text.replace(/^#+\s*/, '');
    if (fence) {
      const [, indent = '', marks = '```', lang = ''] = fence;
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !(lines[j] ?? '').trimStart().startsWith(marks)) {
        body.push((lines[j] ?? '').slice(Math.min(indent.length, (lines[j] ?? '').search(/\S|$/))));
        j++;
      }
      blocks.push({
        lang,
        code: body.join('\n') + '\n',
        line: i + 2,
        fenced: true,
        marker: markerBefore(i),
        section,
      });
      i = j + 1;
      continue;
    }
    const previousBlank = i === 0 || (lines[i - 1] ?? '').trim() === '';
    if (/^( {4}|\t)/.test(text) && previousBlank && !inList) {
      const body: string[] = [];
      let j = i;
      while (j < lines.length && (/^( {4}|\t)/.test(lines[j] ?? '') || (lines[j] ?? '').trim() === '')) {
        body.push((lines[j] ?? '').replace(/^( {4}|\t)/, ''));
        j++;
      }
      while (body.length > 0 && (body[body.length - 1] ?? '').trim() === '') body.pop();
      blocks.push({
        lang: 'sh',
        code: body.join('\n') + '\n',
        line: i + 1,
        fenced: false,
        marker: markerBefore(i),
        section,
      });
      i = j;
      continue;
    }
    if (text.trim() !== '') inList = LIST_ITEM.test(text) || (inList && /^\s+\S/.test(text));
    i++;
  }
  return blocks;
}
