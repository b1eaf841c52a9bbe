// Watchlists: saved searches whose new matches are recorded after every
// collection and ingest. #/watch lists them and creates one (prefilled by the
// search page's "Watch this search": #/watch?new=1&q=…&outlet=…); #/watch/NAME
// shows its matches, a phrase's first and last use per outlet, its Atom feed,
// and deletes it. Saving and deleting need `serve --allow-ingest`.
import "./collect.css";
import { ApiError } from "../api";
import { collectApi, type WatchSpec, type WatchView } from "../collect_api";
import { h, notice } from "../dom";
import { go, href } from "../router";
import { errorNotice, field } from "./common";

const NAME_PATTERN = "[A-Za-z0-9_\\-]{1,64}";

// The search page's button: its filters become a new watchlist's spec.
export function watchThisSearch(current: Record<string, string>): HTMLElement {
  return h(
    "a",
    {
      class: "watch-this button secondary",
      href: href("watch", { new: 1, q: current.q, outlet: current.outlet, kind: current.kind, from: current.from, to: current.to, entity: current.entity }),
      title: "save this search: its new matches are recorded after every collection, with an Atom feed",
    },
    "Watch this search",
  );
}

export async function watchPage(root: HTMLElement, params: URLSearchParams, path: string[]): Promise<void> {
  if (path[0]) return watchShow(root, path[0]);
  document.title = "Watchlists — echotrace";
  root.appendChild(h("h2", {}, "Watchlists"));
  const list = h("div", { class: "watchlists" }, h("p", { class: "muted" }, "Loading…"));
  const form = createForm(params);
  root.appendChild(h("div", { class: "watch-layout" }, list, form));
  let watches: WatchSpec[];
  try {
    ({ watchlists: watches } = await collectApi.watchlists());
  } catch (error) {
    list.replaceChildren(errorNotice(error, "Watchlists"));
    return;
  }
  list.replaceChildren();
  if (!watches.length) {
    list.appendChild(h("p", { class: "muted" }, "No watchlists yet. Save one with the form, the search page's “Watch this search”, or ", h("code", {}, "echotrace watch add"), "."));
    return;
  }
  list.appendChild(
    h(
      "ul",
      { class: "watch-list" },
      watches.map((w) =>
        h(
          "li",
          { class: "watch-item", "data-name": w.name },
          h("a", { class: "watch-name", href: href("watch", {}, [w.name]) }, w.name),
          h("span", { class: "muted small watch-spec" }, describe(w)),
          h("span", { class: "watch-actions" }, feedLink(w.name), deleteButton(w.name, list)),
        ),
      ),
    ),
  );
}

async function watchShow(root: HTMLElement, name: string): Promise<void> {
  document.title = `${name} — watchlists — echotrace`;
  root.appendChild(h("p", { class: "small" }, h("a", { href: href("watch") }, "← all watchlists")));
  let view: WatchView;
  try {
    view = await collectApi.watch(name);
  } catch (error) {
    root.appendChild(errorNotice(error, `Watchlist ${name}`));
    return;
  }
  const w = view.watch;
  const head = h("div", { class: "watch-head" }, h("h2", {}, w.name), h("span", { class: "watch-actions" }, feedLink(w.name), deleteButton(w.name, root)));
  root.appendChild(head);
  root.appendChild(h("p", { class: "muted watch-spec" }, describe(w), ` · saved ${view.created_at.replace("T", " ").replace("Z", " UTC")}`));
  if (w.phrase && view.phrase_uses.length) {
    root.appendChild(h("h3", {}, `“${w.phrase}”: first and last use by outlet`));
    root.appendChild(
      h(
        "table",
        { class: "phrase-uses" },
        h("thead", {}, h("tr", {}, h("th", {}, "Outlet"), h("th", {}, "First seen"), h("th", {}, "Last seen"), h("th", {}, "Articles"))),
        h("tbody", {}, view.phrase_uses.map((u) => h("tr", {}, h("td", {}, u.source || "unknown"), h("td", {}, u.first || "undated"), h("td", {}, u.last || "undated"), h("td", {}, String(u.articles))))),
      ),
    );
  }
  root.appendChild(h("h3", {}, `Matches (${view.matches.length}${view.matches.length >= 100 ? ", the newest 100" : ""})`));
  if (!view.matches.length) {
    root.appendChild(h("p", { class: "muted" }, "No match yet: matches are recorded after every collection and ingest."));
    return;
  }
  root.appendChild(
    h(
      "ol",
      { class: "watch-matches" },
      view.matches.map((m) =>
        h(
          "li",
          { class: "watch-match" },
          h("a", { class: "title", href: href("article", {}, [m.id]) }, m.title || "(untitled)"),
          h("span", { class: "muted small" }, ` ${m.source || "unknown"} · ${m.date || "undated"} · matched ${m.matched_at.replace("T", " ").replace("Z", " UTC")}`),
        ),
      ),
    ),
  );
}

