// Entity: one person, organization, place or outlet (#/entity/<id>): the
// spellings seen, titles and roles with the days they were first and last
// written, mentions per month (brush to search them), the person's quotes with
// their origins, and the entities it appears with.
import { api, type EntityPage } from "../api";
import { h } from "../dom";
import { lastDayOf, monthBars, monthRange } from "../histogram";
import { go, href } from "../router";
import { errorNotice, plural } from "./common";
import { quoteCard } from "./provenance";

export async function entityPage(root: HTMLElement, _params: URLSearchParams, path: string[]): Promise<void> {
  const id = path[0] ?? "";
  if (!id) {
    root.appendChild(h("p", {}, "Pick an entity: from a search's entity facet, or a name in an article."));
    return;
  }
  let e: EntityPage;
  try {
    e = await api.entity(id);
  } catch (error) {
    root.appendChild(errorNotice(error, `Entity ${id}`));
    return;
  }
  document.title = `${e.name} — echotrace`;
  const kind = e.kind || "entity";
  root.appendChild(
    h(
      "header",
      { class: "entity-head" },
      h("h1", {}, e.name),
      h("p", { class: "muted" }, h("code", {}, e.key), ` · ${kind} · `, h("a", { href: href("search", { entity: e.key }) }, `${e.articles.toLocaleString("en-GB")} ${plural(e.articles, "article")} mention it`), e.known ? "" : " · not in the gazetteer (found by name rules)"),
    ),
  );

  const months = monthRange([...Object.keys(e.by_month), ...Object.keys(e.published?.by_month ?? {})]);
  if (months.length) {
    const chart = monthBars(months, e.by_month, { onPick: (first, last) => go("search", { entity: e.key, from: `${first}-01`, to: lastDayOf(last) }) });
    root.appendChild(
      h(
        "section",
        { class: "entity-months histogram" },
        h("h3", {}, "Mentions per month"),
        h("div", { class: "histogram-head small" }, h("span", { class: "muted" }, `${months[0]} – ${months[months.length - 1]}${e.undated ? `; ${e.undated} undated` : ""}. Drag to search those months.`), " ", chart.label),
        chart.svg,
      ),
    );
  }
  if (e.published) {
    const own = monthBars(months, e.published.by_month, { onPick: (first, last) => go("search", { outlet: e.key, from: `${first}-01`, to: lastDayOf(last) }) });
    root.appendChild(h("section", { class: "entity-published histogram" }, h("h3", {}, `Published (${e.published.articles.toLocaleString("en-GB")} articles)`), own.label, own.svg));
  }

  const spellings = h(
    "section",
    { class: "entity-spellings" },
    h("h3", {}, "Written as"),
    e.spellings.length ? h("ul", { class: "facet" }, e.spellings.map((s) => h("li", {}, h("span", { class: "grow" }, s.text), h("span", { class: "count" }, String(s.mentions))))) : h("p", { class: "muted small" }, "No mentions stored."),
  );
  const roles = h(
    "section",
    { class: "entity-roles" },
    h("h3", {}, "Titles and roles"),
    e.roles.length
      ? h(
          "table",
          { class: "roles" },
          h("thead", {}, h("tr", {}, h("th", {}, "title or role"), h("th", {}, "first"), h("th", {}, "last"), h("th", {}, "articles"))),
          h("tbody", {}, e.roles.map((r) => h("tr", {}, h("td", {}, r.role), h("td", { class: "date" }, r.first), h("td", { class: "date" }, r.last), h("td", { class: "count" }, String(r.articles))))),
        )
      : h("p", { class: "muted small" }, "No title written beside the name."),
    e.roles.length ? h("p", { class: "muted small" }, `From the ${e.roles_sampled} newest and oldest articles that mention it.`) : null,
  );
  const neighbours = h(
    "section",
    { class: "entity-co" },
    h("h3", {}, "Appears with"),
    e.co_occurring.length
      ? h("ul", { class: "facet" }, e.co_occurring.map((c) => h("li", { class: "entity-row" }, h("a", { href: href("entity", {}, [c.key]) }, c.name), h("span", { class: "count" }, String(c.count)))))
      : h("p", { class: "muted small" }, "No other entity in its articles."),
  );
  const quotes = h(
    "section",
    { class: "entity-quotes" },
    h("h3", {}, `Quotes${e.quotes.total ? ` (${e.quotes.total.toLocaleString("en-GB")})` : ""}`),
    e.quotes.quotes.length ? e.quotes.quotes.map((q) => quoteCard(q)) : h("p", { class: "muted small" }, "No quotes attributed to it."),
  );
  root.appendChild(h("div", { class: "entity-layout" }, h("div", {}, quotes), h("aside", {}, spellings, roles, neighbours)));
}
