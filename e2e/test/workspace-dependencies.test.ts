/**
 * What each workspace imports is what its package.json declares, and dependencies point one way.
 *
 * The service images install only `npm ci --omit=dev --workspace services/<name> --workspace cli` (see
 * services/<name>/Dockerfile): a package a service's code imports but nobody in its dependency closure declares
 * works here, where the root node_modules holds everything, and fails in the image at boot. No Docker engine
 * runs on the development machines, so this static check stands in for building the images:
 *   - every package a workspace's `src/` imports is in its `dependencies` (its `test/` and `bench/` may also
 *     use `devDependencies`);
 *   - the runtime closure of each service plus the CLI (the chart's setup Job) holds every package its code
 *     reaches, following workspace dependencies only through `dependencies`;
 *   - workspaces depend one way: libs on libs only, services never on other services or simulators at run
 *     time, simulators on libs only, nothing on e2e.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Workspace {
  dir: string;
  name: string;
  kind: 'libs' | 'services' | 'simulators' | 'cli' | 'e2e';
  dependencies: Set<string>;
  devDependencies: Set<string>;
}

function readWorkspaces(): Map<string, Workspace> {
  const dirs = ['libs', 'services', 'simulators'].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => join(group, name)),
  );
  dirs.push('cli', 'e2e');
  const workspaces = new Map<string, Workspace>();
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    workspaces.set(manifest.name, {
      dir,
      name: manifest.name,
      kind: dir.split('/')[0] as Workspace['kind'],
      dependencies: new Set(Object.keys(manifest.dependencies ?? {})),
      devDependencies: new Set(Object.keys(manifest.devDependencies ?? {})),
    });
  }
  return workspaces;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    // node_modules, and this file: its own examples below are not imports.
    if (entry === 'node_modules' || entry === 'workspace-dependencies.test.ts') return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

const builtins = new Set(builtinModules);
const packageSpecifier = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]*)?$/i;
const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** The packages a file imports (bare specifiers reduced to the package name; relative and node builtins left out). */
export function importedPackages(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) continue;
    if (!packageSpecifier.test(specifier)) continue; // e.g. `from","` inside a comment
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
    if (builtins.has(name)) continue;
    found.add(name);
  }
  return [...found];
}

/** Package name → files of `dir` importing it. */
function importsOf(dir: string): Map<string, string[]> {
  const byPackage = new Map<string, string[]>();
  for (const file of sourceFiles(join(root, dir))) {
    for (const name of importedPackages(readFileSync(file, 'utf8'))) {
      const files = byPackage.get(name) ?? [];
      files.push(relative(root, file));
      byPackage.set(name, files);
    }
  }
  return byPackage;
}

const workspaces = readWorkspaces();

test('the import scanner sees static, side-effect and dynamic imports and skips builtins and relatives', () => {
  const source = [
    "import { z } from 'zod';",
    "import type { Admin } from 'kafkajs';",
    "import '@mlc/observability/register';",
    "const m = await import('@grpc/grpc-js');",
    "import { readFile } from 'node:fs/promises';",
    "import { join } from 'path';",
    "import { x } from './x.js';",
    ' * SIM_JDE_AIS_OPEN_PERIODS (JSON {"00001":[{"from","to"}]})',
  ].join('\n');
  assert.deepEqual(importedPackages(source).sort(), [
    '@grpc/grpc-js',
    '@mlc/observability',
    'kafkajs',
    'zod',
  ]);
});

test("every package a workspace's code imports is declared in its package.json", () => {
  const problems: string[] = [];
  for (const ws of workspaces.values()) {
    for (const [sub, allowDev] of [
      ['src', false],
      ['test', true],
      ['bench', true],
    ] as const) {
      for (const [name, files] of importsOf(join(ws.dir, sub))) {
        if (name === ws.name) continue;
        if (ws.dependencies.has(name)) continue;
        if (allowDev && ws.devDependencies.has(name)) continue;
        // The root's devDependencies (tsx, typescript, fast-check, @types/node) serve every workspace's tests.
        if (allowDev && ['fast-check', 'tsx', 'typescript'].includes(name)) continue;
        problems.push(
          `${ws.dir}/package.json does not declare "${name}" in ${allowDev ? 'dependencies or devDependencies' : 'dependencies'}, imported by ${files.slice(0, 3).join(', ')}`,
        );
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('workspace dependencies point one way: libs ← services, simulators, cli ← e2e', () => {
  const allowed: Record<Workspace['kind'], Array<Workspace['kind']>> = {
    libs: ['libs'],
    services: ['libs'],
    simulators: ['libs'],
    cli: ['libs'],
    e2e: ['libs', 'services', 'simulators', 'cli'],
  };
  const problems: string[] = [];
  for (const ws of workspaces.values()) {
    for (const name of ws.dependencies) {
      const target = workspaces.get(name);
      if (target && !allowed[ws.kind].includes(target.kind))
        problems.push(
          `${ws.dir} depends at run time on ${target.dir} (${ws.kind} may depend on ${allowed[ws.kind].join(', ')})`,
        );
    }
    for (const name of ws.devDependencies) {
      const target = workspaces.get(name);
      if (target?.kind === 'e2e' || (target?.kind === 'services' && ws.kind !== 'e2e' && target !== ws))
        problems.push(`${ws.dir} depends in its tests on ${target.dir}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('each service image (service + CLI, production dependencies only) holds every package its code reaches', () => {
  const problems: string[] = [];
  for (const service of [...workspaces.values()].filter((ws) => ws.kind === 'services')) {
    const cli = workspaces.get('@mlc/cli');
    assert.ok(cli, 'cli/package.json names @mlc/cli');
    // What `npm ci --omit=dev --workspace <service> --workspace cli` installs: the closure over `dependencies`.
    const installed = new Set<string>();
    const pending = [service.name, cli.name];
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (installed.has(name)) continue;
      installed.add(name);
      const ws = workspaces.get(name);
      if (ws) pending.push(...ws.dependencies);
    }
    // Every workspace in the closure ships its src/, and each of its imports must be installed.
    for (const name of installed) {
      const ws = workspaces.get(name);
      if (!ws) continue;
      for (const [imported, files] of importsOf(join(ws.dir, 'src'))) {
        if (imported !== ws.name && !installed.has(imported))
          problems.push(`${service.dir} image lacks "${imported}" (imported by ${files[0]})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
