// Pieces several pages share: article lines, outlet badges, polite notices.
import type { ArticleSummary, Outlet } from "../api";
import { ApiError } from "../api";
import { h, notice } from "../dom";
import { href } from "../router";

export function outletBadge(outlet: Outlet): HTMLElement {
  const kind = outlet.state_media ? "state" : "foreign";
  return h(
    "span",
    { class: `badge ${kind}`, title: outlet.state_media ? "DPRK state media" : outlet.known ? "foreign outlet" : "outlet not in the outlet table" },
    outlet.name || outlet.id || "unknown",
  );
}

export function articleLine(a: ArticleSummary, extra?: Node): HTMLElement {
  return h(
    "div",
    { class: "article-line" },
    h("a", { href: href("article", {}, [a.id]), class: "title" }, a.title || "(untitled)"),
    " ",
    outletBadge(a.outlet),
    " ",
    h("span", { class: "muted date" }, a.date || "undated"),
    a.versions > 1 ? h("span", { class: "muted" }, ` · version ${a.version}/${a.versions}`) : null,
    extra ?? null,
  );
}

// An error as a notice: no data yet is explained (by the API's code, not its
// wording); anything else says what failed, naming the parameter.
export function errorNotice(error: unknown, what: string): HTMLElement {
  if (error instanceof ApiError && error.code === "no_data") {
    return notice("info", "No data yet. Ingest something first: ", h("code", {}, "echotrace ingest data/sample"));
  }
  const message = error instanceof Error ? error.message : String(error);
  const param = error instanceof ApiError && error.parameter ? ` (${error.parameter})` : "";
  return notice("error", `${what}: ${message}${param}`);
}

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h("label", { class: "field" }, h("span", {}, label), control, hint ? h("small", { class: "muted" }, hint) : null);
}

// "1 article", "12 entities": English plurals for counts shown to a reader.
export function plural(n: number, one: string, many?: string): string {
  if (n === 1) return one;
  if (many) return many;
  if (/[^aeiou]y$/.test(one)) return one.slice(0, -1) + "ies";
  if (/(s|x|ch|sh)$/.test(one)) return one + "es";
  return one + "s";
}

// A citation an analyst can paste: outlet, date, "title", URL, and the quoted
// words when there are some. Dates stay ISO (YYYY-MM-DD).
export function citation(a: ArticleSummary, quote = ""): string {
  const outlet = a.outlet.name || a.outlet.id || "unknown outlet";
  const parts = [outlet, a.date || "undated", `"${a.title || "(untitled)"}"`];
  if (a.url) parts.push(a.url);
  let text = parts.join(", ") + ".";
  const words = quote.replace(/\s+/g, " ").trim();
  if (words) text += ` Quote: "${words}"`;
  return text;
}

// A small button that copies `text` to the clipboard and says so.
export function copyButton(text: string, label: string, title: string): HTMLElement {
  const button = h("button", { type: "button", class: "copy secondary small", title, "data-copy": text }, label);
  button.addEventListener("click", async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // No clipboard permission (plain http on another host): the old way.
      const area = h("textarea", { class: "offscreen", readonly: true });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      ok = document.execCommand("copy");
      area.remove();
    }
    button.textContent = ok ? "Copied" : "Copy failed";
    button.classList.toggle("copied", ok);
    setTimeout(() => (button.textContent = label), 2000);
  });
  return button;
}

// A date field that reads and writes ISO dates (YYYY-MM-DD, or YYYY-MM with
// `month`) whatever the browser's locale: a native date input shows mm/dd/yyyy
// in a US locale. The browser checks the shape; the API checks the calendar.
export function isoDateInput(name: string, value: string, month = false): HTMLInputElement {
  return h("input", {
    type: "text",
    name,
    value,
    class: "iso-date",
    inputmode: "numeric",
    placeholder: month ? "YYYY-MM" : "YYYY-MM-DD",
    pattern: month ? "\\d{4}-\\d{2}" : "\\d{4}-\\d{2}-\\d{2}",
    title: month ? "a month as YYYY-MM" : "a date as YYYY-MM-DD",
    size: month ? 8 : 11,
    "aria-label": name,
  });
}
