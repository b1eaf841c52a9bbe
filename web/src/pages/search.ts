// Search: query, filters, sort, a date histogram that can be brushed, facet
// counts, highlighted snippets, paging, export and citations. Every state is in
// the URL (#/search?q=…&outlet=…&sort=…&offset=…), so a search can be shared.
import { api, ApiError, cachedStats, exportUrl, type Hit, type SearchResult } from "../api";
import { h, snippet } from "../dom";
import { lastDayOf, monthBars, monthRange } from "../histogram";
import { go } from "../router";
import { articleLine, citation, copyButton, errorNotice, field, isoDateInput, plural } from "./common";
import { watchThisSearch } from "./watch";

const PAGE = 20;
const FILTERS = ["q", "outlet", "kind", "from", "to", "entity", "sort"] as const;

export async function searchPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const current: Record<string, string> = {};
  for (const name of FILTERS) current[name] = params.get(name) ?? "";
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  document.title = current.q ? `${current.q} — search — echotrace` : "Search — echotrace";

  const q = h("input", { type: "search", name: "q", value: current.q, placeholder: 'words, "a phrase", title:word, a OR b, -word', autofocus: true, "aria-label": "query" });
  const outlet = h("select", { name: "outlet" }, h("option", { value: "" }, "all outlets"));
  const kind = h(
    "select",
    { name: "kind" },
    h("option", { value: "" }, "state and foreign"),
    h("option", { value: "state" }, "DPRK state media"),
    h("option", { value: "foreign" }, "foreign outlets"),
  );
  kind.value = current.kind;
  const sort = h(
    "select",
    { name: "sort", "aria-label": "sort" },
    h("option", { value: "" }, current.q ? "relevance" : "newest first"),
    h("option", { value: "relevance" }, "relevance"),
    h("option", { value: "date" }, "newest first"),
  );
  sort.value = current.sort;
  const from = isoDateInput("from", current.from);
  const to = isoDateInput("to", current.to);
  const entity = h("input", { type: "text", name: "entity", value: current.entity, placeholder: "entity id or name" });
  // Every filter is read from its control, so changing one keeps the others (the date range included).
  const state = () => ({ q: q.value.trim(), outlet: outlet.value, kind: kind.value, from: from.value, to: to.value, entity: entity.value.trim(), sort: sort.value });
  const submit = () => go("search", state());
  const form = h(
    "form",
    { class: "search-form", onsubmit: ((e: Event) => (e.preventDefault(), submit())) as EventListener },
    h("div", { class: "query-row" }, q, h("button", { type: "submit" }, "Search")),
    h(
      "details",
      { class: "syntax" },
      h("summary", {}, "Query syntax"),
      h(
        "ul",
        {},
        h("li", {}, h("code", {}, "tractor harvest"), " — both words (stemmed: harvest finds harvests)"),
        h("li", {}, h("code", {}, '"nothing is impossible"'), " — the exact phrase"),
        h("li", {}, h("code", {}, "tractor OR harvest"), ", ", h("code", {}, "missile -test"), ", ", h("code", {}, "NOT"), " — boolean"),
        h("li", {}, h("code", {}, "title:plenary"), " — in the headline; ", h("code", {}, "outlet:kcna"), ", ", h("code", {}, "kind:state"), ", ", h("code", {}, "person:kim-jong-un"), ", ", h("code", {}, "event:"), ", ", h("code", {}, "speaker:"), " — filters, named as the fields below"),
        h("li", {}, h("code", {}, "date:2024-01-01..2024-03-31"), " — a date range; ", h("code", {}, "harv*"), " — a prefix"),
        h("li", {}, "An empty query lists everything that passes the filters, newest first. Keys: ", h("kbd", {}, "/"), " search, ", h("kbd", {}, "j"), "/", h("kbd", {}, "k"), " move, ", h("kbd", {}, "Enter"), " open."),
      ),
    ),
    h("div", { class: "filters" }, field("Outlet", outlet), field("Kind", kind), field("From", from), field("To", to), field("Entity", entity), field("Sort", sort)),
  );
  for (const control of [outlet, kind, from, to, sort]) control.addEventListener("change", submit);
  root.appendChild(form);
  root.appendChild(watchThisSearch(current));

  const histogram = h("div", { class: "histogram", "aria-label": "matches per month" });
  const results = h("div", { class: "results" }, h("p", { class: "muted" }, "Searching…"));
  const facets = h("aside", { class: "facets", id: "facets" });
  const drawer = h("button", { type: "button", class: "secondary facets-toggle", "aria-controls": "facets", "aria-expanded": "false" }, "Filters & facets");
  drawer.addEventListener("click", () => {
    const open = facets.classList.toggle("open");
    drawer.setAttribute("aria-expanded", String(open));
  });
  root.appendChild(h("div", { class: "search-layout" }, h("div", { class: "results-column" }, histogram, drawer, results), facets));

  const request = { ...current, offset, limit: PAGE, entity_facets: 1, histogram: 1 };
  const [stats, found] = await Promise.allSettled([cachedStats(), api.search(request)]);
  if (stats.status === "fulfilled") {
    for (const o of stats.value.outlets) {
      outlet.appendChild(h("option", { value: o.id }, `${o.name || "unknown"} (${o.count ?? 0})`));
    }
    outlet.value = current.outlet;
  }
  results.replaceChildren();
  if (found.status === "rejected") {
    results.appendChild(queryErrorNotice(found.reason, current.q, q));
    return;
  }
  const corpusMonths = stats.status === "fulfilled" ? Object.keys(stats.value.by_month).filter((m) => /^\d{4}-\d{2}$/.test(m)) : [];
  renderHistogram(histogram, found.value, corpusMonths, current);
  renderResults(results, found.value, current, offset);
  renderFacets(facets, found.value, current);
}

