#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the project's own fixtures
# (tests/data, data/sample) into OUT/<target>/. Idempotent; takes a second.
# Usage: bash fuzz/seeds.sh OUT
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: fuzz/seeds.sh OUT}"
mkdir -p "$out"/{extract,jsonl,query,dates,quotes,trace,http,feed}

# extract: the first byte picks the format (0 HTML, 1 text, 2 JSON line).
n=0
for f in tests/data/extract/pages/* data/sample/*.html data/sample/*.txt; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  case "$f" in
    *.html) { printf '\000'; cat "$f"; } > "$out/extract/page-$n" ;;
    *) { printf '\001'; cat "$f"; } > "$out/extract/page-$n" ;;
  esac
done
head -n 20 data/sample/kcna_2024_mixed.jsonl | while IFS= read -r line; do
  n=$((n + 1))
  { printf '\002'; printf '%s' "$line"; } > "$out/extract/line-$RANDOM-$n"
done

# jsonl: whole input files, plain and compressed.
cp data/sample/* "$out/jsonl/"
rm -f "$out/jsonl/README.md"
gzip -c data/sample/kcna_2024_mixed.jsonl > "$out/jsonl/mixed.jsonl.gz"
if command -v zstd > /dev/null; then zstd -q -f -c data/sample/kcna_2024_mixed.jsonl > "$out/jsonl/mixed.jsonl.zst"; fi

# dates and quotes: the annotation passages.
cp tests/data/annotate/passages/* "$out/dates/"
cp tests/data/annotate/passages/* "$out/quotes/"

# trace: foreign texts that quote state media.
cp data/sample/wire_*.txt data/sample/blog_*.html "$out/trace/"

# query: the query syntax the docs show, and the shapes issue 14 named.
i=0
for q in 'harvest' '"nothing is impossible"' 'title:plenary AND source:kcna' 'harv*' 'person:kim-jong-un ideology' \
  'event:wpk/cc-8/plenary-4' 'rice -wheat' 'harvest NEAR farmers' 'harvest NEAR/3 farmers' '-x NEAR b.g' \
  'date:20240101..20241231 flood' '(a OR b) AND NOT c' 'speaker:kim-tok-hun'; do
  i=$((i + 1))
  printf '%s' "$q" > "$out/query/q$i"
done

# http: raw requests for every endpoint.
i=0
for r in 'GET /api/search?q=harvest&limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' \
  'GET /api/article/sample-kcna-2024-001?versions=1 HTTP/1.1\r\nHost: localhost\r\n\r\n' \
  'GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' \
  'GET /api/trends?term=harvest&term=flood&split=outlet HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' \
  'GET /api/entities?type=person&top=5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' \
  'GET /api/quotes?limit=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' \
  'GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' \
  'POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 52\r\n\r\n{"text": "the cooperative farm harvest was a success"}' \
  'POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' \
  'POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\nContent-Length: 3\r\n\r\nabc' \
  'GET /../secret HTTP/1.1\r\nHost: attacker.example\r\n\r\n'; do
  i=$((i + 1))
  printf "$r" > "$out/http/r$i"
done
# feed: the first byte picks the parser (0 feed/sitemap, 1 listing, 2 robots.txt, 3 sources file).
printf '\000<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title><link>/en/article/1</link><pubDate>Mon, 30 Nov 2026 08:00:00 +0900</pubDate></item><item><guid>http://kcna.kp/2</guid></item></channel></rss>' > "$out/feed/rss"
printf '\000<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><link rel="alternate" href="http://x.org/a"/><updated>2026-11-30T00:00:00Z</updated></entry></feed>' > "$out/feed/atom"
printf '\000<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://x.org/1</loc><news:news><news:title>T</news:title></news:news></url></urlset>' > "$out/feed/sitemap"
printf '\000<sitemapindex><sitemap><loc>http://x.org/s1.xml</loc></sitemap></sitemapindex>' > "$out/feed/sitemapindex"
printf '\001<a href="/en/article/1">1</a><A HREF = %sarticle/2?x=1&amp;y=2%s>2</A><a href=/x>' "'" "'" > "$out/feed/listing"
printf '\002User-agent: *\nDisallow: /private/\nAllow: /private/open/\n' > "$out/feed/robots"
printf '\003[collect]\ntimeout = "5s"\n[[source]]\nname = "kcna"\nurl = "http://kcna.kp/rss"\n' > "$out/feed/sources"
echo "fuzz seeds in $out: $(find "$out" -type f | wc -l) files"
