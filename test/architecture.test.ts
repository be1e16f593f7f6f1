/**
 * The layers of src/, read from the code's own imports: the command line sits on top and nothing
 * else imports it; the top-level folders (and files) of src/ import each other one way only, so
 * no two of them form a circle.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './support/paths.js';

const srcDir = path.join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level part of src/ a file belongs to: its folder, or the file itself at the root. */
function unitOf(file: string): string {
  return path.relative(srcDir, file).split(path.sep)[0]!;
}

/** Every file of src/ a module imports (static, type-only, re-exported or dynamic), resolved. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts'))).filter((p) => p.startsWith(srcDir + path.sep));
}

const edges = new Map<string, Map<string, string>>();
for (const file of sourceFiles(srcDir)) {
  for (const target of importsOf(file)) {
    const from = unitOf(file);
    const to = unitOf(target);
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    // keep one example import per pair, to name in a failure
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${path.relative(repoRoot, file)} → ${path.relative(repoRoot, target)}`);
  }
}

describe('architecture', () => {
  it('reads the imports', () => assert.ok(edges.size > 5, 'no imports between the parts of src/ were found'));

  it('nothing outside src/cli/ imports src/cli/', () => {
    const up = [...edges].filter(([from, to]) => from !== 'cli' && to.has('cli')).map(([, to]) => to.get('cli'));
    assert.deepEqual(up, []);
  });

  it('no two top-level parts of src/ import each other, directly or round a circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (unit: string): void => {
      state.set(unit, 'visiting');
      stack.push(unit);
      for (const next of edges.get(unit)?.keys() ?? []) {
        if (state.get(next) === 'visiting') {
          const circle = [...stack.slice(stack.indexOf(next)), next];
          circles.push(circle.map((u, i) => (i + 1 < circle.length ? edges.get(u)!.get(circle[i + 1]!) : '')).filter(Boolean).join('; '));
        } else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(unit, 'done');
    };
    for (const unit of [...edges.keys()].sort()) if (!state.has(unit)) visit(unit);
    assert.deepEqual(circles, []);
  });
});
