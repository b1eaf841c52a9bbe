// Events: a timeline of named events (meetings, congresses, anniversaries)
// with the state-media and foreign articles about each.
import { api, type EventItem } from "../api";
import { h } from "../dom";
import { go } from "../router";
import { articleLine, errorNotice, field } from "./common";

export async function eventsPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const q = h("input", { type: "search", name: "q", value: params.get("q") ?? "", placeholder: "words in the event's name" });
  const from = h("input", { type: "date", name: "from", value: params.get("from") ?? "" });
  const to = h("input", { type: "date", name: "to", value: params.get("to") ?? "" });
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
  let events: EventItem[];
  try {
    events = (await api.events({ q: q.value, from: from.value, to: to.value, limit: 100 })).events;
  } catch (error) {
    out.replaceChildren(errorNotice(error, "The events timeline"));
    return;
  }
  out.replaceChildren();
  if (!events.length) out.appendChild(h("p", {}, "No events found."));
  let month = "";
  for (const e of [...events].sort((a, b) => a.date.localeCompare(b.date))) {
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
}

function column(title: string, articles: NonNullable<EventItem["state"]>): HTMLElement {
  return h("div", {}, h("h4", {}, `${title} (${articles.length})`), articles.length ? articles.map((a) => articleLine(a)) : h("p", { class: "muted small" }, "none"));
}
