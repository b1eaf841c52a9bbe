// Month bar charts (search's date histogram, an entity's mentions): one bar
// per month over a continuous range, months without matches drawn empty, and
// a brush: drag across bars (or click one) to pick a range of months.
import { h } from "./dom";

// Every month from the earliest to the latest "YYYY-MM" of `months`, none skipped.
export function monthRange(months: string[]): string[] {
  const valid = months.filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  if (!valid.length) return [];
  let [y, m] = valid[0].split("-").map(Number);
  const [ly, lm] = valid[valid.length - 1].split("-").map(Number);
  const out: string[] = [];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

// "2024-02" -> "2024-02-29": the month's real last day (a "-31" is not a date in short months).
export function lastDayOf(month: string): string {
  const [year, m] = month.split("-").map(Number);
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, "0")}`;
}

export interface MonthBarsOptions {
  selected?: (month: string) => boolean; // bars outside the current filter are greyed
  onPick?: (first: string, last: string) => void; // a brushed (or clicked) range
  height?: number;
}

// An SVG of bars and a label that follows the pointer ("2011-05: 1,203").
export function monthBars(months: string[], counts: Record<string, number>, options: MonthBarsOptions = {}): { svg: SVGSVGElement; label: HTMLElement } {
  const height = options.height ?? 64;
  const width = 1000;
  const max = Math.max(1, ...months.map((m) => counts[m] ?? 0));
  const bar = width / Math.max(1, months.length);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("class", "histogram-bars");
  svg.setAttribute("role", "img");
  svg.style.height = `${height}px`;
  months.forEach((m, i) => {
    const n = counts[m] ?? 0;
    const rect = document.createElementNS(ns, "rect");
    const barHeight = n ? Math.max(2, (height - 2) * (n / max)) : 0;
    rect.setAttribute("x", String(i * bar));
    rect.setAttribute("width", String(Math.max(bar - (bar > 3 ? 1 : 0), 0.5)));
    rect.setAttribute("y", String(height - barHeight));
    rect.setAttribute("height", String(barHeight));
    rect.setAttribute("class", `bar${options.selected && !options.selected(m) ? " out" : ""}`);
    rect.setAttribute("data-month", m);
    rect.setAttribute("data-count", String(n));
    const title = document.createElementNS(ns, "title");
    title.textContent = `${m}: ${n.toLocaleString("en-GB")}`;
    rect.appendChild(title);
    svg.appendChild(rect);
  });
  const brush = document.createElementNS(ns, "rect");
  brush.setAttribute("class", "brush");
  brush.setAttribute("y", "0");
  brush.setAttribute("height", String(height));
  brush.setAttribute("width", "0");
  svg.appendChild(brush);
  const label = h("span", { class: "histogram-label muted small" });
  const at = (event: PointerEvent) => {
    const box = svg.getBoundingClientRect();
    return Math.min(months.length - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * months.length)));
  };
  const sum = (lo: number, hi: number) => {
    let total = 0;
    for (let i = lo; i <= hi; i++) total += counts[months[i]] ?? 0;
    return total;
  };
  let start = -1;
  const show = (a: number, b: number) => {
    const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
    brush.setAttribute("x", String(lo * bar));
    brush.setAttribute("width", String((hi - lo + 1) * bar));
    label.textContent = `${months[lo]}${hi > lo ? ` – ${months[hi]}` : ""}: ${sum(lo, hi).toLocaleString("en-GB")}`;
  };
  svg.addEventListener("pointerdown", (e) => {
    if (!options.onPick) return;
    start = at(e);
    svg.setPointerCapture(e.pointerId);
    show(start, start);
  });
  svg.addEventListener("pointermove", (e) => {
    const i = at(e);
    if (start >= 0) show(start, i);
    else label.textContent = `${months[i]}: ${(counts[months[i]] ?? 0).toLocaleString("en-GB")}`;
  });
  svg.addEventListener("pointerup", (e) => {
    if (start < 0 || !options.onPick) return;
    const end = at(e);
    const [lo, hi] = [Math.min(start, end), Math.max(start, end)];
    start = -1;
    options.onPick(months[lo], months[hi]);
  });
  return { svg, label };
}
