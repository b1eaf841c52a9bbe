// Ledger: the timeline of what collection saw happen to each article a source
// listed (new, edited, gone, restored), newest first, each edit with its word
// diff. Every filter is in the URL (#/ledger?kind=gone&source=kcna-en&url=…).
// The article view shows the same history for its URL (articleHistory).
import "./collect.css";
import type { Article, DiffOp } from "../api";
import { collectApi, type LedgerEntry, type LedgerKind } from "../collect_api";
import { h } from "../dom";
import { go, href } from "../router";
import { errorNotice, field } from "./common";

const KINDS: LedgerKind[] = ["new", "edited", "gone", "restored"];
const KIND_LABEL: Record<LedgerKind, string> = { new: "new", edited: "edited", gone: "gone", restored: "restored" };
const LIMIT = 1000; // entries asked for; shown newest first
const CONTEXT_WORDS = 8; // kept words shown on each side of a change

export async function ledgerPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  document.title = "Ledger — echotrace";
  const current = {
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    source: params.get("source") ?? "",
    url: params.get("url") ?? "",
    kind: params.getAll("kind").flatMap((k) => k.split(",")).filter((k): k is LedgerKind => (KINDS as string[]).includes(k)),
  };
  const from = h("input", { type: "date", name: "from", value: current.from.slice(0, 10) });
  const to = h("input", { type: "date", name: "to", value: current.to.slice(0, 10) });
  const source = h("input", { type: "text", name: "source", value: current.source, placeholder: "source name" });
  const url = h("input", { type: "text", inputmode: "url", name: "url", value: current.url, placeholder: "one article URL" });
  const boxes = KINDS.map((k) => h("input", { type: "checkbox", name: "kind", value: k, checked: current.kind.includes(k) }));
  const submit = () =>
    go("ledger", {
      from: from.value,
      to: to.value,
      source: source.value.trim(),
      url: url.value.trim(),
      kind: boxes.filter((b) => b.checked).map((b) => b.value).join(","),
    });
  root.appendChild(
    h(
      "form",
      { class: "ledger-form", onsubmit: ((e: Event) => (e.preventDefault(), submit())) as EventListener },
      h("div", { class: "filters" }, field("From", from), field("To", to), field("Source", source), field("URL", url)),
      h(
        "div",
        { class: "kinds" },
        boxes.map((b, i) => h("label", { class: `kind-toggle kind-${KINDS[i]}` }, b, ` ${KIND_LABEL[KINDS[i]]}`)),
        h("button", { type: "submit" }, "Show"),
      ),
    ),
  );
  for (const control of [from, to, ...boxes]) control.addEventListener("change", submit);

  const list = h("div", { class: "ledger" }, h("p", { class: "muted" }, "Loading…"));
  root.appendChild(list);
  let entries: LedgerEntry[];
  try {
    ({ entries } = await collectApi.ledger({ ...current, kind: current.kind, limit: LIMIT }));
  } catch (error) {
    list.replaceChildren(errorNotice(error, "The ledger"));
    return;
  }
  list.replaceChildren();
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  list.appendChild(
    h(
      "p",
      { class: "summary ledger-summary", "data-total": entries.length },
      entries.length
        ? `${entries.length.toLocaleString()} entr${entries.length === 1 ? "y" : "ies"}${entries.length >= LIMIT ? " (the first " + LIMIT + "; narrow the dates)" : ""}: ` +
            KINDS.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`).join(", ")
        : "",
    ),
  );
  if (!entries.length) {
    list.appendChild(
      h("p", { class: "muted" }, "Nothing in the ledger for these filters. Articles enter it when ", h("code", {}, "echotrace collect"), " polls their sources."),
    );
    return;
  }
  // Newest first, one group per UTC day.
  let day = "";
  let group: HTMLElement | null = null;
  for (const e of [...entries].reverse()) {
    if (e.at.slice(0, 10) !== day) {
      day = e.at.slice(0, 10);
      group = h("ol", { class: "ledger-day" });
      list.appendChild(h("h3", { class: "ledger-date" }, day || "undated"));
      list.appendChild(group);
    }
    group!.appendChild(ledgerItem(e));
  }
}

function ledgerItem(e: LedgerEntry): HTMLElement {
  const title = e.title || e.url;
  return h(
    "li",
    { class: `ledger-entry kind-${e.kind}`, "data-kind": e.kind },
    h(
      "div",
      { class: "ledger-head" },
      h("span", { class: `ledger-kind kind-${e.kind}` }, KIND_LABEL[e.kind] ?? e.kind),
      h("time", { datetime: e.at, class: "muted" }, e.at.slice(11, 19) ? `${e.at.slice(11, 16)} UTC` : e.at),
      e.version ? h("a", { class: "title", href: href("article", {}, [e.version]) }, title) : h("span", { class: "title" }, title),
    ),
    h(
      "div",
      { class: "ledger-meta muted small" },
      e.source ? h("span", {}, e.source) : null,
      /^https?:\/\//i.test(e.url) ? h("a", { class: "ledger-url", href: href("ledger", { url: e.url }), title: "this URL's history" }, e.url) : h("span", { class: "ledger-url" }, e.url),
      e.reason ? h("span", { class: "ledger-reason" }, e.reason) : null,
      e.capture_id ? h("span", { title: "echotrace export --warc ID writes this capture as WARC" }, `capture ${e.capture_id}`) : null,
    ),
    e.kind === "edited" && e.diff ? versionDiff(e.diff, e.previous_version) : null,
  );
}

// An edit as one paragraph: removed words struck through, added words
// marked, kept words shortened to a few on each side of a change.
export function versionDiff(ops: DiffOp[], previous?: string): HTMLElement {
  const p = h("p", { class: "version-diff" });
  const changes = ops.filter((op) => op.op !== "kept").length;
  ops.forEach((op, i) => {
    if (p.childNodes.length) p.appendChild(document.createTextNode(" "));
    if (op.op === "kept") {
      const words = op.quote.split(/\s+/).filter(Boolean);
      const head = i > 0 ? words.slice(0, CONTEXT_WORDS) : [];
      const tail = i + 1 < ops.length ? words.slice(-CONTEXT_WORDS) : [];
      if (head.length + tail.length >= words.length) p.appendChild(document.createTextNode(op.quote));
      else p.appendChild(document.createTextNode([head.join(" "), "…", tail.join(" ")].filter(Boolean).join(" ")));
      return;
    }
    if (op.original) p.appendChild(h("del", { class: "d-omitted", title: "removed in this version" }, op.original));
    if (op.original && op.quote) p.appendChild(document.createTextNode(" "));
    if (op.quote) p.appendChild(h("ins", { class: "d-inserted", title: "added in this version" }, op.quote));
  });
  return h(
    "div",
    { class: "version-change" },
    h(
      "p",
      { class: "muted small" },
      changes ? `${changes} change${changes > 1 ? "s" : ""} from ` : "No word changed from ",
      previous ? h("a", { href: href("article", {}, [previous]) }, "the previous version") : "the previous version",
    ),
    p,
  );
}

// The article view's panel: what changed from the version before, and the
// ledger entries of the article's URL (reachable from the article view).
export async function articleHistory(a: Article): Promise<HTMLElement | null> {
  const [changes, ledger] = await Promise.allSettled([
    a.version > 1 ? collectApi.changes(a.id) : Promise.resolve(null),
    /^https?:\/\//i.test(a.url) ? collectApi.ledger({ url: a.url, limit: 100 }) : Promise.resolve({ entries: [] as LedgerEntry[] }),
  ]);
  const entries = ledger.status === "fulfilled" ? ledger.value.entries : [];
  const diff = changes.status === "fulfilled" ? changes.value : null;
  if (!entries.length && !diff?.against) return null;
  const panel = h("section", { class: "article-history" }, h("h3", {}, "History"));
  if (diff?.against) {
    panel.appendChild(h("h4", {}, `Version ${diff.version.version} against version ${diff.against.version}`));
    panel.appendChild(versionDiff(diff.diff, diff.against.id));
  }
  if (entries.length) {
    panel.appendChild(
      h(
        "ol",
        { class: "ledger-day compact" },
        [...entries].reverse().map((e) =>
          h(
            "li",
            { class: `ledger-entry kind-${e.kind}`, "data-kind": e.kind },
            h("span", { class: `ledger-kind kind-${e.kind}` }, e.kind),
            " ",
            h("time", { datetime: e.at, class: "muted" }, e.at.replace("T", " ").replace("Z", " UTC")),
            e.reason ? h("span", { class: "muted small" }, ` · ${e.reason}`) : null,
            e.version && e.version !== a.id && e.version !== `${a.article_id}@${a.version}` ? h("span", {}, " · ", h("a", { href: href("article", {}, [e.version]) }, "that version")) : null,
          ),
        ),
      ),
    );
    panel.appendChild(h("p", { class: "small" }, h("a", { class: "ledger-link", href: href("ledger", { url: a.url }) }, "This URL in the ledger →")));
  }
  return panel;
}
