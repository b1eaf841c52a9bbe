// Scoring rule of the article-extraction benchmark
// (scrapinghub/article-extraction-benchmark, evaluate.py), reimplemented in JS.
//
// Per page:
//   * tokens = every match of Python's `\w+` (re.UNICODE; case kept);
//   * shingles = all runs of 4 consecutive tokens; a text with fewer than 4
//     tokens gives one shorter shingle (the whole token list); a text with no
//     tokens gives no shingle at all (Python drops the empty tuple);
//   * shingles are compared as multisets: tp = shared, fp = only predicted,
//     fn = only in the truth, then (tp, fp, fn) is divided by its sum (when the
//     sum is > 0) so each page weighs the same;
//   * precision = 1 if fp = fn = 0, 0 if tp = fp = 0, else tp/(tp+fp);
//     recall    = 1 if fp = fn = 0, 0 if tp = fn = 0, else tp/(tp+fn).
// Benchmark:
//   * precision = mean over pages with tp+fp > 0 (pages with no predicted
//     shingles are left out), recall = mean over pages with tp+fn > 0;
//   * f1 = 2PR/(P+R) of those means (not a mean of per-page F1);
//   * accuracy = share of pages whose token list equals the truth's exactly.
//
// Tokenizer choice. Python 3's `\w` on str matches `_` plus every character
// for which str.isalnum() is true, i.e. general categories L* (isalpha) and
// the characters with a numeric value (isnumeric: Nd, Nl, No). It does NOT
// match combining marks (Mn, Mc, Me) nor connector punctuation other than `_`.
// The JS equivalent is therefore  /[\p{L}\p{N}_]+/gu  — adding \p{M} (as one
// might expect from "Unicode word characters") would glue e.g. Devanagari
// vowel signs into tokens where Python splits them. Checked exhaustively over
// all code points against CPython 3.11: the only differences are code points
// unassigned in CPython's Unicode 14 database but assigned in Node's newer
// one, which do not occur in the benchmark.
export const TOKEN_RE = /[\p{L}\p{N}_]+/gu;
export const NGRAM_N = 4;

/** Tokens of a text as Python's re.findall(r'\w+', text) would give them. */
export function tokenize(text) {
  if (typeof text !== 'string' || text.length === 0) return [];
  return text.match(TOKEN_RE) ?? [];
}

// Tokens never contain U+0000, so joining with it keys tuples unambiguously.
const SEP = '\u0000';

/** Multiset of shingles: Map<key, count>. */
export function shingles(tokens, n = NGRAM_N) {
  const counts = new Map();
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const sh = tokens.slice(i, i + n);
    if (sh.length === 0) continue; // Python: `if shingle:` drops the empty tuple
    const key = sh.join(SEP);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Normalized [tp, fp, fn] of one page (string_shingle_matching). */
export function shingleMatching(trueText, predText, n = NGRAM_N) {
  return tpFpFnFromTokens(tokenize(trueText), tokenize(predText), n);
}

function tpFpFnFromTokens(trueTokens, predTokens, n) {
  const t = shingles(trueTokens, n);
  const p = shingles(predTokens, n);
  let tp = 0, fp = 0, fn = 0;
  for (const [key, tc] of t) {
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fn += Math.max(0, tc - pc);
    fp += Math.max(0, pc - tc);
  }
  for (const [key, pc] of p) {
    if (!t.has(key)) fp += pc;
  }
  const s = tp + fp + fn;
  return s > 0 ? [tp / s, fp / s, fn / s] : [tp, fp, fn];
}

export function precisionScore(tp, fp, fn) {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

export function recallScore(tp, fp, fn) {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

function mean(xs) {
  // Python's statistics.mean raises on an empty list; NaN is the honest JS analogue.
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Aggregate metrics from a list of per-page [tp, fp, fn] (metrics_from_tp_fp_fns). */
export function metricsFromTpFpFns(tpFpFns) {
  const precision = mean(tpFpFns.filter(([tp, fp]) => tp + fp > 0)
    .map(([tp, fp, fn]) => precisionScore(tp, fp, fn)));
  const recall = mean(tpFpFns.filter(([tp, , fn]) => tp + fn > 0)
    .map(([tp, fp, fn]) => recallScore(tp, fp, fn)));
  const f1 = 2 * precision * recall / (precision + recall);
  return { f1, precision, recall };
}

function bodyOf(entry) {
  if (entry == null) return '';
  if (typeof entry === 'string') return entry;
  const b = entry.articleBody;
  return typeof b === 'string' ? b : '';
}

/**
 * Accepts predictions either as {"<id>": {"articleBody": "..."}} or wrapped as
 * {"version": ..., "output": {...}} (the peer-output files).
 */
export function unwrapPredictions(predictions) {
  if (predictions && typeof predictions === 'object' && !Array.isArray(predictions)
      && predictions.output && typeof predictions.output === 'object'
      && !('articleBody' in predictions.output)) {
    return predictions.output;
  }
  return predictions;
}

/**
 * Score predictions against the ground truth.
 *   predictions: {"<id>": {"articleBody": "..."}} (or wrapped in {"output": ...})
 *   groundTruth: {"<id>": {"articleBody": "...", "url": "..."}}
 *   options.strict (default false): throw, as evaluate.py does, when the id
 *     sets differ; otherwise a missing prediction counts as an empty body and
 *     extra ids are ignored (both are reported).
 * Returns {f1, precision, recall, accuracy, pages, missing, extra, perPage}.
 *   perPage: [{id, tp, fp, fn, precision, recall, exact}] (tp/fp/fn normalized).
 */
export function scoreBenchmark(predictions, groundTruth, options = {}) {
  const preds = unwrapPredictions(predictions) ?? {};
  const ids = Object.keys(groundTruth);
  const missing = ids.filter((id) => !Object.hasOwn(preds, id));
  const extra = Object.keys(preds).filter((id) => !Object.hasOwn(groundTruth, id));
  if (options.strict && (missing.length || extra.length)) {
    throw new Error(`prediction keys do not match ground truth `
      + `(${missing.length} missing, ${extra.length} extra)`);
  }
  const tpFpFns = [];
  const perPage = [];
  let exact = 0;
  for (const id of ids) {
    const trueTokens = tokenize(bodyOf(groundTruth[id]));
    const predTokens = tokenize(bodyOf(preds[id]));
    const [tp, fp, fn] = tpFpFnFromTokens(trueTokens, predTokens, NGRAM_N);
    tpFpFns.push([tp, fp, fn]);
    const same = trueTokens.length === predTokens.length
      && trueTokens.every((tok, i) => tok === predTokens[i]);
    if (same) exact++;
    perPage.push({
      id, tp, fp, fn,
      precision: tp + fp > 0 ? precisionScore(tp, fp, fn) : null,
      recall: tp + fn > 0 ? recallScore(tp, fp, fn) : null,
      exact: same,
    });
  }
  const { f1, precision, recall } = metricsFromTpFpFns(tpFpFns);
  return {
    f1, precision, recall,
    accuracy: ids.length ? exact / ids.length : NaN,
    pages: ids.length,
    missing, extra, perPage,
  };
}
