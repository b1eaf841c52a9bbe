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
    h("span", { class: "muted" }, a.date || "undated"),
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
