#!/usr/bin/env node
// Mozilla Readability baseline on the article-extraction benchmark.
//
// Usage:
//   node bench/readability/run.mjs [BENCH_DIR] [--out FILE]
//   node bench/readability/run.mjs [BENCH_DIR] --score-only PRED.json
//   node bench/readability/run.mjs [BENCH_DIR] --check-peers
//
// BENCH_DIR defaults to ../shared/article-extraction-benchmark relative to the
// repository root (i.e. /work/shared/article-extraction-benchmark here), or
// $ARTICLE_BENCH_DIR when set. See README.md next to this file.
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { scoreBenchmark } from './score.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const DEFAULT_BENCH_DIR = process.env.ARTICLE_BENCH_DIR
  || resolve(REPO_ROOT, '..', 'shared', 'article-extraction-benchmark');

// Published F1 / P / R from the benchmark README, keyed by peer-output file stem.
const PUBLISHED = {
  rs_trafilatura: { name: 'rs-trafilatura', f1: 0.970, precision: 0.951, recall: 0.990 },
  go_trafilatura: { name: 'go-trafilatura', f1: 0.960, precision: 0.940, recall: 0.980 },
  trafilatura: { name: 'trafilatura 2.0.0', f1: 0.958, precision: 0.938, recall: 0.978 },
  readability_js: { name: 'Readability.js 0.6.0', f1: 0.947, precision: 0.914, recall: 0.982 },
  justext: { name: 'jusText', f1: 0.804, precision: 0.858, recall: 0.756 },
  'html-text': { name: 'html-text (all text)', f1: 0.665, precision: 0.500, recall: 0.994 },
};

function usage(code) {
  const msg = 'usage: node bench/readability/run.mjs [BENCH_DIR] [--out FILE] '
    + '[--score-only PRED.json] [--check-peers]';
  (code ? console.error : console.log)(msg);
  process.exit(code);
}

function parseArgs(argv) {
  const args = { benchDir: null, out: null, scoreOnly: null, checkPeers: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') usage(2);
      return v;
    };
    if (a === '-h' || a === '--help') usage(0);
    else if (a === '--out' || a.startsWith('--out=')) args.out = value();
    else if (a === '--score-only' || a.startsWith('--score-only=')) args.scoreOnly = value();
    else if (a === '--check-peers') args.checkPeers = true;
    else if (a.startsWith('-')) usage(2);
    else if (args.benchDir === null) args.benchDir = a;
    else usage(2);
  }
  args.benchDir = resolve(args.benchDir ?? DEFAULT_BENCH_DIR);
  return args;
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const round = (x, d = 6) => (Number.isFinite(x) ? Number(x.toFixed(d)) : x);

function metricsJson(score) {
  return {
    f1: round(score.f1),
    precision: round(score.precision),
    recall: round(score.recall),
    accuracy: round(score.accuracy),
  };
}

function scoreOnly(predPath, groundTruth) {
  const score = scoreBenchmark(readJson(predPath), groundTruth);
  const result = { tool: basename(predPath), pages: score.pages, ...metricsJson(score) };
  if (score.missing.length) result.missing = score.missing.length;
  if (score.extra.length) result.extra = score.extra.length;
  console.log(JSON.stringify(result, null, 2));
}

function checkPeers(benchDir, groundTruth) {
  const peerDir = join(benchDir, 'peer-output');
  const files = existsSync(peerDir)
    ? readdirSync(peerDir).filter((f) => f.endsWith('.json')).sort() : [];
  const rows = [];
  let mismatches = 0;
  for (const f of files) {
    const stem = f.replace(/\.json$/, '');
    const score = scoreBenchmark(readJson(join(peerDir, f)), groundTruth);
    const pub = PUBLISHED[stem];
    const got = { f1: score.f1, precision: score.precision, recall: score.recall };
    const diffs = pub
      ? ['f1', 'precision', 'recall'].filter((k) => got[k].toFixed(3) !== pub[k].toFixed(3))
      : null;
    if (diffs && diffs.length) mismatches++;
    rows.push({
      file: f,
      published: pub ? { f1: pub.f1, precision: pub.precision, recall: pub.recall } : null,
      ...metricsJson(score),
      match_3dp: pub ? diffs.length === 0 : null,
      ...(diffs && diffs.length ? { mismatched: diffs } : {}),
      ...(score.missing.length ? { missing: score.missing.length } : {}),
    });
  }
  console.log(JSON.stringify({ peers: rows.length, mismatches, results: rows }, null, 2));
  return mismatches;
}

