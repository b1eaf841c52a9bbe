// The single-page app: hash routes (#/search?q=…) so every view is a
// shareable URL and the server needs no route of its own.
import "./style.css";
import "uplot/dist/uPlot.min.css";
import { cachedStats } from "./api";
import { clear, h, notice } from "./dom";
import { articlePage } from "./pages/article";
import { entityPage } from "./pages/entity";
import { eventsPage } from "./pages/events";
import { ledgerPage } from "./pages/ledger";
import { pastePage } from "./pages/paste";
import { provenancePage } from "./pages/provenance";
import { searchPage } from "./pages/search";
import { trendsPage } from "./pages/trends";
import { watchPage } from "./pages/watch";

export type Page = (root: HTMLElement, params: URLSearchParams, path: string[]) => Promise<void>;

const pages: Record<string, Page> = {
  search: searchPage,
  article: articlePage,
  provenance: provenancePage,
  trends: trendsPage,
  events: eventsPage,
  paste: pastePage,
  entity: entityPage,
  ledger: ledgerPage,
  watch: watchPage,
};

// "#/article/abc?x=1" -> ["article", "abc"], {x: 1}
function parseHash(): { path: string[]; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, "");
  const [pathPart, queryPart = ""] = hash.split("?", 2);
  const path = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  return { path: path.length ? path : ["search"], params: new URLSearchParams(queryPart) };
}

const TITLES: Record<string, string> = {
  search: "Search",
  article: "Article",
  provenance: "Provenance",
  trends: "Trends",
  events: "Events",
  paste: "Paste & trace",
  entity: "Entity",
  ledger: "Ledger",
  watch: "Watchlists",
};

let renderCount = 0;
async function render(): Promise<void> {
  const { path, params } = parseHash();
  const name = path[0] in pages ? path[0] : "search";
  for (const link of document.querySelectorAll<HTMLAnchorElement>("#nav a")) {
    link.classList.toggle("active", link.dataset.page === name);
  }
  const app = document.getElementById("app")!;
  const mine = ++renderCount;
  clear(app);
  const root = h("section", { class: `page page-${name}`, "data-page": name });
  app.appendChild(root);
  // Each page names the tab; a page may say more (the query, the article's title).
  document.title = `${TITLES[name] ?? name} — echotrace`;
  selected = -1;
  document.body.dataset.ready = "0";
  try {
    await pages[name](root, params, path.slice(1));
  } catch (error) {
    if (mine === renderCount) root.appendChild(notice("error", String((error as Error).message ?? error)));
  }
  if (mine === renderCount) document.body.dataset.ready = "1"; // browser tests wait for this
}

async function showStatus(): Promise<void> {
  const status = document.getElementById("status")!;
  try {
    const stats = await cachedStats();
    status.textContent = stats.empty
      ? "no data yet"
      : `${stats.articles.toLocaleString()} articles · ${stats.outlets.length} outlets`;
  } catch {
    status.textContent = "server not reachable";
  }
}

// Keyboard: "/" goes to the search box, j/k move through the page's list
// (hits, events, quote cards), Enter opens the selected item, Escape leaves a field.
let selected = -1;
function listItems(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>("#app .hit, #app .event, #app .quote-card, #app .entity-row")];
}
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target as HTMLElement;
  const typing = target.closest("input, textarea, select, [contenteditable]") !== null;
  if (typing) {
    if (event.key === "Escape") target.blur();
    return;
  }
  if (event.key === "/") {
    const box = document.querySelector<HTMLInputElement>('#app input[type="search"]');
    event.preventDefault();
    if (box) {
      box.focus();
      box.select();
    } else location.hash = "#/search";
    return;
  }
  if (event.key === "j" || event.key === "k") {
    const items = listItems();
    if (!items.length) return;
    selected = Math.max(0, Math.min(items.length - 1, selected + (event.key === "j" ? 1 : -1)));
    items.forEach((item, i) => item.classList.toggle("selected", i === selected));
    items[selected].scrollIntoView({ block: "nearest" });
    return;
  }
  if (event.key === "Enter" && selected >= 0) {
    const link = listItems()[selected]?.querySelector<HTMLAnchorElement>("a.title, a");
    if (link) link.click();
  }
});

window.addEventListener("hashchange", () => void render());
void showStatus();
void render();