// "query: sanctions · phrase: "…" · outlets: kcna · 2024-01-01 to …"
function describe(w: WatchSpec): string {
  const parts: string[] = [];
  if (w.query) parts.push(`query: ${w.query}`);
  if (w.phrase) parts.push(`phrase: “${w.phrase}”`);
  if (w.speaker) parts.push(`speaker: ${w.speaker}`);
  if (w.entities.length) parts.push(`entities: ${w.entities.join(", ")}`);
  if (w.sources.length) parts.push(`outlets: ${w.sources.join(", ")}`);
  if (w.media) parts.push(w.media === "state" ? "state media" : "foreign outlets");
  if (w.from || w.to) parts.push(`${w.from || "…"} to ${w.to || "…"}`);
  return parts.join(" · ");
}

function feedLink(name: string): HTMLElement {
  return h("a", { class: "feed-link", href: `/feeds/${encodeURIComponent(name)}.atom`, title: "subscribe in a feed reader" }, "Atom feed");
}

function deleteButton(name: string, where: HTMLElement): HTMLElement {
  const button = h("button", { type: "button", class: "secondary delete-watch", "data-name": name }, "Delete");
  button.addEventListener("click", async () => {
    if (!window.confirm(`Delete the watchlist “${name}” and its recorded matches?`)) return;
    button.setAttribute("disabled", "");
    try {
      await collectApi.removeWatch(name);
      go("watch");
    } catch (error) {
      button.removeAttribute("disabled");
      where.prepend(writeError(error, `Deleting ${name}`));
    }
  });
  return button;
}

function writeError(error: unknown, what: string): HTMLElement {
  if (error instanceof ApiError && error.status === 403) {
    return notice("error", `${what}: this server does not accept changes. Start it with `, h("code", {}, "echotrace serve --allow-ingest"), ", or use ", h("code", {}, "echotrace watch"), ".");
  }
  return errorNotice(error, what);
}

// The create form; `params` prefill it (from the search page).
function createForm(params: URLSearchParams): HTMLElement {
  const get = (k: string) => params.get(k) ?? "";
  const name = h("input", { type: "text", name: "name", required: true, pattern: NAME_PATTERN, maxlength: 64, placeholder: "e.g. sanctions", value: suggestName(get("q")) });
  const query = h("input", { type: "text", name: "query", value: get("q"), placeholder: "search words, as on the search page" });
  const phrase = h("input", { type: "text", name: "phrase", value: "", placeholder: "an exact phrase" });
  const speaker = h("input", { type: "text", name: "speaker", value: "", placeholder: "speaker id, e.g. kim-yo-jong" });
  const outlets = h("input", { type: "text", name: "sources", value: get("outlet"), placeholder: "outlet ids, comma-separated" });
  const entities = h("input", { type: "text", name: "entities", value: get("entity"), placeholder: "entity ids, comma-separated" });
  const media = h("select", { name: "media" }, h("option", { value: "" }, "state and foreign"), h("option", { value: "state" }, "DPRK state media"), h("option", { value: "foreign" }, "foreign outlets"));
  media.value = get("kind");
  const from = h("input", { type: "date", name: "from", value: get("from") });
  const to = h("input", { type: "date", name: "to", value: get("to") });
  const status = h("div", { class: "watch-form-status" });
  const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);
  const form = h(
    "form",
    { class: "watch-form", "data-prefilled": params.has("new") ? "1" : "0" },
    h("h3", {}, params.has("new") ? "Watch this search" : "New watchlist"),
    field("Name", name, "letters, digits, - and _; it names the feed"),
    field("Query", query),
    field("Exact phrase", phrase, "also reports its first and last use per outlet"),
    field("Speaker", speaker),
    field("Outlets", outlets),
    field("Entities", entities),
    h("div", { class: "filters" }, field("Kind", media), field("From", from), field("To", to)),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Save watchlist")),
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.replaceChildren(h("p", { class: "muted" }, "Saving…"));
    try {
      const saved = await collectApi.addWatch({
        name: name.value.trim(),
        query: query.value.trim(),
        phrase: phrase.value.trim(),
        speaker: speaker.value.trim(),
        sources: list(outlets.value),
        entities: list(entities.value),
        media: media.value,
        from: from.value,
        to: to.value,
      });
      status.replaceChildren(notice("info", `Saved: ${saved.matches} article${saved.matches === 1 ? "" : "s"} match now.`));
      go("watch", {}, [saved.watch.name]);
    } catch (error) {
      status.replaceChildren(writeError(error, "Saving the watchlist"));
    }
  });
  return form;
}

// A name from a query: "nuclear test" -> "nuclear-test".
function suggestName(q: string): string {
  return q.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
}
