/**
 * The architecture, enforced: `src/` is layered, every import points down (or sideways within a layer), and no
 * import cycle exists between files or between folders. docs/architecture.md explains the layers; this table is
 * the one that counts.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, sourceFiles, type ImportEdge } from './import-graph.js';

/** Lowest first. A unit is a top-level folder of `src/` or a file directly in it. */
export const LAYERS: readonly { readonly layer: string; readonly units: readonly string[] }[] = [
  // Leaf helpers every layer may use: they import nothing from src/.
  { layer: 'foundation', units: ['errors.ts', 'suggest.ts', 'package-root.ts'] },
  // The vocabulary: wire tables, entities, facts, commands, Java helpers, renderers of facts.
  { layer: 'vocabulary', units: ['model'] },
  { layer: 'engine', units: ['engine'] },
  // Scenario files and traffic generation: they only plan commands.
  { layer: 'planning', units: ['scenario', 'generate'] },
  // Independent judges of a run: the lifecycle validator and the ground truth.
  { layer: 'oracles', units: ['validate', 'truth'] },
  // I/O, timers and threads: delivery, pacing, parallel generation, configuration files, scoring inputs.
  { layer: 'adapters', units: ['config', 'sinks', 'runtime', 'score'] },
  { layer: 'entry points', units: ['server', 'cli'] },
  // The library's public API re-exports everything, the CLI included.
  { layer: 'public API', units: ['index.ts'] },
];

/**
 * Imports exempted from the rules, each `from -> to` (paths under src/); the list may only shrink. An entry
 * that no longer matches an import fails the test.
 */
const ALLOWED: readonly string[] = [
  // main's run and load commands (chaos branch) share options both ways again; they are being rewritten there.
  'cli/commands/run.ts -> cli/commands/load.ts',
];

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

const unitOf = (file: string): string => file.split('/')[0]!;
const rank = new Map(LAYERS.flatMap(({ units }, i) => units.map((u) => [u, i] as const)));
const layerOf = (file: string): string => LAYERS[rank.get(unitOf(file))!]!.layer;
const key = (e: ImportEdge): string => `${e.from} -> ${e.to}`;

/** Imports that point to a higher layer. */
export function upwardImports(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((e) => rank.get(unitOf(e.to))! > rank.get(unitOf(e.from))!)
    .map((e) => `${key(e)} (${layerOf(e.from)} imports ${layerOf(e.to)})`);
}

/** Cycles among the units (top-level folders and files), from the file edges between different units. */
export function unitCycles(edges: readonly ImportEdge[]): string[][] {
  return cycles(
    edges
      .filter((e) => unitOf(e.from) !== unitOf(e.to))
      .map((e) => ({ from: unitOf(e.from), to: unitOf(e.to) })),
  );
}

describe('architecture', () => {
  const all = importGraph(SRC);
  const allowed = new Set(ALLOWED);
  const edges = all.filter((e) => !allowed.has(key(e)));

  it('places every file of src/ in a layer', () => {
    const units = new Set(sourceFiles(SRC).map(unitOf));
    const unplaced = [...units].filter((u) => !rank.has(u));
    expect(unplaced, 'add each to a layer in LAYERS and in docs/architecture.md').toEqual([]);
    const stale = [...rank.keys()].filter((u) => !units.has(u));
    expect(stale, 'units in LAYERS that no longer exist').toEqual([]);
  });

  it('has no import against the direction of the layers', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(edges)).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    expect(unitCycles(edges)).toEqual([]);
  });

  it('allows only imports that still exist', () => {
    const existing = new Set(all.map(key));
    expect(ALLOWED.filter((a) => !existing.has(a))).toEqual([]);
  });
});

describe('the architecture checks themselves', () => {
  it('see the imports of src/, type-only and dynamic ones included', () => {
    const edges = importGraph(SRC).map(key);
    // A static import, a type-only import and a lazily loaded command.
    expect(edges).toContain('engine/engine.ts -> engine/world.ts');
    expect(edges).toContain('index.ts -> engine/engine.ts');
    expect(edges).toContain('cli/commands/index.ts -> cli/commands/generate.ts');
  });

  it('find cycles, long and short, and nothing in a tree', () => {
    const e = (from: string, to: string) => ({ from, to });
    expect(cycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd'), e('x', 'y'), e('y', 'x')])).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
    expect(cycles([e('a', 'b'), e('a', 'c'), e('b', 'c')])).toEqual([]);
  });

  it('find an import that points up, and a cycle between folders', () => {
    const up = { from: 'engine/x.ts', to: 'scenario/y.ts' };
    expect(upwardImports([up])).toEqual(['engine/x.ts -> scenario/y.ts (engine imports planning)']);
    expect(upwardImports([{ from: 'scenario/y.ts', to: 'engine/x.ts' }])).toEqual([]);
    expect(
      unitCycles([
        { from: 'sinks/a.ts', to: 'runtime/b.ts' },
        { from: 'runtime/c.ts', to: 'sinks/d.ts' },
      ]),
    ).toEqual([['runtime', 'sinks']]);
  });
});
