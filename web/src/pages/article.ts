// Article: the clean text with its annotations highlighted by kind (entities,
// quotes, dates, events, works — whatever the stored Document has), the
// removed boilerplate behind a toggle, links and the metadata panel.
import { api, type Article, type Echo, type QuoteLink, type SpanJson } from "../api";
import { renderDiff } from "../diff";
import { h } from "../dom";
import { href } from "../router";
import { articleLine, citation, errorNotice, outletBadge, plural } from "./common";
import { articleHistory } from "./ledger";
import { matchBadge } from "./provenance";

export async function articlePage(root: HTMLElement, _params: URLSearchParams, path: string[]): Promise<void> {
  const id = path[0];
  if (!id) {
    root.appendChild(h("p", {}, "Pick an article from a ", h("a", { href: "#/search" }, "search"), "."));
    return;
  }
  let a: Article;
  try {
    a = await api.article(id);
  } catch (error) {
    root.appendChild(errorNotice(error, "This article"));
    return;
  }
  document.title = `${a.title || "article"} — echotrace`;
  const showRemoved = h("input", { type: "checkbox", id: "show-removed" });
  const text = h("article", { class: "article-text hide-removed" });
  showRemoved.addEventListener("change", () => text.classList.toggle("hide-removed", !showRemoved.checked));

  const quoteLinks = a.links?.quotes ?? [];
  for (const block of a.blocks) {
    const tag = block.kind === "title" ? "h1" : "p";
    const el = h(tag, { class: `block ${block.kind}`, "data-label": block.label || null });
    if (block.kind === "boilerplate") el.appendChild(h("span", { class: "removed-label" }, block.label || "removed"));
    renderSpans(el, a, block, quoteLinks);
    text.appendChild(el);
  }
  if (!a.blocks.length) text.appendChild(h("p", { class: "muted" }, "(no text)"));

  const counts = new Map<string, number>();
  for (const s of a.annotations) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const legend = h(
    "p",
    { class: "legend" },
    counts.size
      ? [...counts].map(([kind, n]) => h("span", { class: `ann ann-${kind}` }, `${n} ${plural(n, kind)}`))
      : h("span", { class: "muted" }, "No annotations stored for this article yet (entities, quotes and dates appear once the annotation stage has run)."),
  );

  const toolbar = h(
    "div",
    { class: "toolbar" },
    h("label", { class: "toggle" }, showRemoved, ` show removed boilerplate (${a.removed.length} blocks)`),
    a.annotations.some((s) => s.kind === "quote") ? h("a", { href: href("provenance", { article: a.id }) }, "Quote provenance →") : null,
    citeButton(a),
  );
  const history = await articleHistory(a); // versions' word diff and the URL's ledger entries
  root.appendChild(h("div", { class: "article-layout" }, h("div", {}, toolbar, legend, text, history, echoedBy(a)), metadata(a)));
}

// "Cite": outlet, date, title, URL and the words selected in the text (else
// the first paragraph's opening), copied to the clipboard.
function citeButton(a: Article): HTMLElement {
  const button = h("button", { type: "button", class: "copy secondary small cite", title: "copy a citation: outlet, date, title, URL and the selected words" }, "Cite");
  button.addEventListener("click", async () => {
    const selection = window.getSelection()?.toString().trim() ?? "";
    const opening = a.body.split(/\n/).find((p) => p.trim()) ?? "";
    const quote = selection || (opening.length > 240 ? opening.slice(0, 240).replace(/\s+\S*$/, "") + " …" : opening);
    const text = citation(a, quote);
    button.dataset.copy = text;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed";
    }
    setTimeout(() => (button.textContent = "Cite"), 2000);
  });
  return button;
}

// A state-media article: the foreign articles whose quotes were traced to it,
// each with its diff and how it was matched (a paraphrase says so).
function echoedBy(a: Article): HTMLElement | null {
  const echoes = a.links?.echoed_by ?? [];
  if (!a.outlet.state_media && !echoes.length) return null;
  const panel = h("section", { class: "echoed-by" }, h("h3", {}, `Echoed by${a.links?.echoes ? ` (${a.links.echoes})` : ""}`));
  if (!a.links_available) panel.appendChild(h("p", { class: "muted small" }, "Linking is not available in this build yet."));
  else if (!echoes.length) panel.appendChild(h("p", { class: "muted small" }, "No foreign article quoting this one has been ingested yet."));
  for (const e of echoes) panel.appendChild(echoCard(e));
  return panel;
}

function echoCard(e: Echo): HTMLElement {
  return h(
    "div",
    { class: `quote-card echo echo-${e.match}` },
    h("div", { class: "quote-head" }, articleLine(e.article, matchBadge(e.match, e.why, e.confidence))),
    e.match === "paraphrase" || !e.diff.length
      ? h("div", { class: "paraphrase-pair" }, h("blockquote", { class: "quote" }, e.quote), h("blockquote", { class: "original" }, e.original))
      : renderDiff(e.diff, `Quote (${e.article.outlet.name})`, "This article"),
  );
}

