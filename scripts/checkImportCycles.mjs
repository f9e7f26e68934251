#!/usr/bin/env node
// Fails when TypeScript sources import each other in a circle. Every relative import counts,
// `import type` included: a circle of types is still a circle a reader has to untangle.
// Usage: node scripts/checkImportCycles.mjs [dir ...]   (defaults to the packages and apps sources)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const DEFAULT_DIRS = ['packages', 'apps'].flatMap((top) =>
  readdirSync(join(root, top), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, top, e.name, 'src')))
    .map((e) => join(top, e.name, 'src')),
);
const dirs = (process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_DIRS).map((d) => resolve(root, d));

function sourceFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ]) {
    if (existsSync(candidate) && candidate.match(/\.(ts|tsx|mts)$/)) return candidate;
  }
  return undefined;
}

const graph = new Map();
for (const file of dirs.flatMap((d) => sourceFiles(d))) {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const targets = new Set();
  for (const match of text.matchAll(SPECIFIER)) {
    const target = resolveImport(file, match[1] ?? match[2]);
    if (target) targets.add(target);
  }
  graph.set(file, [...targets]);
}

// Tarjan's strongly connected components: every component of more than one file is a circle.
let index = 0;
const indices = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
function connect(node) {
  indices.set(node, index);
  lowlinks.set(node, index);
  index += 1;
  stack.push(node);
  onStack.add(node);
  for (const next of graph.get(node) ?? []) {
    if (!graph.has(next)) continue;
    if (!indices.has(next)) {
      connect(next);
      lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
    } else if (onStack.has(next)) {
      lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
    }
  }
  if (lowlinks.get(node) === indices.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component);
  }
}
for (const node of graph.keys()) if (!indices.has(node)) connect(node);

if (circles.length === 0) {
  console.log(`import cycles: none in ${graph.size} files`);
} else {
  for (const circle of circles) {
    console.error(`import cycle of ${circle.length} files:`);
    for (const file of circle.sort()) console.error(`  ${relative(root, file)}`);
  }
  console.error(`import cycles: ${circles.length} (a file imports, through others, a file that imports it)`);
  process.exit(1);
}
