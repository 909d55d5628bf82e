/** The library's exports (`import … from 'ovsim'`) are documented: in the code (TSDoc) and in docs/library.md. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function exportsOfIndex(): { name: string; documented: boolean; file: string; value: boolean }[] {
  const program = ts.createProgram([path.join(ROOT, 'src/index.ts')], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(ROOT, 'src/index.ts'));
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (!moduleSymbol) throw new Error('src/index.ts has no exports');
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '?';
    const value = (symbol.flags & ts.SymbolFlags.Value) !== 0;
    return { name: exported.name, documented: doc.length > 0, file: path.relative(ROOT, file), value };
  });
}

describe('the library API', () => {
  const exported = exportsOfIndex();
  const guide = readFileSync(path.join(ROOT, 'docs/library.md'), 'utf8');

  it('exports what the guide describes', () => {
    expect(exported.map((e) => e.name)).toEqual(expect.arrayContaining(['createServer', 'runCli', 'Engine']));
  });

  it('has a TSDoc comment on every export', () => {
    expect(exported.filter((e) => !e.documented).map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it('names every value export in docs/library.md', () => {
    const missing = exported.filter((e) => e.value && !new RegExp(`\\b${e.name}\\b`).test(guide));
    expect(missing.map((e) => e.name)).toEqual([]);
  });
});
