#!/usr/bin/env node
// Browser tests of the web UI: playwright-core driving Debian's chromium
// (headless, loopback only) against `echotrace serve` over a data directory
// built from data/sample. Screenshots go to --artifacts (build/test-artifacts).
//
// Usage: node tests/browser/run.mjs --binary build/echotrace [--artifacts DIR]
// Exit: 0 pass, 1 fail, 77 skipped (chromium, playwright-core or web/dist missing).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { artifacts, assets, binary, chromium, chromiumLauncher, repo } from "./setup.mjs";

const work = mkdtempSync(join(tmpdir(), "echotrace-browser-"));
const data = join(work, "data");
const failures = [];
let passed = 0;
function check(ok, what) {
  if (ok) {
    passed++;
    console.log(`ok - ${what}`);
  } else {
    failures.push(what);
    console.log(`not ok - ${what}`);
  }
}

// Beside the sample: a story and its own headline stub (same outlet, day and
// title), which search shows as one hit.
const extra = join(work, "extra");
mkdirSync(extra);
writeFileSync(
  join(extra, "stub.jsonl"),
  [
    { id: "ui-story", source: "kcna", date: "2024-06-03", url: "http://www.kcna.kp/en/article/ui-1.html", title: "Tideland Reclamation Project Completed", body: "A large tideland reclamation project was completed, the agency said." },
    { id: "ui-stub", source: "kcna", date: "2024-06-03", url: "http://www.kcna.kp/en/headlines/2024-06-03.html#3", title: "Tideland reclamation project completed", body: "" },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n") + "\n",
);
const ingest = spawnSync(binary, ["ingest", join(repo, "data/sample"), extra, "--data", data], { encoding: "utf8" });
if (ingest.status !== 0) {
  console.error(`FAIL: ingest of data/sample exited ${ingest.status}: ${ingest.stderr}`);
  process.exit(1);
}

// Port 0: the server picks a free port and prints its URL.
const server = spawn(binary, ["serve", "--data", data, "--bind", "127.0.0.1", "--port", "0", "--assets", assets, "--allow-ingest"], {
  stdio: ["ignore", "pipe", "pipe"],
});
const base = await new Promise((resolveUrl, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15000);
  server.stdout.on("data", (chunk) => {
    out += chunk;
    const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
    if (m) {
      clearTimeout(timer);
      resolveUrl(m[1]);
    }
  });
  server.stderr.on("data", (chunk) => process.stderr.write(chunk));
  server.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
console.log(`# serving at ${base}`);

mkdirSync(artifacts, { recursive: true });
let context;
try {
  context = await chromiumLauncher.launchPersistentContext(join(work, "profile"), {
    executablePath: chromium,
    headless: true,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  // Loopback only: anything else is blocked (and would be a bug: everything is bundled).
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    failures.push(`request outside loopback: ${url.href}`);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));

  async function open(hash) {
    await page.goto(`${base}${hash}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  }
  const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base.replace(/\/$/, "") });

  // --- Search: a phrase finds the KCNA item, highlighted; facets and a shareable URL.
  await open('#/search?q=%22nothing%20is%20impossible%22');
  const titles = await page.$$eval(".hit .title", (els) => els.map((e) => e.textContent));
  check(titles.some((t) => /Workshop of Party Officials/.test(t)), `search finds the KCNA workshop item (got ${JSON.stringify(titles)})`);
  check((await page.$$(".hit mark")).length > 0, "snippets highlight the matches");
  check((await page.$$(".facets .facet li")).length > 0, "facet counts are shown");
  await shot("search");

  await open("#/search?q=&kind=state");
  const badges = await page.$$eval(".hit .badge", (els) => els.map((e) => e.className));
  check(badges.length > 0 && badges.every((c) => c.includes("state")), "kind=state in the URL shows only state media");
  const summary = await page.$eval(".summary", (e) => Number(e.dataset.total));
  check(summary > 0, `the summary counts the matches (${summary})`);

  await open("#/search?q=&outlet=no-such-outlet");
  const warnings = await page.$$eval(".search-warning", (els) => els.map((e) => e.textContent));
  check(warnings.length === 1 && /no-such-outlet/.test(warnings[0]) && /kcna/.test(warnings[0]), `an outlet with no articles is named in a warning (${JSON.stringify(warnings)})`);

  await open("#/search?q=&limit=20");
  const hasNext = await page.$(".pager .next");
  check(hasNext === null || (await page.$$(".hit")).length === 20, "paging: a full page before a Next button");

  // --- Article: clean text, removed boilerplate behind a toggle, metadata.
  await open("#/search?q=title%3Abacking%20title%3Arally");
  const first = await page.$(".hit .title");
  check(first !== null, "the HTML blog page is found by its headline");
  if (first) {
    await first.click();
    await page.waitForSelector(".article-text h1");
    await page.waitForSelector('body[data-ready="1"]');
    const hiddenBefore = await page.$eval(".article-text", (e) => e.classList.contains("hide-removed"));
    const removedCount = await page.$$eval(".block.boilerplate", (els) => els.length);
    check(hiddenBefore && removedCount > 0, `removed boilerplate is hidden by default (${removedCount} blocks)`);
    await page.check("#show-removed");
    const visible = await page.$eval(".block.boilerplate", (e) => getComputedStyle(e).display !== "none");
    check(visible, "the toggle shows removed boilerplate");
    check((await page.$(".metadata .badge")) !== null, "the metadata panel names the outlet");
    await shot("article");
  }

  // --- Article annotations: the span renderer, fed spans the way annotators
  // store them. Until annotation is merged the stored articles have none, so
  // this one answer gets three spans added in flight (the text is untouched).
  const workshop = await (await fetch(`${base}api/search?q=title%3Aworkshop&outlet=kcna`)).json();
  await page.route("**/api/article/**", async (route) => {
    const response = await route.fetch();
    const article = await response.json();
    const spans = [
      ["entity", "person", "kim-jong-un", "Kim Jong Un", {}],
      ["quote", "", "", "nothing is impossible", { speaker: "kim-jong-un" }],
      ["date", "", "2022-03-28", "March 28", {}],
    ];
    for (const [kind, label, key, needle, attrs] of spans) {
      const at = article.text.indexOf(needle); // ASCII text: bytes and UTF-16 units agree
      if (at >= 0) article.annotations.push({ kind, label, key, attrs, begin: at, end: at + needle.length, begin16: at, end16: at + needle.length, text: needle });
    }
    await route.fulfill({ response, json: article });
  });
  await open(`#/article/${workshop.hits[0]?.id}`);
  await page.unroute("**/api/article/**");
  const entityText = await page.$$eval(".article-text .ann-entity", (els) => els.map((e) => e.textContent));
  check(entityText.includes("Kim Jong Un"), `entity spans are highlighted (${JSON.stringify(entityText)})`);
  const quoteText = await page.$$eval(".article-text .ann-quote", (els) => els.map((e) => e.textContent).join(""));
  check(quoteText.includes("nothing is impossible"), "quote spans are highlighted");
  check((await page.$$(".article-text .quote-link")).length > 0, "each quote links to the provenance view");
  check((await page.$$(".article-text .ann-date")).length > 0, "date spans are highlighted");
  check(/\d+ entit/.test(await page.$eval(".legend", (e) => e.textContent)), "the legend counts annotations by kind");
  await shot("article-annotations");

  // --- Echoed by: the KCNA workshop item lists the wire story that quotes it,
  // with the diff and the match kind.
  await open(`#/article/${workshop.hits[0]?.id}`);
  const echoes = await page.$$eval(".echoed-by .echo", (els) => els.map((e) => e.textContent));
  check(echoes.some((t) => /propaganda/i.test(t)), `the Echoed-by panel lists the wire story quoting it (${echoes.length} echoes)`);
  const kinds = await page.$$eval(".echoed-by .echo .match", (els) => els.map((e) => e.textContent));
  check(kinds.length > 0 && kinds.every((k) => /verbatim|near|paraphrase/.test(k)), `each echo says how it matched (${JSON.stringify(kinds)})`);
  check((await page.$$(".echoed-by .diff-side")).length > 0 || (await page.$$(".echoed-by .paraphrase-pair")).length > 0, "each echo shows its diff or both texts");
  await shot("article-echoed-by");

  // --- A record's URL that is not a web address is shown, never linked.
  await page.route("**/api/article/**", async (route) => {
    const response = await route.fetch();
    const article = await response.json();
    article.url = "javascript:alert(1)";
    await route.fulfill({ response, json: article });
  });
  await open("#/events"); // elsewhere first: the same address again would not reload the article
  await open(`#/article/${workshop.hits[0]?.id}`);
  await page.unroute("**/api/article/**");
  check((await page.$$('a[href^="javascript"]')).length === 0, "a javascript: URL from a record is not a link");
  const metadataText = await page.$eval(".metadata", (e) => e.textContent ?? "");
  check(metadataText.includes("javascript:alert(1)"), `...but it is shown (${metadataText.slice(0, 300)})`);

  // --- Trends: the chart draws (non-blank canvas pixels).
  await open("#/trends?terms=harvest%2C%20factory&split=outlet");
  await page.waitForSelector("#trend-chart canvas", { timeout: 10000 });
  const inked = await page.$eval("#trend-chart canvas", (canvas) => {
    const ctx = canvas.getContext("2d");
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  check(inked > 500, `the trends chart draws (${inked} non-blank pixels)`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Export CSV")]);
  const csvPath = join(artifacts, "trends.csv");
  await download.saveAs(csvPath);
  check(/^month,articles,harvest/.test(readFileSync(csvPath, "utf8")), "CSV export has a header row");
  await shot("trends");

  // --- Events, provenance, paste.
  await open("#/events");
  check((await page.$(".timeline")) !== null, "events page loads");
  if ((await page.$(".event")) !== null) {
    const count = await page.$eval(".events-count", (el) => el.textContent ?? "");
    check(/^1–\d+ of [\d,]+ events$/.test(count), `events: the page says which and how many ("${count}")`);
  }
  await shot("events");

  await open("#/provenance");
  check((await page.$(".quotes")) !== null, "provenance page loads");
  {
    const wire = await (await fetch(`${base}api/search?q=title%3Apropaganda&outlet=reuters`)).json();
    await open(`#/provenance?article=${wire.hits[0]?.id ?? ""}`);
    check((await page.$$(".diff-side .d-changed, .diff-side .d-inserted, .diff-side .d-omitted")).length > 0, "provenance diff shows changed words");
  }
  await shot("provenance");

  await open("#/paste");
  await page.fill("textarea", 'Kim wrote that "the surest asset of the revolution is not material wealth but the spiritual power of the masses", the agency said.');
  // A publication date (and URL) go with the text to POST /api/trace.
  await page.fill(".paste-form input[name=date]", "2022-03-30");
  await page.fill(".paste-form input[name=url]", "https://example.org/wire/kim-letter");
  const traceRequest = page.waitForRequest((r) => r.url().endsWith("/api/trace") && r.method() === "POST");
  await page.click(".paste-form button[type=submit]");
  const sent = JSON.parse((await traceRequest).postData() ?? "{}");
  check(sent.date === "2022-03-30" && sent.url === "https://example.org/wire/kim-letter", `paste sends the date and URL (${JSON.stringify({ date: sent.date, url: sent.url })})`);
  // "Tracing…" shows first; wait for the answer (a heading) or an error notice.
  await page.waitForSelector(".trace-results h3, .trace-results .notice", { timeout: 60000 });
  check((await page.$$(".trace-results .quote-card")).length > 0, "paste with a date: the pasted quote is traced");
  await shot("paste");

  // --- The feed of newest traced quotes, paged.
  await open("#/provenance?feed=1");
  const fedTotal = await page.$eval(".feed .summary", (e) => Number(e.dataset.total));
  check(fedTotal > 0 && (await page.$$(".feed .quote-card")).length > 0, `the feed lists traced quotes (${fedTotal})`);
  await shot("feed");

  // --- The analyst's workbench (issue 15).
  // One story, one hit: the stub is listed under its story, not counted.
  await open("#/search?q=tideland");
  const tideHits = await page.$$eval(".hit", (els) => els.map((e) => e.textContent ?? ""));
  check(tideHits.length === 1 && /also listed as/.test(tideHits[0]), `a story and its own headline stub are one hit (${JSON.stringify(tideHits)})`);
  check((await page.$eval(".summary", (e) => Number(e.dataset.total))) === 1, "...and one match in the count");

  // Sort: a control; an empty query lists newest first.
  await open("#/search?q=");
  check((await page.$eval(".summary", (e) => e.dataset.sort)) === "date", "an empty query is sorted by date");
  const listed = await page.$$eval(".hit .article-line .date", (els) => els.map((e) => e.textContent ?? "").filter((d) => /^\d{4}/.test(d)));
  check(listed.length > 2 && listed.every((d, i) => i === 0 || listed[i - 1] >= d), `newest first (${listed.join(", ")})`);
  await page.selectOption('select[name="sort"]', "relevance");
  await page.waitForFunction(() => location.hash.includes("sort=relevance"));
  await page.waitForSelector('body[data-ready="1"]');
  check((await page.$eval(".summary", (e) => e.dataset.sort)) === "relevance", "the sort control re-sorts");

  // Dates are ISO everywhere, whatever the browser's locale (a native date input shows mm/dd/yyyy in en-US).
  const datePlaceholders = await page.$$eval('.search-form input[name="from"], .search-form input[name="to"]', (els) => els.map((e) => `${e.type}:${e.placeholder}`));
  check(datePlaceholders.length === 2 && datePlaceholders.every((p) => p === "text:YYYY-MM-DD"), `date fields take ISO dates (${datePlaceholders})`);

  // The histogram: every month of the corpus range, brushed to filter.
  await open("#/search?q=");
  const bars = await page.$$eval(".histogram-bars .bar", (els) => els.map((e) => [e.getAttribute("data-month"), Number(e.getAttribute("data-count"))]));
  const stats = await (await fetch(`${base}api/stats`)).json();
  const corpusMonths = Object.keys(stats.by_month).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  check(bars.length > 0 && bars[0][0] === corpusMonths[0] && bars[bars.length - 1][0] === corpusMonths[corpusMonths.length - 1], `the histogram spans the whole range (${bars[0]?.[0]} – ${bars[bars.length - 1]?.[0]}, ${bars.length} months)`);
  check(bars.some(([, n]) => n === 0), "months without matches are drawn empty, not dropped");
  {
    const februaries = bars.map(([m]) => m).filter((m) => m.endsWith("-02"));
    const box = await page.$eval(".histogram-bars", (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    });
    const x = (month) => box.x + ((bars.findIndex(([m]) => m === month) + 0.5) / bars.length) * box.w;
    const from = februaries[0] ?? bars[0][0];
    const to = bars[Math.min(bars.length - 1, bars.findIndex(([m]) => m === from) + 2)][0];
    await page.mouse.move(x(from), box.y + box.h / 2);
    await page.mouse.down();
    await page.mouse.move(x(to), box.y + box.h / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((m) => location.hash.includes(`from=${m}-01`), from);
    await page.waitForSelector('body[data-ready="1"]');
    const hashParams = new URLSearchParams(page.url().split("?")[1] ?? "");
    const [ty, tm] = to.split("-").map(Number);
    const lastDay = `${to}-${String(new Date(Date.UTC(ty, tm, 0)).getUTCDate()).padStart(2, "0")}`;
    check(hashParams.get("from") === `${from}-01` && hashParams.get("to") === lastDay, `brushing ${from}..${to} filters to ${hashParams.get("from")}..${hashParams.get("to")} (want ${from}-01..${lastDay})`);
    // Changing another filter keeps the range.
    await page.selectOption('select[name="kind"]', "state");
    await page.waitForFunction(() => location.hash.includes("kind=state"));
    const kept = new URLSearchParams(page.url().split("?")[1] ?? "");
    check(kept.get("to") === lastDay, `another filter keeps the upper bound (${kept.get("to")})`);
  }

  // Query mistakes: said in words, the place marked.
  await open(`#/search?q=${encodeURIComponent('tractor AND OR harvest')}`);
  const queryError = await page.$eval(".notice.error", (e) => e.textContent ?? "").catch(() => "");
  const marked = await page.$eval(".query-at mark.at", (e) => e.textContent).catch(() => null);
  check(/follows 'AND'/.test(queryError) && !/Syntax:/.test(queryError) && marked === "O", `AND OR is explained and marked (${queryError}; mark ${marked})`);
  await open(`#/search?q=${encodeURIComponent('"nothing is')}`);
  check(/unterminated quote/.test(await page.$eval(".notice.error", (e) => e.textContent ?? "").catch(() => "")), "an unterminated quote is explained");

  // Paging past the end says so.
  await open("#/search?q=&offset=400");
  check((await page.$(".past-end")) !== null, "paging past the end shows a message");

  // Export and citations.
  await open("#/search?q=tideland");
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click(".export-csv")]);
  const exported = join(artifacts, "search.csv");
  await csvDownload.saveAs(exported);
  const csvLines = readFileSync(exported, "utf8").trim().split(/\r?\n/);
  check(csvLines[0].startsWith("rank,id,article_id,outlet") && csvLines.length === 2 && /Tideland/.test(csvLines[1]), `the CSV export holds the hits (${csvLines.length - 1} rows)`);
  await page.click(".hit button.copy");
  const cited = await page.evaluate(() => navigator.clipboard.readText()).catch(() => "");
  check(/^Korean Central News Agency, 2024-06-03, "Tideland Reclamation Project Completed", http:\/\/www\.kcna\.kp\/en\/article\/ui-1\.html\. Quote: ".*tideland/i.test(cited), `Cite copies outlet, date, title, URL and quote (${cited})`);

  // Keyboard: "/" to the search box, j/k through the hits.
  await open("#/search?q=");
  await page.click("h3, .summary");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  const selectedIndex = await page.$$eval(".hit", (els) => els.findIndex((e) => e.classList.contains("selected")));
  check(selectedIndex === 0, `j/k move through the hits (selected ${selectedIndex})`);
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement?.getAttribute("name") === "q"), "/ focuses the search box");

  // Entity pages, and entity names in an article link to them.
  await open("#/entity/kim-jong-un");
  const entityName = await page.$eval(".entity-head h1", (e) => e.textContent).catch(() => "");
  check(entityName === "Kim Jong Un", `the entity page names the person (${entityName})`);
  check((await page.$$(".entity-spellings li")).length > 0 && (await page.$$(".entity-months .bar")).length > 0, "the entity page lists spellings and mentions per month");
  check(/Kim Jong Un/.test(await page.title()), `the tab says which entity (${await page.title()})`);
  await shot("entity");
  await open(`#/article/${workshop.hits[0]?.id}`);
  const entityLinks = await page.$$eval(".article-text a.entity-link", (els) => els.map((e) => e.getAttribute("href")));
  check(entityLinks.length > 0 && entityLinks.every((h) => h.startsWith("#/entity/")), `entities in the text link to their pages (${entityLinks.length})`);
  const legendText = await page.$eval(".legend", (e) => e.textContent ?? "");
  check(!/entitys/.test(legendText), `the legend spells plurals ("${legendText}")`);
  check((await page.$eval(".metadata td", (e) => getComputedStyle(e).wordBreak)) !== "break-all", "the metadata panel does not split words");
  check((await page.$eval(".metadata .date", (e) => getComputedStyle(e).whiteSpace)) === "nowrap", "dates do not wrap at their hyphens");
  check(/— echotrace$/.test(await page.title()) && !/^Search/.test(await page.title()), `the tab title follows the page (${await page.title()})`);

  // Dark mode follows the system.
  await page.emulateMedia({ colorScheme: "dark" });
  await open("#/search?q=tideland");
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor || getComputedStyle(document.documentElement).backgroundColor);
  const luminance = (rgb) => {
    const [r, g, b] = (rgb.match(/\d+/g) ?? ["255", "255", "255"]).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const rootBg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  check(luminance(rootBg) < 80, `dark mode follows the system (background ${rootBg}, body ${darkBg})`);
  await shot("search-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Every page at desktop (1440×900) and phone (390×844) sizes: no sideways
  // overflow; on the phone a one-row header and the facets in a drawer.
  const pages = [
    ["search", "#/search?q=harvest"],
    ["article", `#/article/${workshop.hits[0]?.id}`],
    ["provenance", "#/provenance?feed=1"],
    ["trends", "#/trends?terms=harvest"],
    ["events", "#/events"],
    ["paste", "#/paste"],
    ["entity", "#/entity/kim-jong-un"],
  ];
  for (const [width, height, size] of [
    [1440, 900, "desktop"],
    [390, 844, "phone"],
  ]) {
    await page.setViewportSize({ width, height });
    for (const [name, hash] of pages) {
      await open("#/events?q=__elsewhere__");
      await open(hash);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${name} at ${size}: nothing wider than the screen (${overflow}px over)`);
      const header = await page.$eval(".top", (e) => e.getBoundingClientRect().height);
      check(size === "desktop" || header <= 56, `${name} at ${size}: the header is one row (${header}px)`);
      await shot(`${name}-${size}`);
    }
    if (size === "phone") {
      await open("#/search?q=harvest");
      const hidden = await page.$eval(".facets", (e) => getComputedStyle(e).display === "none");
      await page.click(".facets-toggle");
      const shown = await page.$eval(".facets", (e) => getComputedStyle(e).display !== "none");
      check(hidden && shown, "phone: the facets open in a drawer");
      await shot("search-phone-drawer");
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  check(pageErrors.length === 0, `no script errors (${pageErrors.join(" | ")})`);
} catch (error) {
  failures.push(`exception: ${error.stack ?? error}`);
} finally {
  await context?.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}

console.log(`# ${passed} passed, ${failures.length} failed; screenshots in ${artifacts}`);
for (const f of failures) console.log(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
