// The shape of the code, checked: no import cycles among the project's modules (type-only imports included), and no
// function in the application code longer than about 60 lines. Both are read from the sources with TypeScript's own
// parser, so a change that breaks them fails here with the files and functions named.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/toolchain.mjs';

const APPLICATION = [
  'domain',
  'workflows',
  'activities',
  'worker',
  'api',
  'auth',
  'contracts',
  'store',
  'config',
  'ops',
  'scripts',
  'bench',
];
const MAX_FUNCTION_LINES = 60;

function sources(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts)$/.test(f) && !/\.d\.m?ts$/.test(f)) out.push(p);
    }
  };
  for (const d of dirs) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  return out.sort();
}

/** Each file's project-local imports (value and type), resolved to files. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const imp of ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const base = resolve(dirname(f), imp.fileName);
      const target = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.mjs$/, '.mts')].find((c) => known.has(c));
      if (target) deps.push(target);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
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
        component.push(relative(ROOT, w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every function with its length in lines (declarations, expressions, arrows, methods). */
function functionLengths(files: string[]): { where: string; lines: number }[] {
  const out: { where: string; lines: number }[] = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
    const visit = (n: ts.Node) => {
      if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) {
        const p = n.parent;
        const name = n.name?.getText() ?? (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) ? p.name.getText() : '(anonymous)');
        out.push({ where: `${relative(ROOT, f)}:${line(n.getStart()) + 1} ${name}`, lines: line(n.end) - line(n.getStart()) + 1 });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out.sort((a, b) => b.lines - a.lines);
}

describe('the command registry', () => {
  it('has each command defined once: no module table overrides another', async () => {
    const tables = await Promise.all([
      import('../../domain/lifecycle-commands.ts').then((m) => m.LIFECYCLE_COMMANDS),
      import('../../domain/compliance.ts').then((m) => m.COMPLIANCE_COMMANDS),
      import('../../domain/risk.ts').then((m) => m.RISK_COMMANDS),
      import('../../domain/transfers.ts').then((m) => m.TRANSFER_COMMANDS),
      import('../../domain/court-reports.ts').then((m) => m.COURT_REPORT_COMMANDS),
      import('../../domain/progress.ts').then((m) => m.PROGRESS_COMMANDS),
      import('../../domain/access.ts').then((m) => m.ACCESS_COMMANDS),
    ]);
    const names = tables.flatMap((t) => Object.keys(t));
    const { COMMAND_TYPES } = await import('../../domain/commands.ts');
    expect(names.length).toBe(33);
    expect(new Set(names).size).toBe(names.length);
    expect([...COMMAND_TYPES].sort()).toEqual([...names].sort());
  });
});

describe('architecture', () => {
  const files = sources(APPLICATION);

  it('finds the sources it checks', () => {
    expect(files.map((f) => relative(ROOT, f))).toEqual(
      expect.arrayContaining(['domain/lifecycle.ts', 'workflows/sentence.ts', 'api/app.ts']),
    );
  });

  it('has no import cycles', () => {
    expect(cycles(importGraph(files))).toEqual([]);
  });

  it('keeps the domain pure: its modules import only one another (the worker shares them between sentences)', () => {
    const domain = join(ROOT, 'domain');
    const outside: string[] = [];
    for (const f of files.filter((x) => x.startsWith(`${domain}/`))) {
      for (const imp of ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles) {
        const inside = imp.fileName.startsWith('.') && resolve(dirname(f), imp.fileName).startsWith(`${domain}/`);
        if (!inside) outside.push(`${relative(ROOT, f)} imports ${imp.fileName}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('detects a cycle when there is one (the check can fail)', () => {
    const a = join(ROOT, 'a.ts');
    const b = join(ROOT, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(functionLengths(files).filter((f) => f.lines > MAX_FUNCTION_LINES)).toEqual([]);
  });
});