// A query that does not read: the message in words, and the query with the
// character at fault marked (the input's caret is put there too).
function queryErrorNotice(error: unknown, query: string, input: HTMLInputElement): HTMLElement {
  const notice = errorNotice(error, "Search");
  if (error instanceof ApiError && error.code === "query_syntax") {
    notice.classList.add("query-error");
    const at = error.position ?? 0;
    if (at > 0) {
      const chars = [...query];
      notice.appendChild(
        h("pre", { class: "query-at" }, chars.slice(0, at - 1).join(""), h("mark", { class: "at", title: `character ${at}` }, chars[at - 1] ?? " "), chars.slice(at).join("")),
      );
      const before = chars.slice(0, at - 1).join("").length; // UTF-16 units for the input's selection
      input.focus();
      input.setSelectionRange(before, before + (chars[at - 1]?.length ?? 0));
    }
  }
  return notice;
}

function renderResults(el: HTMLElement, r: SearchResult, current: Record<string, string>, offset: number) {
  const shown = r.hits.length;
  const exportParams = { ...current, sort: current.sort || r.sort };
  el.appendChild(
    h(
      "div",
      { class: "summary-row" },
      h(
        "p",
        { class: "summary", "data-total": r.total, "data-sort": r.sort },
        r.total === 0 ? "No matching articles." : `${r.approximate ? "about " : ""}${r.total.toLocaleString("en-GB")} matching ${plural(r.total, "article")}` + (shown ? ` — ${offset + 1}–${offset + shown}` : "") + `, ${r.sort === "date" ? "newest first" : "by relevance"}`,
        r.unindexed ? h("span", { class: "muted" }, ` (${r.unindexed} stored versions not indexed yet)`) : null,
      ),
      r.total > 0
        ? h(
            "span",
            { class: "export" },
            "Export ",
            h("a", { class: "button-link export-csv", href: exportUrl({ ...exportParams, format: "csv" }), download: "echotrace-search.csv" }, "CSV"),
            " ",
            h("a", { class: "button-link export-jsonl", href: exportUrl({ ...exportParams, format: "jsonl" }), download: "echotrace-search.jsonl" }, "JSON Lines"),
          )
        : null,
    ),
  );
  for (const warning of r.warnings ?? []) el.appendChild(h("p", { class: "notice info search-warning" }, warning));
  if (!shown && offset > 0 && r.total > 0) {
    el.appendChild(
      h(
        "p",
        { class: "notice info past-end" },
        `Nothing on this page: the ${r.total.toLocaleString("en-GB")} ${plural(r.total, "match", "matches")} end before hit ${offset + 1}. `,
        h("a", { href: "#", onclick: ((e: Event) => (e.preventDefault(), go("search", { ...current, offset: Math.max(0, Math.floor((r.total - 1) / PAGE) * PAGE) }))) as EventListener }, "Go to the last page"),
      ),
    );
  }
  const list = h("ol", { class: "hits", start: offset + 1 });
  for (const hit of r.hits) list.appendChild(hitItem(hit));
  el.appendChild(list);
  const pager = h("nav", { class: "pager" });
  if (offset > 0) pager.appendChild(h("button", { type: "button", onclick: () => go("search", { ...current, offset: Math.max(0, offset - PAGE) }) }, "← Previous"));
  if (offset + shown < r.total) pager.appendChild(h("button", { type: "button", class: "next", onclick: () => go("search", { ...current, offset: offset + PAGE }) }, "Next →"));
  el.appendChild(pager);
}

