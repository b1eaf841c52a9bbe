// Word-level diff between a quote and its original, and its two-column view.
// The linking stage may send its own diff (DiffOp[]); when it does not, the
// UI computes one here: a longest-common-subsequence over words compared
// case- and punctuation-insensitively. Cost: O(n*m) time and memory, so the
// inputs are capped (beyond the cap the texts are shown as one change).
import type { DiffOp } from "./api";
import { h } from "./dom";

const MAX_CELLS = 4_000_000;

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

function comparable(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

export function wordDiff(quote: string, original: string): DiffOp[] {
  const a = words(quote);
  const b = words(original);
  if (a.length * b.length > MAX_CELLS) return [{ op: "changed", quote, original }];
  const ka = a.map(comparable);
  const kb = b.map(comparable);
  // lcs[i][j]: common words of a[i..] and b[j..], flattened.
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = ka[i] === kb[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const ops: DiffOp[] = [];
  let inserted: string[] = [];
  let omitted: string[] = [];
  const flush = () => {
    if (inserted.length && omitted.length) ops.push({ op: "changed", quote: inserted.join(" "), original: omitted.join(" ") });
    else if (inserted.length) ops.push({ op: "inserted", quote: inserted.join(" "), original: "" });
    else if (omitted.length) ops.push({ op: "omitted", quote: "", original: omitted.join(" ") });
    inserted = [];
    omitted = [];
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      flush();
      const last = ops[ops.length - 1];
      if (last && last.op === "kept") {
        last.quote += " " + a[i];
        last.original += " " + b[j];
      } else ops.push({ op: "kept", quote: a[i], original: b[j] });
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
      omitted.push(b[j++]);
    } else {
      inserted.push(a[i++]);
    }
  }
  flush();
  return ops;
}

const LABEL: Record<DiffOp["op"], string> = {
  kept: "kept",
  changed: "changed",
  inserted: "inserted by the quoting outlet",
  omitted: "omitted from the quote",
};

// Two columns: the quote (kept, changed, inserted words) and the original
// (kept, changed, omitted words), each coloured by its operation.
export function renderDiff(ops: DiffOp[], quoteTitle: string, originalTitle: string): HTMLElement {
  const left = h("div", { class: "diff-side", "data-side": "quote" }, h("h4", {}, quoteTitle));
  const right = h("div", { class: "diff-side", "data-side": "original" }, h("h4", {}, originalTitle));
  const lp = h("p", {});
  const rp = h("p", {});
  for (const op of ops) {
    if (op.quote) append(lp, op.op, op.quote);
    if (op.original) append(rp, op.op, op.original);
  }
  left.appendChild(lp);
  right.appendChild(rp);
  const counts = { kept: 0, changed: 0, inserted: 0, omitted: 0 };
  for (const op of ops) counts[op.op] += words(op.op === "omitted" ? op.original : op.quote).length;
  const legend = h(
    "p",
    { class: "diff-legend" },
    (Object.keys(counts) as DiffOp["op"][]).map((op) => h("span", { class: `d-${op}` }, `${counts[op]} ${op}`)),
  );
  return h("div", { class: "diff" }, legend, h("div", { class: "diff-columns" }, left, right));
}

function append(p: HTMLElement, op: DiffOp["op"], text: string) {
  if (p.childNodes.length) p.appendChild(document.createTextNode(" "));
  p.appendChild(h("span", { class: `d-${op}`, title: LABEL[op] }, text));
}
