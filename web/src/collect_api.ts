// The collection side of the JSON API (docs/api.md: ledger, watchlists,
// version changes) as typed calls.
import { call, query, type ArticleSummary, type DiffOp } from "./api";

export type LedgerKind = "new" | "edited" | "gone" | "restored";

export interface LedgerEntry {
  id: number;
  at: string; // UTC, "2026-11-30T22:15:03Z"; for gone: when first missed
  kind: LedgerKind;
  url: string;
  source: string;
  reason: string;
  title: string;
  docno: number;
  previous_docno: number;
  version?: string;
  previous_version?: string;
  capture_id: number;
  diff?: DiffOp[]; // edited: the previous version's words against this one's
}

export interface WatchSpec {
  name: string;
  query: string;
  phrase: string;
  speaker: string;
  sources: string[];
  entities: string[];
  from: string;
  to: string;
  media: string;
}

export interface WatchMatch {
  id: string;
  title: string;
  source: string;
  date: string;
  url: string;
  matched_at: string;
}

export interface WatchView {
  watch: WatchSpec;
  created_at: string;
  matches: WatchMatch[];
  phrase_uses: { source: string; first: string; last: string; articles: number }[];
}

export interface VersionChanges {
  version: ArticleSummary;
  against: ArticleSummary | null; // null for a first version
  diff: DiffOp[];
}

export const collectApi = {
  ledger: (params: Record<string, string | number | string[] | undefined>) =>
    call<{ entries: LedgerEntry[] }>(`/api/ledger?${query(params)}`),
  changes: (id: string) => call<VersionChanges>(`/api/article/${encodeURIComponent(id)}/changes`),
  watchlists: () => call<{ watchlists: WatchSpec[] }>("/api/watchlists"),
  watch: (name: string) => call<WatchView>(`/api/watchlists/${encodeURIComponent(name)}`),
  addWatch: (spec: Partial<WatchSpec> & { name: string }) =>
    call<{ watch: WatchSpec; matches: number }>("/api/watchlists", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(spec),
    }),
  removeWatch: (name: string) =>
    call<{ removed: string }>(`/api/watchlists/${encodeURIComponent(name)}/delete`, { method: "POST" }),
};
