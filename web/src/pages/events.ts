// Events: a timeline of named events (meetings, congresses, anniversaries)
// with the state-media and foreign articles about each.
import { api, type EventItem } from "../api";
import { h } from "../dom";
import { go } from "../router";
import { articleLine, errorNotice, field, isoDateInput } from "./common";

export async function eventsPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const q = h("input", { type: "search", name: "q", value: params.get("q") ?? "", placeholder: "words in the event's name" });
  const from = isoDateInput("from", params.get("from") ?? "");
  const to = isoDateInput("to", params.get("to") ?? "");
  root.appendChild(
    h(
      "form",
      { class: "inline-form", onsubmit: ((e: Event) => (e.preventDefault(), go("events", { q: q.value.trim(), from: from.value, to: to.value }))) as EventListener },
      field("Event", q),
      field("From", from),
      field("To", to),
      h("button", { type: "submit" }, "Show"),
    ),
  );
  const out = h("div", { class: "timeline" }, h("p", { class: "muted" }, "Loading…"));
  root.appendChild(out);
  const pageSize = 50;
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  let events: EventItem[];
  let total = 0;
  try {
    const answer = await api.events({ q: q.value, from: from.value, to: to.value, limit: pageSize, offset });
    events = answer.events;
    total = answer.total;
  } catch (error) {
    out.replaceChildren(errorNotice(error, "The events timeline"));
    return;
  }
  out.replaceChildren();
  // Newest first, as the API lists them; a page of pageSize with the total.
  const pager = (): HTMLElement => {
    const here = { q: q.value.trim(), from: from.value, to: to.value };
    return h(
      "nav",
      { class: "pager" },
      offset > 0 ? h("button", { type: "button", onclick: () => go("events", { ...here, offset: String(Math.max(0, offset - pageSize)) }) }, "← Newer") : "",
      h("span", { class: "muted events-count" }, total ? `${offset + 1}–${offset + events.length} of ${total.toLocaleString("en-GB")} events` : ""),
      offset + events.length < total ? h("button", { type: "button", onclick: () => go("events", { ...here, offset: String(offset + pageSize) }) }, "Older →") : "",
    );
  };
  if (!events.length) {
    out.appendChild(h("p", {}, offset > 0 && total > 0 ? `No events on this page: there are ${total} in all.` : "No events found."));
    return;
  }
  out.appendChild(pager());
  let month = "";
  for (const e of events) {
    const m = e.date.slice(0, 7);
    if (m !== month) out.appendChild(h("h3", { class: "month" }, (month = m) || "undated"));
    out.appendChild(
      h(
        "div",
        { class: "event" },
        h("div", { class: "event-date" }, e.date + (e.end_date && e.end_date !== e.date ? ` – ${e.end_date}` : "")),
        h("div", { class: "event-body" }, h("strong", {}, e.name), h("div", { class: "event-columns" }, column("State media", e.state ?? []), column("Foreign coverage", e.foreign ?? []))),
      ),
    );
  }
  out.appendChild(pager());
}

function column(title: string, articles: NonNullable<EventItem["state"]>): HTMLElement {
  return h("div", {}, h("h4", {}, `${title} (${articles.length})`), articles.length ? articles.map((a) => articleLine(a)) : h("p", { class: "muted small" }, "none"));
}
