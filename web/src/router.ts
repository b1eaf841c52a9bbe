// Links between views: hash URLs that can be shared and bookmarked.

export function href(page: string, params: Record<string, string | number | undefined> = {}, path: string[] = []): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  return `#/${[page, ...path.map(encodeURIComponent)].join("/")}${q.toString() ? "?" + q : ""}`;
}

export function go(page: string, params: Record<string, string | number | undefined> = {}, path: string[] = []): void {
  const target = href(page, params, path);
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = target;
}
