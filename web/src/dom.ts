// Tiny DOM helpers: elements are built from data with textContent, never from
// HTML strings, so nothing an article says can run as markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

// Renders a search snippet: the server's text is HTML-escaped with only
// <mark>…</mark> added; we rebuild it from text nodes and <mark> elements.
export function snippet(html: string): HTMLElement {
  const out = h("p", { class: "snippet" });
  const decoder = document.createElement("textarea");
  let inMark = false;
  for (const token of html.split(/(<mark>|<\/mark>)/)) {
    if (token === "<mark>") inMark = true;
    else if (token === "</mark>") inMark = false;
    else if (token) {
      decoder.innerHTML = token; // a textarea decodes entities without parsing markup
      const text = document.createTextNode(decoder.value);
      out.appendChild(inMark ? h("mark", {}, text) : text);
    }
  }
  return out;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function notice(kind: "info" | "error" | "unavailable", ...children: Child[]): HTMLElement {
  return h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
