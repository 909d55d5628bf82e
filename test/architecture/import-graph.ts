/**
 * The import graph of `src/`, resolved by TypeScript's own module resolution (the rules `tsc` builds with), so a
 * path the compiler follows is an edge here and nothing else is. Type-only imports and `export … from` count: they
 * couple modules as much as value imports do. Dynamic `import()` counts too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to `src/`, with `/` separators. */
  readonly from: string;
  /** Imported file, relative to `src/`. */
  readonly to: string;
}

const SOURCE = /\.(?:ts|js)$/;

/** Every `.ts` module under `root` (and the page's `.js` modules), relative to `root`. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'vendor') walk(path);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts'))
        files.push(posix(relative(root, path)));
    }
  };
  walk(root);
  return files.sort();
}

/** The edges between files under `root` (imports of packages and of files outside `root` are left out). */
export function importGraph(root: string): ImportEdge[] {
  const { config } = ts.readConfigFile(join(root, '..', 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, join(root, '..'));
  const compilerOptions = { ...options, allowJs: true };
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const path = join(root, file);
    const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
    for (const imported of importedFiles) {
      const resolved = ts.resolveModuleName(imported.fileName, path, compilerOptions, ts.sys).resolvedModule;
      if (resolved === undefined) {
        if (imported.fileName.startsWith('.'))
          throw new Error(`${file}: cannot resolve "${imported.fileName}"`);
        continue;
      }
      if (resolved.isExternalLibraryImport) continue;
      const to = posix(relative(root, resolved.resolvedFileName));
      if (!to.startsWith('..')) edges.push({ from: file, to });
    }
  }
  return edges;
}

/** The strongly connected components with more than one member (Tarjan's algorithm): every cycle lies in one. */
export function cycles(edges: readonly { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (from === to) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

function posix(path: string): string {
  return path.split(sep).join('/');
}
