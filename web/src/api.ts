// The JSON API (docs/api.md) as typed calls.

export interface Outlet {
  id: string;
  name: string;
  state_media: boolean;
  known: boolean;
  count?: number;
}

export interface ArticleSummary {
  id: string;
  article_id: string;
  title: string;
  outlet: Outlet;
  date: string;
  url: string;
  external_id: string;
  version: number;
  versions: number;
  latest: boolean;
  headline_stub: boolean;
  ingested_at: string;
}

export interface Hit extends ArticleSummary {
  snippet: string;
  score: number;
  rank: number;
  // Headline stubs of the same story (same outlet, day and title), folded into this hit.
  also_listed_as?: ArticleSummary[];
}

export interface SearchResult {
  total: number;
  offset: number;
  limit: number;
  hits: Hit[];
  approximate: boolean;
  sort: "relevance" | "date";
  // Matches per month over every match (histogram=1).
  histogram?: { months: Record<string, number>; undated: number; approximate: boolean };
  facets_approximate?: boolean; // the facets counted only the first `facet_documents` matches
  facet_documents?: number;
  entity_facet_documents?: number; // the entity facet's sample: the first this many matches
  facets: {
    outlet?: Outlet[];
    month?: Record<string, number>;
    entity?: { key: string; name: string; count: number }[];
  };
  unindexed?: number;
  warnings?: string[]; // e.g. an asked outlet with no article here
}

export interface SpanJson {
  kind: string;
  label: string;
  key: string;
  attrs: Record<string, string>;
  begin: number;
  end: number;
  begin16: number;
  end16: number;
  text?: string;
}

export interface DiffOp {
  op: "kept" | "changed" | "inserted" | "omitted";
  quote: string;
  original: string;
}

export interface QuoteLink {
  id?: string;
  begin?: number;
  end?: number;
  text?: string;
  speaker?: string;
  speaker_name?: string;
  article?: ArticleSummary | null;
  original?: { article: ArticleSummary; text: string; begin?: number; end?: number } | null;
  similarity?: number;
  diff?: DiffOp[];
  chain?: (ArticleSummary & { relation?: string })[];
  match?: "verbatim" | "near" | "paraphrase";
  why?: string;
  confidence?: number;
}

// A foreign article's quote traced to this (state-media) article.
export interface Echo {
  article: ArticleSummary;
  quote: string;
  original: string;
  match: "verbatim" | "near" | "paraphrase";
  why: string;
  confidence: number;
  diff: DiffOp[];
}

export interface Republication {
  article: ArticleSummary;
  relation?: string;
  similarity?: number;
}

export interface Article extends ArticleSummary {
  origin: string;
  format: string;
  warnings: string[];
  derived_from: string;
  text: string;
  body: string;
  raw_bytes: number;
  blocks: SpanJson[];
  removed: SpanJson[];
  annotations: SpanJson[];
  all_versions: ArticleSummary[];
  links: { quotes?: QuoteLink[]; republications?: Republication[]; events?: EventItem[]; echoed_by?: Echo[]; echoes?: number } | null;
  links_available: boolean;
}

export interface Stats {
  articles: number;
  versions: number;
  headline_stubs: number;
  unindexed: number;
  outlets: Outlet[];
  by_month: Record<string, number>;
  available: Record<"entities" | "quotes" | "trace" | "events" | "article_links" | "ingest", boolean>;
  empty: boolean;
}

export interface TrendSeries {
  term: string;
  outlet: Outlet | null;
  counts: number[];
  per_1000: number[];
  total: number;
}

export interface Trends {
  months: string[];
  articles: { total: number[]; by_outlet: Record<string, number[]> };
  series: TrendSeries[];
}

export interface EventItem {
  key: string;
  name: string;
  date: string;
  end_date?: string;
  state?: ArticleSummary[];
  foreign?: ArticleSummary[];
}

export interface EntityPage {
  key: string;
  name: string;
  kind: string;
  known: boolean;
  articles: number;
  spellings: { text: string; mentions: number }[];
  roles: { role: string; first: string; last: string; articles: number }[];
  roles_sampled: number;
  by_month: Record<string, number>;
  undated: number;
  co_occurring: { key: string; name: string; count: number }[];
  quotes: { total: number; quotes: QuoteLink[] };
  published?: { articles: number; by_month: Record<string, number> };
}

export interface TraceResult {
  quotes: QuoteLink[];
  republications: Republication[];
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public parameter?: string,
    // The API's stable error id ("no_data", "bad_parameter", "not_found", "busy"...): branch on it, not on the message.
    public code?: string,
    // For a query that does not read (code "query_syntax"): the 1-based character at fault.
    public position?: number,
  ) {
    super(message);
  }
}

export async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "the echotrace server does not answer (is `echotrace serve` running?)");
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status, `unexpected answer from ${path} (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const error = body as { error?: string; parameter?: string; code?: string; position?: number };
    throw new ApiError(response.status, error.error ?? `HTTP ${response.status}`, error.parameter, error.code, error.position);
  }
  return body as T;
}

export function query(params: Record<string, string | number | undefined | string[]>): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => q.append(name, v));
    else q.set(name, String(value));
  }
  return q.toString();
}

// The search's hits as a file (GET /api/export): csv or jsonl, the search's filters.
export function exportUrl(params: Record<string, string | number | undefined>): string {
  return `/api/export?${query(params)}`;
}

export const api = {
  stats: () => call<Stats>("/api/stats"),
  search: (params: Record<string, string | number | undefined>) => call<SearchResult>(`/api/search?${query(params)}`),
  article: (id: string) => call<Article>(`/api/article/${encodeURIComponent(id)}`),
  trends: (params: Record<string, string | string[] | undefined>) => call<Trends>(`/api/trends?${query(params)}`),
  entity: (id: string) => call<EntityPage>(`/api/entity/${encodeURIComponent(id)}`),
  events: (params: Record<string, string | number | undefined>) =>
    call<{ total: number; events: EventItem[] }>(`/api/events?${query(params)}`),
  quotes: (params: Record<string, string | number | undefined>) =>
    call<{ total: number; quotes: QuoteLink[] }>(`/api/quotes?${query(params)}`),
  // `date` (YYYY-MM-DD, YYYY-MM) and `url` are optional: given, the text is
  // traced as a whole article published then (its window of originals).
  trace: (text: string, date = "", url = "") =>
    call<TraceResult>("/api/trace", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, ...(date ? { date } : {}), ...(url ? { url } : {}) }),
    }),
  ingest: (text: string, name: string) =>
    call<{ added: number; new_versions: number; duplicates: number; skipped: number }>("/api/ingest", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, name }),
    }),
};

let statsCache: Promise<Stats> | null = null;
// Stats change only with an ingest: fetched once per page load (reset after an ingest).
export function cachedStats(reset = false): Promise<Stats> {
  if (reset || !statsCache) statsCache = api.stats();
  statsCache.catch(() => (statsCache = null));
  return statsCache;
}
