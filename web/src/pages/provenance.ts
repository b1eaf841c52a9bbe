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
  const input = h("input", { type: "text", value: article, placeholder: "article id (from an article page)", name: "article" });
  root.appendChild(
    h(
      "form",
      { class: "inline-form", onsubmit: ((e: Event) => (e.preventDefault(), go("provenance", { article: input.value.trim() }))) as EventListener },
      field("Quotes in article", input),
      h("button", { type: "submit" }, "Show"),
      h("span", { class: "muted" }, " or ", h("a", { href: "#/paste" }, "paste a text to trace")),
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
      q.similarity !== undefined ? h("span", { class: "muted" }, ` · similarity ${(q.similarity * 100).toFixed(0)}%`) : null,
    ),
  );
  card.appendChild(renderDiff(ops, q.article ? `Quote (${q.article.outlet.name})` : "Your text", `Original (${q.original.article.outlet.name})`));
  if (q.chain?.length) {
    card.appendChild(h("h4", {}, "Chain of republications"));
    card.appendChild(h("ol", { class: "chain" }, q.chain.map((c) => h("li", {}, articleLine(c, c.relation ? h("span", { class: "muted" }, ` · ${c.relation}`) : undefined)))));
  }
  return card;
}
