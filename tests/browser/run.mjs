#!/usr/bin/env node
// Browser tests of the web UI: playwright-core driving Debian's chromium
// (headless, loopback only) against `echotrace serve` over a data directory
// built from data/sample. Screenshots go to --artifacts (build/test-artifacts).
//
// Usage: node tests/browser/run.mjs --binary build/echotrace [--artifacts DIR]
// Exit: 0 pass, 1 fail, 77 skipped (chromium, playwright-core or web/dist missing).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SKIP = 77;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const binary = resolve(arg("--binary", join(repo, "build/echotrace")));
const artifacts = resolve(arg("--artifacts", join(repo, "build/test-artifacts")));
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const assets = join(repo, "web/dist");

function skip(why) {
  console.log(`SKIP: ${why}`);
  process.exit(SKIP);
}
if (!existsSync(chromium)) skip(`${chromium} not found (apt-get install chromium; scripts/install-deps.sh does)`);
if (!existsSync(join(assets, "index.html"))) skip("web/dist is not built (bash web/build.sh)");
let chromiumLauncher;
try {
  chromiumLauncher = createRequire(join(repo, "web/package.json"))("playwright-core").chromium;
} catch {
  skip("playwright-core is not installed (cd web && npm ci)");
}
if (!existsSync(binary)) {
  console.error(`FAIL: ${binary} not found`);
  process.exit(1);
}

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

const ingest = spawnSync(binary, ["ingest", join(repo, "data/sample"), "--data", data], { encoding: "utf8" });
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
    viewport: { width: 1280, height: 900 },
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

  // --- A month facet filters to that month's real last day (not "-31" in short months).
  await open("#/search?q=harvest");
  const monthLinks = await page.$$eval(".facets a", (els) => els.map((e) => e.textContent ?? "").filter((t) => /^\d{4}-\d{2}$/.test(t)));
  if (monthLinks.length) {
    await page.click(`.facets a:text-is("${monthLinks[0]}")`);
    await page.waitForFunction((m) => location.hash.includes(`from=${m}-01`), monthLinks[0]);
    const to = new URLSearchParams(page.url().split("?")[1] ?? "").get("to") ?? "";
    const [y, m, d] = to.split("-").map(Number);
    check(to.startsWith(monthLinks[0]) && d === new Date(Date.UTC(y, m, 0)).getUTCDate(), `a month facet ends on its last day (${to})`);
  }

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
  const { readFileSync } = await import("node:fs");
  check(/^month,articles,harvest/.test(readFileSync(csvPath, "utf8")), "CSV export has a header row");
  await shot("trends");

  // --- Events, provenance, paste: pages load; hooks not wired yet are explained politely.
  const stats = await (await fetch(`${base}api/stats`)).json();
  await open("#/events");
  check((await page.$(".timeline")) !== null, "events page loads");
  if ((await page.$(".event")) !== null) {
    const count = await page.$eval(".events-count", (el) => el.textContent ?? "");
    check(/^1–\d+ of [\d,]+ events$/.test(count), `events: the page says which and how many ("${count}")`);
  }
  await shot("events");

  await open("#/provenance");
  check((await page.$(".quotes")) !== null, "provenance page loads");
  if (!stats.available.quotes) {
    check((await page.$(".notice.unavailable")) !== null, "provenance: polite notice while the hook is absent");
    console.log("# SKIP: provenance diff assertion: the quotes hook is not wired yet (src/server/backends.cc)");
  } else {
    const wire = await (await fetch(`${base}api/search?q=title%3Apropaganda&outlet=reuters`)).json();
    await open(`#/provenance?article=${wire.hits[0]?.id ?? ""}`);
    check((await page.$$(".diff-side .d-changed, .diff-side .d-inserted, .diff-side .d-omitted")).length > 0, "provenance diff shows changed words");
  }
  await shot("provenance");

  await open("#/paste");
  await page.fill("textarea", 'Kim wrote that "the surest asset of the revolution is not material wealth but the spiritual power of the masses", the agency said.');
  await page.click(".paste-form button[type=submit]");
  // "Tracing…" shows first; wait for the answer (a heading) or an error notice.
  await page.waitForSelector(".trace-results h3, .trace-results .notice", { timeout: 60000 });
  if (!stats.available.trace) check((await page.$(".trace-results .notice.unavailable")) !== null, "paste: polite notice while the trace hook is absent");
  else check((await page.$$(".trace-results .quote-card")).length > 0, "paste: the pasted quote is traced");
  await shot("paste");

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