async function loadReadability() {
  try {
    const { Readability } = await import('@mozilla/readability');
    const { JSDOM, VirtualConsole } = await import('jsdom');
    const version = (pkg) => readJson(join(HERE, 'node_modules', ...pkg.split('/'), 'package.json')).version;
    return { Readability, JSDOM, VirtualConsole,
      tool: `@mozilla/readability@${version('@mozilla/readability')} + jsdom@${version('jsdom')}` };
  } catch (err) {
    console.error(`cannot load @mozilla/readability / jsdom (${err.code ?? err.message}).\n`
      + `Install them first:  (cd ${HERE} && npm ci)`);
    process.exit(1);
  }
}

async function runReadability(benchDir, groundTruth, outPath) {
  const { Readability, JSDOM, VirtualConsole, tool } = await loadReadability();
  const ids = Object.keys(groundTruth);

  // Read + gunzip everything up front: I/O and decompression are not timed.
  const pages = ids.map((id) => {
    const path = join(benchDir, 'html', `${id}.html.gz`);
    const html = existsSync(path) ? gunzipSync(readFileSync(path)).toString('utf8') : null;
    return { id, url: groundTruth[id].url, html };
  });
  const absent = pages.filter((p) => p.html === null).map((p) => p.id);

  // jsdom reports CSS it cannot parse etc. on its virtual console; keep it quiet.
  const virtualConsole = new VirtualConsole();

  const predictions = {};
  let failures = 0;
  const t0 = performance.now();
  for (const { id, url, html } of pages) {
    let body = '';
    if (html !== null) {
      try {
        const dom = new JSDOM(html, { url, virtualConsole });
        const article = new Readability(dom.window.document).parse();
        body = article?.textContent ?? '';
        if (!article) failures++;
        dom.window.close();
      } catch (err) {
        failures++;
        if (process.env.BENCH_VERBOSE) console.error(`${id}: ${err.message}`);
      }
    } else {
      failures++;
    }
    predictions[id] = { articleBody: body };
  }
  const seconds = (performance.now() - t0) / 1000;

  if (outPath) writeFileSync(outPath, JSON.stringify(predictions, null, 1) + '\n');

  const score = scoreBenchmark(predictions, groundTruth);
  const result = {
    tool,
    pages: ids.length,
    seconds: round(seconds, 3),
    pages_per_second: round(ids.length / seconds, 2),
    ...metricsJson(score),
    failures,
    node: process.version,
  };
  if (absent.length) result.missing_html = absent.length;
  console.log(JSON.stringify(result, null, 2));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const gtPath = join(args.benchDir, 'ground-truth.json');
  if (!existsSync(gtPath)) {
    console.log(`article-extraction benchmark not found at ${args.benchDir} `
      + `(no ground-truth.json); nothing to do. Pass BENCH_DIR or set ARTICLE_BENCH_DIR.`);
    process.exit(0);
  }
  const groundTruth = readJson(gtPath);
  if (args.checkPeers) {
    // Non-zero exit when a peer's score differs from the published table.
    process.exitCode = checkPeers(args.benchDir, groundTruth) ? 1 : 0;
    return;
  }
  if (args.scoreOnly) {
    scoreOnly(args.scoreOnly, groundTruth);
    return;
  }
  await runReadability(args.benchDir, groundTruth, args.out);
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
