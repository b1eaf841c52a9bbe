// Provenance: each foreign quote beside its state-media original, the
// word-level diff coloured (kept / changed / inserted / omitted), and the
// chain of republications.
import { api, type QuoteLink } from "../api";
import { h } from "../dom";
import { renderDiff, wordDiff } from "../diff";
import { go, href } from "../router";
import { articleLine, errorNotice, field } from "./common";

export async function provenancePage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const article = params.get("article") ?? "";
  const quote = params.get("quote") ?? "";
  if (params.get("feed") === "1") return feedPage(root, params);
  const input = h("input", { type: "text", value: article, placeholder: "article id (from an article page)", name: "article" });
  root.appendChild(
    h(
      "form",
      { class: "inline-form", onsubmit: ((e: Event) => (e.preventDefault(), go("provenance", { article: input.value.trim() }))) as EventListener },
      field("Quotes in article", input),
      h("button", { type: "submit" }, "Show"),
      h("span", { class: "muted" }, " or ", h("a", { href: "#/paste" }, "paste a text to trace"), " or follow the ", h("a", { href: href("provenance", { feed: "1" }) }, "newest traced quotes")),
    ),
  );
  const out = h("div", { class: "quotes" }, h("p", { class: "muted" }, "Loading…"));
  root.appendChild(out);
  let quotes: QuoteLink[];
  try {
    quotes = (await api.quotes({ article, limit: 100 })).quotes;
  } catch (error) {
    out.replaceChildren(errorNotice(error, "Quote provenance"));
    return;
  }
  if (quote) {
    const [b, e] = quote.split("-").map(Number);
    const one = quotes.filter((q) => q.begin === b && q.end === e);
    if (one.length) quotes = one;
  }
  out.replaceChildren();
  if (!quotes.length) out.appendChild(h("p", {}, article ? "No quotes found in this article." : "No quotes found."));
  for (const q of quotes) out.appendChild(quoteCard(q));
}

// How a link was made: a paraphrase is an independent translation (matched on
// content words), not a copy, and says so.
export function matchBadge(match: string, why?: string, confidence?: number): HTMLElement {
  const tip = `${why ? `linked as ${why}` : ""}${confidence !== undefined ? ` · confidence ${confidence.toFixed(2)}` : ""}`;
  return h("span", { class: `match match-${match}`, title: tip || null }, match === "paraphrase" ? "paraphrase (independent translation)" : match);
}

export function quoteCard(q: QuoteLink): HTMLElement {
  const card = h("div", { class: "quote-card" });
  card.appendChild(
    h(
      "div",
      { class: "quote-head" },
      q.article ? articleLine(q.article) : null,
      q.speaker_name || q.speaker ? h("p", { class: "muted" }, `speaker: ${q.speaker_name || q.speaker}`) : null,
    ),
  );
  if (!q.original) {
    card.appendChild(h("blockquote", {}, q.text ?? ""));
    card.appendChild(h("p", { class: "muted" }, "No state-media original found for this quote."));
    return card;
  }
  const ops = q.diff?.length ? q.diff : wordDiff(q.text ?? "", q.original.text);
  card.appendChild(
    h(
      "p",
      { class: "original-line" },
      "Original: ",
      h("a", { href: href("article", {}, [q.original.article.id]) }, q.original.article.title || q.original.article.id),
      ` (${q.original.article.outlet.name}, ${q.original.article.date || "undated"})`,
      q.match ? matchBadge(q.match, q.why, q.confidence) : null,
      q.similarity !== undefined && q.match !== "paraphrase" ? h("span", { class: "muted" }, ` · similarity ${(q.similarity * 100).toFixed(0)}%`) : null,
    ),
  );
  card.appendChild(renderDiff(ops, q.article ? `Quote (${q.article.outlet.name})` : "Your text", `Original (${q.original.article.outlet.name})`));
  if (q.chain?.length) {
    card.appendChild(h("h4", {}, "Chain of republications"));
    card.appendChild(h("ol", { class: "chain" }, q.chain.map((c) => h("li", {}, articleLine(c, c.relation ? h("span", { class: "muted" }, ` · ${c.relation}`) : undefined)))));
  }
  return card;
}

// The feed: the newest traced quotes (GET /api/quotes?newest=1), paged.
async function feedPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const limit = 20;
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  root.appendChild(h("h2", {}, "Newest traced quotes"));
  const out = h("div", { class: "quotes feed" }, h("p", { class: "muted" }, "Loading…"));
  root.appendChild(out);
  let r: { total: number; quotes: QuoteLink[] };
  try {
    r = await api.quotes({ newest: 1, offset, limit });
  } catch (error) {
    out.replaceChildren(errorNotice(error, "The feed of traced quotes"));
    return;
  }
  out.replaceChildren(h("p", { class: "summary muted", "data-total": String(r.total) }, r.total ? `${offset + 1}–${offset + r.quotes.length} of ${r.total} traced quotes, newest ingested first` : "No traced quotes yet: ingest foreign articles that quote state media."));
  for (const q of r.quotes) out.appendChild(quoteCard(q));
  const pager = h("p", { class: "pager" });
  if (offset > 0) pager.appendChild(h("a", { class: "prev", href: href("provenance", { feed: "1", offset: String(Math.max(0, offset - limit)) }) }, "← Newer"));
  if (offset + r.quotes.length < r.total) pager.appendChild(h("a", { class: "next", href: href("provenance", { feed: "1", offset: String(offset + limit) }) }, " Older →"));
  out.appendChild(pager);
}
