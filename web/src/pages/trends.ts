// Trends: one or more terms per month, as counts or per 1,000 articles,
// optionally split by outlet; CSV and PNG export.
import uPlot from "uplot";
import { api, type Trends } from "../api";
import { download, h } from "../dom";
import { go, href } from "../router";
import { errorNotice, field, isoDateInput } from "./common";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

export async function trendsPage(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const terms = h("input", { type: "text", name: "terms", value: params.get("terms") ?? "", placeholder: 'harvest, "nothing is impossible", title:plenary', "aria-label": "terms" });
  const mode = h("select", { name: "mode" }, h("option", { value: "count" }, "articles per month"), h("option", { value: "per1000" }, "per 1,000 articles"));
  mode.value = params.get("mode") === "per1000" ? "per1000" : "count";
  const split = h("input", { type: "checkbox", name: "split", checked: params.get("split") === "outlet" });
  const kind = h("select", { name: "kind" }, h("option", { value: "" }, "all outlets"), h("option", { value: "state" }, "DPRK state media"), h("option", { value: "foreign" }, "foreign outlets"));
  kind.value = params.get("kind") ?? "";
  const from = isoDateInput("from", params.get("from") ?? "", true);
  const to = isoDateInput("to", params.get("to") ?? "", true);
  const state = () => ({ terms: terms.value.trim(), mode: mode.value, split: split.checked ? "outlet" : "", kind: kind.value, from: from.value, to: to.value });
  root.appendChild(
    h(
      "form",
      { class: "trends-form", onsubmit: ((e: Event) => (e.preventDefault(), go("trends", state()))) as EventListener },
      h("div", { class: "query-row" }, terms, h("button", { type: "submit" }, "Chart")),
      h("p", { class: "muted small" }, "Up to 8 terms, separated by commas; each is a search query (words, \"phrases\", title:word)."),
      h("div", { class: "filters" }, field("Show", mode), field("Outlets", kind), field("From", from), field("To", to), h("label", { class: "toggle" }, split, " split by outlet")),
    ),
  );
  for (const control of [mode, kind, split, from, to]) control.addEventListener("change", () => go("trends", state()));
  const list = splitTerms(terms.value);
  if (!list.length) {
    root.appendChild(h("p", { class: "muted" }, "Enter one or more terms to chart how often they appear month by month."));
    return;
  }
  let data: Trends;
  try {
    data = await api.trends({ term: list, split: split.checked ? "outlet" : "", kind: kind.value, from: from.value, to: to.value });
  } catch (error) {
    root.appendChild(errorNotice(error, "Trends"));
    return;
  }
  const perThousand = mode.value === "per1000";
  const chartBox = h("div", { class: "chart", id: "trend-chart" });
  const exportRow = h(
    "div",
    { class: "toolbar" },
    h("button", { type: "button", class: "secondary", onclick: () => download("echotrace-trends.csv", new Blob([csv(data)], { type: "text/csv" })) }, "Export CSV"),
    h("button", { type: "button", class: "secondary", onclick: () => void exportPng(chartBox, list.join(", ")) }, "Export PNG"),
  );
  root.appendChild(exportRow);
  root.appendChild(chartBox);
  if (!data.months.length) {
    chartBox.appendChild(h("p", { class: "muted" }, "No dated articles in this range."));
    return;
  }
  const xs = data.months.map((m) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1) / 1000);
  // Months as ISO "YYYY-MM" on the axis and in the legend (uPlot's default is US M/D/YY).
  const isoMonth = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 7);
  const series: uPlot.Series[] = [{ label: "month", value: (_u, ts) => (ts == null ? "–" : isoMonth(ts)) }];
  const columns: (number | null)[][] = [xs];
  data.series.forEach((s, i) => {
    series.push({
      label: s.outlet ? `${s.term} — ${s.outlet.name}` : s.term,
      stroke: COLORS[i % COLORS.length],
      width: 2,
      points: { show: data.months.length < 40 },
      spanGaps: false,
      value: (_u, v) => (v == null ? "–" : perThousand ? v.toFixed(1) : String(v)),
      scale: "y",
    });
    columns.push(plotted(data, s, perThousand));
  });
  // Coverage: how many articles with full text each month has (the corpus
  // holds some years only); drawn faint on its own axis.
  series.push({ label: "articles with text (coverage)", stroke: "#bbb", width: 1, dash: [4, 4], scale: "n", spanGaps: false });
  columns.push(data.articles.total.map((n) => (n > 0 ? n : null)));
  const width = Math.max(320, Math.min(1100, root.clientWidth || 900));
  const plot = new uPlot(
    {
      width,
      height: 380,
      series,
      axes: [{ values: (_u, splits) => splits.map(isoMonth) }, { label: perThousand ? "per 1,000 articles" : "articles", size: 60, scale: "y" }, { side: 1, scale: "n", label: "articles with text", size: 60, grid: { show: false } }],
      scales: { x: { time: true }, y: {}, n: {} },
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    },
    columns as uPlot.AlignedData,
    chartBox,
  );
  chartBox.dataset.series = String(data.series.length);
  // A click on the chart opens that month's articles for the first term.
  plot.over.addEventListener("click", () => {
    const i = plot.cursor.idx;
    if (i == null || i < 0 || i >= data.months.length) return;
    const month = data.months[i];
    go("search", { q: list[0], from: `${month}-01`, to: lastDay(month) });
  });
  if (perThousand) root.appendChild(h("p", { class: "muted small" }, `Rates are left out for months with fewer than ${MIN_BASE} articles (a single article would read as 1,000 per 1,000).`));
  root.appendChild(table(data, perThousand));
  window.addEventListener("resize", () => plot.setSize({ width: Math.max(320, Math.min(1100, root.clientWidth)), height: 380 }), { once: true });
}

