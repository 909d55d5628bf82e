/**
 * Function lengths in `src/` (the page's `.js` modules included), measured on TypeScript's syntax tree: a function
 * spans from its first token to its closing brace, nested functions included (a long function does not become
 * short by wrapping its body in callbacks).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { sourceFiles } from './import-graph.js';

export interface FunctionLength {
  /** `path/under/src.ts:name`, the name as a reader finds it (see `nameOf`). */
  readonly id: string;
  readonly lines: number;
}

/**
 * The name a function is known by: its own, its variable's or property's, or for a callback the call it is passed
 * to (`router.get('/x')`), prefixed by the functions around it, so an entry does not move when lines above it do.
 */
function nameOf(node: ts.SignatureDeclaration, sf: ts.SourceFile): string {
  const own =
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isGetAccessor(node) ||
      ts.isSetAccessor(node)) &&
    node.name
      ? node.name.getText(sf)
      : ts.isConstructorDeclaration(node)
        ? 'constructor'
        : undefined;
  if (own) return own;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(sf);
  if (ts.isCallExpression(parent)) {
    const first = parent.arguments[0];
    const label = first && ts.isStringLiteralLike(first) ? `(${JSON.stringify(first.text)})` : '()';
    return `${parent.expression.getText(sf)}${label}`;
  }
  return '<anonymous>';
}

const isFunction = (n: ts.Node): n is ts.SignatureDeclaration & { body?: ts.Node } =>
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isFunctionExpression(n) ||
  ts.isArrowFunction(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessor(n) ||
  ts.isSetAccessor(n);

/** Every function with a body in one file's text. */
export function functionLengths(path: string, text: string): FunctionLength[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: FunctionLength[] = [];
  const visit = (node: ts.Node, outer: string): void => {
    let scope = outer;
    if (isFunction(node) && node.body) {
      const name = nameOf(node, sf);
      scope = outer ? `${outer} > ${name}` : name;
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ id: `${path}:${scope}`, lines: last - first + 1 });
    } else if (ts.isClassDeclaration(node) && node.name) {
      scope = outer ? `${outer} > ${node.name.text}` : node.name.text;
    }
    ts.forEachChild(node, (child) => visit(child, scope));
  };
  visit(sf, '');
  return out;
}

/** Every function under `root` (relative paths), longest first. */
export function allFunctionLengths(root: string): FunctionLength[] {
  return sourceFiles(root)
    .flatMap((file) => functionLengths(file, readFileSync(join(root, file), 'utf8')))
    .sort((a, b) => b.lines - a.lines || a.id.localeCompare(b.id));
}