// Splits a block at every annotation boundary inside it; each piece carries
// the classes of all annotations covering it (they may overlap).
function renderSpans(el: HTMLElement, a: Article, block: SpanJson, quoteLinks: QuoteLink[]) {
  const inside = a.annotations.filter((s) => s.begin16 < block.end16 && s.end16 > block.begin16);
  const cuts = new Set<number>([block.begin16, block.end16]);
  for (const s of inside) {
    cuts.add(Math.max(s.begin16, block.begin16));
    cuts.add(Math.min(s.end16, block.end16));
  }
  const points = [...cuts].sort((x, y) => x - y);
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = a.text.slice(from, to);
    const covering = inside.filter((s) => s.begin16 <= from && s.end16 >= to);
    if (!covering.length) {
      el.appendChild(document.createTextNode(piece));
      continue;
    }
    const classes = covering.map((s) => `ann ann-${s.kind}${s.label ? ` ann-${s.kind}-${s.label}` : ""}`).join(" ");
    const tip = covering.map((s) => `${s.kind}${s.label ? "/" + s.label : ""}${s.key ? ": " + s.key : ""}${Object.entries(s.attrs).map(([k, v]) => `; ${k}=${v}`).join("")}`).join("\n");
    // An entity with an id is a link to its page.
    const entity = covering.find((s) => s.kind === "entity" && s.key);
    const span = entity
      ? h("a", { class: `${classes} entity-link`, title: tip, "data-key": entity.key, href: href("entity", {}, [entity.key]) }, piece)
      : h("span", { class: classes, title: tip, "data-key": covering[0].key || null }, piece);
    el.appendChild(span);
    const quote = covering.find((s) => s.kind === "quote");
    if (quote && to === Math.min(quote.end16, block.end16)) {
      const link = quoteLinks.find((q) => q.begin === quote.begin && q.end === quote.end);
      el.appendChild(
        link?.original
          ? h("a", { class: "quote-link", href: href("provenance", { article: a.id, quote: `${quote.begin}-${quote.end}` }), title: `original: ${link.original.article.title}` }, "↗ original")
          : h("a", { class: "quote-link none", href: href("provenance", { article: a.id, quote: `${quote.begin}-${quote.end}` }), title: "find the state-media original" }, "↗"),
      );
    }
  }
}

function metadata(a: Article): HTMLElement {
  const row = (name: string, value: Node | string | null) => (value ? h("tr", {}, h("th", {}, name), h("td", {}, value)) : null);
  const links = a.links;
  return h(
    "aside",
    { class: "metadata" },
    h("h3", {}, "About this article"),
    h(
      "table",
      {},
      row("Outlet", outletBadge(a.outlet)),
      row("Date", a.date ? h("span", { class: "date" }, a.date) : "unknown"),
      // Only web addresses become links: a record's "javascript:" or "data:" URL stays text.
      row("URL", a.url ? (/^https?:\/\//i.test(a.url) ? h("a", { href: a.url, rel: "noreferrer noopener", target: "_blank" }, a.url) : h("span", {}, a.url)) : null),
      row("Version id", h("code", {}, a.id)),
      row("Article id", h("code", {}, a.article_id)),
      row("External id", a.external_id || null),
      row("Version", `${a.version} of ${a.versions}${a.latest ? " (latest)" : ""}`),
      row("From", `${a.origin} (${a.format}, ${a.raw_bytes.toLocaleString()} bytes)`),
      row("Ingested", a.ingested_at),
      row("Teaser of", a.derived_from ? h("a", { href: href("article", {}, [a.derived_from]) }, a.derived_from) : null),
    ),
    a.warnings.length ? h("div", {}, h("h4", {}, "Repairs"), h("ul", {}, a.warnings.map((w) => h("li", {}, w)))) : null,
    a.all_versions.length > 1 ? h("div", {}, h("h4", {}, "Versions"), h("ol", { class: "versions" }, a.all_versions.map((v) => h("li", { class: v.id === a.id ? "current" : "" }, h("a", { href: href("article", {}, [v.id]) }, v.id), ` ${v.ingested_at}`)))) : null,
    h("h4", {}, "Republications"),
    !a.links_available
      ? h("p", { class: "muted small" }, "Linking is not available in this build yet.")
      : links?.republications?.length
        ? h("div", {}, links.republications.map((r) => articleLine(r.article, r.relation ? h("span", { class: "muted" }, ` · ${r.relation}`) : undefined)))
        : h("p", { class: "muted small" }, "None found."),
    a.links_available && links?.events?.length ? h("div", {}, h("h4", {}, "Events"), h("ul", {}, links.events.map((e) => h("li", {}, h("a", { href: href("events", { q: e.name }) }, e.name), ` ${e.date}`)))) : null,
  );
}