// Rates over fewer articles than this are noise, not a trend.
const MIN_BASE = 10;

// A series' values as drawn: null (a gap) where the month has no articles
// in the series' base (its outlet, or all), and for rates where the base
// is under MIN_BASE.
function plotted(data: Trends, s: Trends["series"][number], perThousand: boolean): (number | null)[] {
  const base = s.outlet ? (data.articles.by_outlet[s.outlet.id] ?? data.articles.total) : data.articles.total;
  return data.months.map((_, i) => {
    const n = base[i] ?? 0;
    if (n === 0 || (perThousand && n < MIN_BASE)) return null;
    return perThousand ? s.per_1000[i] : s.counts[i];
  });
}

function lastDay(month: string): string {
  const [year, m] = month.split("-").map(Number);
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, "0")}`;
}

function splitTerms(value: string): string[] {
  // Commas separate terms, except inside "quoted phrases".
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      if (current.trim()) out.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out.slice(0, 8);
}

function label(s: Trends["series"][number]): string {
  return s.outlet ? `${s.term} (${s.outlet.id || "unknown"})` : s.term;
}

function csv(data: Trends): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = ["month", "articles", ...data.series.flatMap((s) => [`${label(s)} count`, `${label(s)} per 1000`])];
  const rows = data.months.map((m, i) => [m, String(data.articles.total[i]), ...data.series.flatMap((s) => [String(s.counts[i]), s.per_1000[i].toFixed(3)])]);
  return [header, ...rows].map((r) => r.map(quote).join(",")).join("\n") + "\n";
}

async function exportPng(box: HTMLElement, title: string) {
  const source = box.querySelector("canvas");
  if (!source) return;
  const canvas = document.createElement("canvas");
  canvas.width = source.width;
  canvas.height = source.height + 40;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#222";
  ctx.font = `${Math.round(16 * devicePixelRatio)}px sans-serif`;
  ctx.fillText(`echotrace trends: ${title}`, 10, 26);
  ctx.drawImage(source, 0, 40);
  canvas.toBlob((blob) => blob && download("echotrace-trends.png", blob), "image/png");
}

function table(data: Trends, perThousand: boolean): HTMLElement {
  return h(
    "details",
    { class: "trend-table" },
    h("summary", {}, "Numbers"),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {}, "month"), h("th", {}, "articles"), data.series.map((s) => h("th", {}, label(s))))),
      h(
        "tbody",
        {},
        data.months.map((m, i) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: href("search", { q: data.series[0]?.term ?? "", from: `${m}-01`, to: lastDay(m) }) }, m)),
            h("td", {}, String(data.articles.total[i])),
            data.series.map((s) => {
              const v = plotted(data, s, perThousand)[i];
              return h("td", {}, v == null ? "–" : perThousand ? v.toFixed(1) : String(v));
            }),
          ),
        ),
      ),
    ),
  );
}