function hitItem(hit: Hit): HTMLElement {
  const quote = hit.snippet ? snippet(hit.snippet) : h("p", { class: "muted" }, hit.headline_stub ? "(headline only)" : "");
  const also = hit.also_listed_as ?? [];
  return h(
    "li",
    { class: "hit", "data-id": hit.id },
    articleLine(hit, copyButton(citation(hit, quote.textContent ?? ""), "Cite", "copy a citation: outlet, date, title, URL and the quoted words")),
    quote,
    also.length
      ? h(
          "p",
          { class: "also-listed small muted" },
          "also listed as ",
          also.flatMap((a, i) => [i ? ", " : "", h("a", { href: `#/article/${encodeURIComponent(a.id)}` }, a.title || a.id), " ", h("span", { class: "date" }, a.date), a.headline_stub ? " (headline only)" : ""]),
        )
      : null,
  );
}

// Matches per month over the whole corpus range (gaps drawn as empty), one
// bar per month. Drag across bars (or click one) to filter to those months.
function renderHistogram(el: HTMLElement, r: SearchResult, corpusMonths: string[], current: Record<string, string>) {
  const counts = r.histogram?.months ?? r.facets.month ?? {};
  const months = monthRange([...corpusMonths, ...Object.keys(counts)]);
  el.replaceChildren();
  if (!months.length) return;
  const inRange = (m: string) => (!current.from || `${m}-31` >= current.from) && (!current.to || `${m}-01` <= current.to);
  const range = current.from || current.to ? `${current.from || "…"} – ${current.to || "…"}` : "";
  const chart = monthBars(months, counts, {
    selected: inRange,
    onPick: (first, last) => go("search", { ...current, from: `${first}-01`, to: lastDayOf(last), offset: undefined }),
  });
  el.append(
    h(
      "div",
      { class: "histogram-head small" },
      h("span", { class: "muted" }, `Matches per month, ${months[0]} – ${months[months.length - 1]}${r.histogram?.approximate ? " (counted in part)" : ""}${r.histogram?.undated ? `; ${r.histogram.undated.toLocaleString("en-GB")} undated` : ""}. Drag to filter.`),
      " ",
      chart.label,
      range ? h("a", { href: "#", class: "clear-dates", onclick: ((e: Event) => (e.preventDefault(), go("search", { ...current, from: "", to: "" }))) as EventListener }, `clear ${range}`) : null,
    ),
    chart.svg,
  );
}

function renderFacets(el: HTMLElement, r: SearchResult, current: Record<string, string>) {
  if (r.facets_approximate) {
    const counted = r.facet_documents ?? 0;
    const entities = r.entity_facet_documents ?? counted;
    const n = (x: number) => x.toLocaleString("en-GB");
    el.appendChild(
      h("p", { class: "muted small" }, entities < counted ? `Outlets counted over the first ${n(counted)} matches, entities over the first ${n(entities)}.` : `Outlets and entities counted over the first ${n(counted)} matches.`),
    );
  }
  const outlets = r.facets.outlet ?? [];
  if (outlets.length) {
    el.appendChild(h("h3", {}, "Outlets"));
    el.appendChild(
      h(
        "ul",
        { class: "facet" },
        [...outlets].sort((a, b) => (b.count ?? 0) - (a.count ?? 0)).map((o) =>
          h("li", {}, h("a", { href: "#", class: o.state_media ? "state" : "foreign", onclick: ((e: Event) => (e.preventDefault(), go("search", { ...current, outlet: o.id }))) as EventListener }, o.name || "unknown"), h("span", { class: "count" }, String(o.count ?? 0))),
        ),
      ),
    );
  }
  const entities = r.facets.entity ?? [];
  el.appendChild(h("h3", {}, "Entities"));
  if (!entities.length) el.appendChild(h("p", { class: "muted small" }, "No entity annotations among the best hits."));
  else
    el.appendChild(
      h(
        "ul",
        { class: "facet" },
        entities.map((e) =>
          h(
            "li",
            {},
            h("a", { href: "#", onclick: ((ev: Event) => (ev.preventDefault(), go("search", { ...current, entity: e.key }))) as EventListener }, e.name),
            h("a", { href: `#/entity/${encodeURIComponent(e.key)}`, class: "entity-page", title: `${e.name}: the entity's page` }, "↗"),
            h("span", { class: "count" }, String(e.count)),
          ),
        ),
      ),
    );
}

