// Search: query, filters, facet counts, highlighted snippets, paging. Every
// state is in the URL (#/search?q=…&outlet=…&offset=…), so a search can be shared.
import { api, cachedStats, type SearchResult } from "../api";
import { h, snippet } from "../dom";
import { go } from "../router";
import { articleLine, errorNotice, field } from "./common";
import { watchThisSearch } from "./watch";

const PAGE = 20;
const FILTERS = ["q", "outlet", "kind", "from", "to", "entity"] as const;

export async function searchPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const current: Record<string, string> = {};
  for (const name of FILTERS) current[name] = params.get(name) ?? "";
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);

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
  const from = h("input", { type: "date", name: "from", value: current.from });
  const to = h("input", { type: "date", name: "to", value: current.to });
  const entity = h("input", { type: "text", name: "entity", value: current.entity, placeholder: "entity id or name" });
  const submit = () => go("search", { q: q.value.trim(), outlet: outlet.value, kind: kind.value, from: from.value, to: to.value, entity: entity.value.trim() });
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
        h("li", {}, h("code", {}, "title:plenary"), " — in the headline; ", h("code", {}, "source:kcna"), " — one outlet"),
        h("li", {}, h("code", {}, "date:2024-01-01..2024-03-31"), " — a date range; ", h("code", {}, "harv*"), " — a prefix"),
        h("li", {}, "An empty query lists everything that passes the filters."),
      ),
    ),
    h("div", { class: "filters" }, field("Outlet", outlet), field("Kind", kind), field("From", from), field("To", to), field("Entity", entity)),
  );
  for (const control of [outlet, kind, from, to]) control.addEventListener("change", submit);
  root.appendChild(form);
  root.appendChild(watchThisSearch(current));

  const results = h("div", { class: "results" }, h("p", { class: "muted" }, "Searching…"));
  const facets = h("aside", { class: "facets" });
  root.appendChild(h("div", { class: "search-layout" }, results, facets));

  const [stats, found] = await Promise.allSettled([
    cachedStats(),
    api.search({ ...current, offset, limit: PAGE, entity_facets: 1 }),
  ]);
  if (stats.status === "fulfilled") {
    for (const o of stats.value.outlets) {
      outlet.appendChild(h("option", { value: o.id }, `${o.name || "unknown"} (${o.count ?? 0})`));
    }
    outlet.value = current.outlet;
  }
  results.replaceChildren();
  if (found.status === "rejected") {
    results.appendChild(errorNotice(found.reason, "Search"));
    return;
  }
  renderResults(results, found.value, current, offset);
  renderFacets(facets, found.value, current);
}

function renderResults(el: HTMLElement, r: SearchResult, current: Record<string, string>, offset: number) {
  const shown = r.hits.length;
  el.appendChild(
    h(
      "p",
      { class: "summary", "data-total": r.total },
      r.total === 0 ? "No matching articles." : `${r.approximate ? "about " : ""}${r.total.toLocaleString()} matching articles` + (shown ? ` — ${offset + 1}–${offset + shown}` : ""),
      r.unindexed ? h("span", { class: "muted" }, ` (${r.unindexed} stored versions not indexed yet)`) : null,
    ),
  );
  const list = h("ol", { class: "hits", start: offset + 1 });
  for (const hit of r.hits) {
    list.appendChild(h("li", { class: "hit", "data-id": hit.id }, articleLine(hit), hit.snippet ? snippet(hit.snippet) : h("p", { class: "muted" }, hit.headline_stub ? "(headline only)" : "")));
  }
  el.appendChild(list);
  const pager = h("nav", { class: "pager" });
  if (offset > 0) pager.appendChild(h("button", { type: "button", onclick: () => go("search", { ...current, offset: Math.max(0, offset - PAGE) }) }, "← Previous"));
  if (offset + shown < r.total) pager.appendChild(h("button", { type: "button", class: "next", onclick: () => go("search", { ...current, offset: offset + PAGE }) }, "Next →"));
  el.appendChild(pager);
}

function renderFacets(el: HTMLElement, r: SearchResult, current: Record<string, string>) {
  if (r.facets_approximate)
    el.appendChild(h("p", { class: "muted small" }, `Counted over the first ${(r.facet_documents ?? 0).toLocaleString()} matches.`));
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
  const months = Object.entries(r.facets.month ?? {}).filter(([m]) => m !== "");
  if (months.length) {
    el.appendChild(h("h3", {}, "Months"));
    const max = Math.max(...months.map(([, n]) => n));
    el.appendChild(
      h(
        "ul",
        { class: "facet months" },
        months.reverse().slice(0, 36).map(([month, n]) =>
          h(
            "li",
            {},
            h("a", { href: "#", onclick: ((e: Event) => (e.preventDefault(), go("search", { ...current, from: `${month}-01`, to: lastDayOf(month) }))) as EventListener }, month),
            h("span", { class: "bar", style: `width:${Math.max(2, (60 * n) / max)}px` }),
            h("span", { class: "count" }, String(n)),
          ),
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
        entities.map((e) => h("li", {}, h("a", { href: "#", onclick: ((ev: Event) => (ev.preventDefault(), go("search", { ...current, entity: e.key }))) as EventListener }, e.name), h("span", { class: "count" }, String(e.count)))),
      ),
    );
}

// "2024-02" -> "2024-02-29": the month's real last day (a "-31" is not a date in short months).
function lastDayOf(month: string): string {
  const [year, m] = month.split("-").map(Number);
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, "0")}`;
}
