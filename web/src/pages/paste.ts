// Paste box: paste a foreign article or a quote and see which state-media
// text it reuses (POST /api/trace); optionally ingest it.
import { api, cachedStats } from "../api";
import { h, notice } from "../dom";
import { go } from "../router";
import { articleLine, errorNotice, field } from "./common";
import { quoteCard } from "./provenance";

export async function pastePage(root: HTMLElement): Promise<void> {
  const text = h("textarea", { rows: 12, placeholder: "Paste a foreign article or a quote here…", "aria-label": "text to trace", name: "text" });
  const saved = sessionStorage.getItem("echotrace.paste");
  if (saved) text.value = saved;
  // Optional: when the article was published (its window of originals) and where.
  const date = h("input", { type: "text", name: "date", placeholder: "YYYY-MM-DD or YYYY-MM", pattern: "\\d{4}-\\d{2}(-\\d{2})?", size: 12 });
  const url = h("input", { type: "url", name: "url", placeholder: "https://…", size: 40 });
  date.value = sessionStorage.getItem("echotrace.paste.date") ?? "";
  url.value = sessionStorage.getItem("echotrace.paste.url") ?? "";
  const out = h("div", { class: "trace-results" });
  const trace = h("button", { type: "submit" }, "Trace");
  const searchIt = h("button", { type: "button", class: "secondary" }, "Search for its phrases");
  const ingest = h("button", { type: "button", class: "secondary", hidden: true }, "Ingest this text");
  root.appendChild(h("h2", {}, "What does this text reuse?"));
  root.appendChild(
    h(
      "form",
      { class: "paste-form", onsubmit: ((e: Event) => (e.preventDefault(), void run())) as EventListener },
      text,
      h("div", { class: "paste-meta" }, field("Published", date, "optional: short quotes then link to originals of its days"), field("URL", url, "optional")),
      h("div", { class: "buttons" }, trace, searchIt, ingest),
    ),
  );
  root.appendChild(out);
  const stats = await cachedStats().catch(() => null);
  if (stats?.available.ingest) ingest.hidden = false;

  searchIt.addEventListener("click", () => {
    // The quoted passages, else the first words, as phrases.
    const quoted = [...text.value.matchAll(/["“]([^"”]{12,200})["”]/g)].map((m) => `"${m[1].trim()}"`);
    const query = quoted.length ? quoted.slice(0, 3).join(" OR ") : `"${text.value.trim().split(/\s+/).slice(0, 6).join(" ")}"`;
    go("search", { q: query });
  });
  ingest.addEventListener("click", async () => {
    try {
      const r = await api.ingest(text.value, "paste.txt");
      out.replaceChildren(notice("info", `Ingested: ${r.added} new, ${r.new_versions} new versions, ${r.duplicates} already there, ${r.skipped} skipped.`));
      void cachedStats(true);
    } catch (error) {
      out.replaceChildren(errorNotice(error, "Ingest"));
    }
  });

  async function run() {
    sessionStorage.setItem("echotrace.paste", text.value);
    sessionStorage.setItem("echotrace.paste.date", date.value.trim());
    sessionStorage.setItem("echotrace.paste.url", url.value.trim());
    out.replaceChildren(h("p", { class: "muted" }, "Tracing…"));
    try {
      const r = await api.trace(text.value, date.value.trim(), url.value.trim());
      out.replaceChildren();
      out.appendChild(h("h3", {}, `${r.quotes.length} reused passage${r.quotes.length === 1 ? "" : "s"}`));
      for (const q of r.quotes) out.appendChild(quoteCard(q));
      if (r.republications?.length) {
        out.appendChild(h("h3", {}, "Articles it republishes"));
        for (const p of r.republications) out.appendChild(articleLine(p.article, p.similarity !== undefined ? h("span", { class: "muted" }, ` · ${(p.similarity * 100).toFixed(0)}% similar`) : undefined));
      }
    } catch (error) {
      out.replaceChildren(errorNotice(error, "Tracing a pasted text"), h("p", { class: "muted" }, "Meanwhile, “Search for its phrases” finds articles that share its quoted passages."));
    }
  }
}
