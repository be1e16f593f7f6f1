#!/usr/bin/env node
// Conformance of `capifleet render` with `kubectl kustomize` (Kustomize v5.5.0) on any folders:
// every kustomization directory found under them is built by both tools, under both load
// restrictors, and the outputs compared byte for byte. Run `npm run build` first; it uses the
// built command-line tool (dist/cli/capifleet.js). The only kubectl command it runs is
// `kubectl kustomize`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = `usage: node scripts/conformance.mjs [options] DIR...
  Finds every kustomization directory under each DIR, builds it with capifleet render and with
  kubectl kustomize under both load restrictors, and reports identical / different (first differing
  line) / both fail / only one fails, with totals. Exit 0 when every directory agrees, 1 when any
  disagrees, 2 for bad usage.
options:
  --json FILE          also write every result as JSON to FILE
  --timeout SECONDS    per command (default 60); a timeout counts as a failure of that tool
  --jobs N             directories built at once (default: number of cores)
  --restrictor R       root, none or both (default both)
  --capifleet FILE     the capifleet command-line script to test (default: this checkout's dist/cli/capifleet.js)
  --all                list identical and both-fail directories too, not only disagreements`;

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const RESTRICTORS = { root: 'LoadRestrictionsRootOnly', none: 'LoadRestrictionsNone' };
// Kustomizations that name these need the network (remote bases): skipped rather than letting
// kubectl fetch from the internet. helmCharts need --enable-helm, which neither tool is given here,
// so both fail without reaching a chart repository.
const NETWORK_REFERENCE = /^\s*-\s*["']?(?:https?:\/\/|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/|[\w.-]+\/[\w.-]+\/[\w./-]*\?ref=)/m;

const builtCli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'capifleet.js');

function parseArgs(argv) {
  const o = { cli: builtCli, dirs: [], json: undefined, timeoutMs: 60_000, jobs: os.availableParallelism?.() ?? os.cpus().length, restrictors: ['root', 'none'], all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--json') o.json = value();
    else if (a === '--timeout') o.timeoutMs = positive(a, value()) * 1000;
    else if (a === '--jobs') o.jobs = positive(a, value());
    else if (a === '--restrictor') {
      const r = value();
      if (r === 'both') o.restrictors = ['root', 'none'];
      else if (r in RESTRICTORS) o.restrictors = [r];
      else usageError(`--restrictor: expected root, none or both, got ${r}`);
    } else if (a === '--capifleet') o.cli = path.resolve(value());
    else if (a === '--all') o.all = true;
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('-')) usageError(`unknown option ${a}`);
    else o.dirs.push(a);
  }
  if (o.dirs.length === 0) usageError('no folder given');
  return o;
}

function positive(flag, text) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) usageError(`${flag}: expected a positive number, got ${text}`);
  return n;
}

function usageError(message) {
  console.error(`conformance: ${message}\n${USAGE}`);
  process.exit(2);
}

/** Every directory under root holding a kustomization file, sorted; symlinked folders are not followed. */
function findKustomizations(root) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => KUSTOMIZATION_FILES.includes(e.name) && (e.isFile() || e.isSymbolicLink()))) found.push(dir);
    for (const e of entries) if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(path.join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

/** Why a directory is skipped (it needs the network), or undefined. */
function networkReason(dir) {
  for (const name of KUSTOMIZATION_FILES) {
    let text;
    try {
      text = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue;
    }
    if (NETWORK_REFERENCE.test(text)) return 'remote resource (needs the network)';
  }
  return undefined;
}

function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(String(e.message))));
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ ok: code === 0 && !timedOut, stdout: Buffer.concat(out).toString('utf8'), error: timedOut ? `timed out after ${timeoutMs / 1000} s` : firstLine(stderr) });
    });
  });
}

/** The first line of an error output, without kubectl's log prefix (`E1207 15:43:41.981507 10967 run.go:72] "command failed" err=`). */
function firstLine(text) {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const logged = /^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err="(.*)"$/.exec(line);
  return logged ? logged[1] : line;
}

/** 1-based number and both texts of the first line where a and b differ. */
function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return { line: i + 1, capifleet: la[i] ?? '<end of output>', kubectl: lb[i] ?? '<end of output>' };
  }
  return undefined;
}

async function compare(cli, dir, restrictor, timeoutMs) {
  const [cf, kk] = await Promise.all([
    run(process.execPath, [cli, 'render', '--jobs', '1', '--load-restrictor', restrictor, dir], timeoutMs),
    run('kubectl', ['kustomize', '--load-restrictor', RESTRICTORS[restrictor], dir], timeoutMs),
  ]);
  if (!cf.ok && !kk.ok) return { verdict: 'both-fail', capifleetError: cf.error, kubectlError: kk.error };
  if (!cf.ok) return { verdict: 'only-capifleet-fails', capifleetError: cf.error };
  if (!kk.ok) return { verdict: 'only-kubectl-fails', kubectlError: kk.error };
  if (cf.stdout === kk.stdout) return { verdict: 'identical' };
  return { verdict: 'different', firstDifference: firstDifference(cf.stdout, kk.stdout) };
}

/** Runs fn over items with at most `limit` at once, keeping the items' order in the results. */
async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function describe(r) {
  switch (r.verdict) {
    case 'different':
      return `different at line ${r.firstDifference.line}\n      capifleet: ${r.firstDifference.capifleet}\n      kubectl:   ${r.firstDifference.kubectl}`;
    case 'only-capifleet-fails':
      return `only capifleet fails: ${r.capifleetError}`;
    case 'only-kubectl-fails':
      return `only kubectl fails: ${r.kubectlError}`;
    case 'both-fail':
      return `both fail\n      capifleet: ${r.capifleetError}\n      kubectl:   ${r.kubectlError}`;
    case 'skipped':
      return `skipped: ${r.reason}`;
    default:
      return r.verdict;
  }
}

const AGREEING = new Set(['identical', 'both-fail', 'skipped']);
const VERDICTS = ['identical', 'both-fail', 'different', 'only-capifleet-fails', 'only-kubectl-fails', 'skipped'];

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(o.cli)) usageError(`${o.cli} not found: run npm run build first`);
  for (const d of o.dirs) if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) usageError(`not a folder: ${d}`);
  const dirs = [...new Set(o.dirs.flatMap((d) => findKustomizations(path.resolve(d))))];
  const tasks = dirs.flatMap((dir) => o.restrictors.map((restrictor) => ({ dir, restrictor })));
  const results = await mapLimited(tasks, o.jobs, async ({ dir, restrictor }) => {
    const reason = networkReason(dir);
    const r = reason ? { verdict: 'skipped', reason } : await compare(o.cli, dir, restrictor, o.timeoutMs);
    return { dir: path.relative(process.cwd(), dir) || '.', restrictor, ...r };
  });
  for (const r of results) if (o.all || !AGREEING.has(r.verdict)) console.log(`${r.dir} [${r.restrictor}]: ${describe(r)}`);
  const totals = {};
  for (const restrictor of o.restrictors) {
    const mine = results.filter((r) => r.restrictor === restrictor);
    totals[restrictor] = Object.fromEntries(VERDICTS.map((v) => [v, mine.filter((r) => r.verdict === v).length]));
    const t = totals[restrictor];
    const counted = mine.length - t.skipped;
    const agreeing = t.identical + t['both-fail'];
    console.log(
      `${RESTRICTORS[restrictor]}: ${mine.length} directories: ${t.identical} identical, ${t['both-fail']} both fail, ${t.different} different, ` +
        `${t['only-capifleet-fails']} only capifleet fails, ${t['only-kubectl-fails']} only kubectl fails, ${t.skipped} skipped` +
        (counted ? ` (${((100 * agreeing) / counted).toFixed(1)}% agree)` : ''),
    );
  }
  if (o.json) fs.writeFileSync(o.json, `${JSON.stringify({ folders: o.dirs, totals, results }, null, 2)}\n`);
  process.exit(results.every((r) => AGREEING.has(r.verdict)) ? 0 : 1);
}

await main();
