#!/usr/bin/env node
// Browser tests of the collection pages (web/src/pages/ledger.ts, watch.ts,
// the article view's history): a loopback fixture site (node's http) serves a
// feed whose articles change between two `echotrace collect` polls (new,
// edited, 404, 304), then playwright-core drives Debian's chromium against
// `echotrace serve --allow-ingest` at desktop (1440x900) and phone (390x844)
// sizes: the ledger's timeline and filters, an edit's word diff in the ledger
// and in the article view, "Watch this search", a watchlist's matches and
// feed, deleting it. Screenshots go to --artifacts.
//
// Usage: node tests/browser/collect_pages.mjs --binary build/echotrace [--artifacts DIR]
// Exit: 0 pass, 1 fail, 77 skipped (chromium, playwright-core or web/dist missing).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { artifacts, assets, binary, chromium, chromiumLauncher } from "./setup.mjs";

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

// --- The fixture site: pages a test changes between polls.
const pages = new Map(); // path -> {status, body, type, etag}
function article(title, date, paragraphs) {
  return `<!DOCTYPE html><html><head><title>${title}</title><meta property="article:published_time" content="${date}"></head>` +
    `<body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join("")}</article></body></html>`;
}
const site = createServer((req, res) => {
  const page = pages.get(new URL(req.url, "http://x").pathname);
  if (!page) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    return res.end("not here");
  }
  const headers = { "Content-Type": page.type ?? "text/html; charset=utf-8" };
  if (page.etag) {
    headers.ETag = page.etag;
    if (req.headers["if-none-match"] === page.etag) {
      res.writeHead(304, headers);
      return res.end();
    }
  }
  res.writeHead(page.status ?? 200, headers);
  res.end(page.body ?? "");
});
await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
const siteUrl = `http://127.0.0.1:${site.address().port}`;
const feed = (paths) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture</title>${paths.map((p) => `<item><title>${p}</title><link>${siteUrl}${p}</link></item>`).join("")}</channel></rss>`;
const meeting = (n, extra = "") => [
  `Pyongyang, November ${n} (KCNA) -- Working people held meeting number ${n} at the hall of culture in the capital.`,
  `Speakers stressed the need to increase production at every factory and farm this year.${extra}`,
];

const work = mkdtempSync(join(tmpdir(), "echotrace-browser-collect-"));
const data = join(work, "data");
const sources = join(work, "sources.toml");
writeFileSync(sources, `[collect]\nper_host_delay = "0s"\ntimeout = "5s"\n\n[[source]]\nname = "fixture"\nurl = "${siteUrl}/feed.xml"\noutlet = "kcna"\n`);
// Asynchronous: the fixture site answers from this process's event loop.
function run(...command) {
  return new Promise((ok) => {
    const child = spawn(binary, [...command, "--data", data], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => {
      if (code !== 0) {
        console.error(`FAIL: echotrace ${command.join(" ")} exited ${code}: ${out}`);
        process.exit(1);
      }
      ok(out);
    });
  });
}

// Poll 1: three new articles. Poll 2: a1 edited, a2 deleted (404), a3 unchanged (304).
pages.set("/robots.txt", { body: "User-agent: *\nDisallow: /private/\n", type: "text/plain" });
pages.set("/feed.xml", { body: feed(["/a3", "/a2", "/a1"]), type: "application/rss+xml" });
pages.set("/a1", { body: article("Meeting in the capital", "2026-11-01", meeting(1)) });
pages.set("/a2", { body: article("Meeting at the factory", "2026-11-02", meeting(2)) });
pages.set("/a3", { body: article("Meeting at the farm", "2026-11-03", meeting(3)), etag: '"a3-v1"' });
await run("collect", "--sources", sources);
pages.set("/a1", { body: article("Meeting in the capital", "2026-11-01", meeting(1, " A new missile launcher was shown to the participants.")) });
pages.set("/a2", { status: 404, body: "gone" });
await run("collect", "--sources", sources);
await run("watch", "add", "production", "--phrase", "increase production");

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
console.log(`# serving at ${base}; fixture site at ${siteUrl}`);

mkdirSync(artifacts, { recursive: true });
let context;
try {
  context = await chromiumLauncher.launchPersistentContext(join(work, "profile"), {
    executablePath: chromium,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // The UI talks to the echotrace server only; the fixture site is for the collector.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === new URL(base).origin || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    failures.push(`request outside the echotrace server: ${url.href}`);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
  page.on("dialog", (dialog) => dialog.accept()); // "Delete the watchlist …?"

  async function open(hash) {
    await page.goto(`${base}${hash}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  }
  async function ready() {
    await page.waitForFunction(() => document.body.dataset.ready === "1", null, { timeout: 15000 });
  }
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  for (const [size, viewport] of [["desktop", { width: 1440, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    await page.setViewportSize(viewport);
    console.log(`# ${size} ${viewport.width}x${viewport.height}`);

    // --- Ledger: the timeline, newest first, every kind with its time.
    await open("#/ledger");
    const kinds = await page.$$eval(".ledger-entry", (els) => els.map((e) => e.dataset.kind));
    check(JSON.stringify([...kinds].sort()) === JSON.stringify(["edited", "gone", "new", "new", "new"]), `${size}: the ledger shows 3 new, 1 edited, 1 gone (${JSON.stringify(kinds)})`);
    check(kinds[0] === "gone" || kinds[0] === "edited", `${size}: newest first (${kinds[0]})`);
    const gone = await page.$eval('.ledger-entry[data-kind="gone"]', (e) => e.textContent ?? "");
    check(gone.includes("HTTP 404") && gone.includes("/a2"), `${size}: the deletion says why and which URL (${gone.slice(0, 120)})`);
    check((await page.$$(".ledger-entry time")).length === kinds.length, `${size}: every entry has its time`);
    const inserted = await page.$$eval('.ledger-entry[data-kind="edited"] .version-diff ins', (els) => els.map((e) => e.textContent).join(" "));
    check(inserted.includes("missile launcher"), `${size}: the edit shows its inserted words (${inserted})`);
    check((await overflow()) <= 1, `${size}: the ledger fits the width (overflow ${await overflow()} px)`);
    await page.screenshot({ path: join(artifacts, `ledger-${size}.png`), fullPage: true });

    // Filters are in the URL and the form.
    await page.click('.kind-toggle.kind-gone input');
    await page.waitForFunction(() => location.hash.includes("kind=gone"));
    await ready();
    const goneOnly = await page.$$eval(".ledger-entry", (els) => els.map((e) => e.dataset.kind));
    check(goneOnly.length === 1 && goneOnly[0] === "gone", `${size}: the kind filter keeps only deletions (${JSON.stringify(goneOnly)})`);

    // --- From the edit to the article view: its word diff and its URL's history.
    await open("#/ledger?kind=edited");
    await page.click('.ledger-entry[data-kind="edited"] a.title');
    await page.waitForSelector(".article-text h1");
    await ready();
    const history = await page.$eval(".article-history", (e) => e.textContent ?? "").catch(() => "");
    check(/Version 2 against version 1/.test(history), `${size}: the article view shows version against version (${history.slice(0, 80)})`);
    const articleIns = await page.$$eval(".article-history .version-diff ins", (els) => els.map((e) => e.textContent).join(" "));
    check(articleIns.includes("missile launcher"), `${size}: ...with the inserted words (${articleIns})`);
    const historyKinds = await page.$$eval(".article-history .ledger-entry", (els) => els.map((e) => e.dataset.kind));
    check(historyKinds.includes("new") && historyKinds.includes("edited"), `${size}: ...and the URL's ledger entries (${JSON.stringify(historyKinds)})`);
    check((await overflow()) <= 1, `${size}: the article view fits the width`);
    await page.screenshot({ path: join(artifacts, `article-history-${size}.png`), fullPage: true });
    await page.click(".article-history .ledger-link");
    await page.waitForFunction(() => location.hash.startsWith("#/ledger?url="));
    await ready();
    const urls = await page.$$eval(".ledger-entry .ledger-url", (els) => els.map((e) => e.textContent));
    check(urls.length === 2 && urls.every((u) => u.endsWith("/a1")), `${size}: the ledger link shows that URL's history only (${JSON.stringify(urls)})`);

    // --- Watch this search: the search page's button prefills the form; saving
    // shows the watchlist with its matches and its feed.
    const name = `meetings-${size}`;
    await open("#/search?q=meeting&kind=state");
    await page.click(".watch-this");
    await page.waitForSelector('.watch-form[data-prefilled="1"]');
    await ready();
    check((await page.inputValue('.watch-form input[name="query"]')) === "meeting", `${size}: "Watch this search" carries the query`);
    check((await page.inputValue('.watch-form select[name="media"]')) === "state", `${size}: ...and the filters`);
    check((await overflow()) <= 1, `${size}: the watchlist form fits the width`);
    await page.screenshot({ path: join(artifacts, `watch-new-${size}.png`), fullPage: true });
    await page.fill('.watch-form input[name="name"]', name);
    await page.click('.watch-form button[type="submit"]');
    await page.waitForFunction((n) => location.hash === `#/watch/${n}`, name);
    await ready();
    const matches = await page.$$eval(".watch-match .title", (els) => els.map((e) => e.textContent));
    check(matches.length === 3 && matches.every((t) => /^Meeting/.test(t)), `${size}: the new watchlist lists its matches (${JSON.stringify(matches)})`);
    const feedHref = await page.$eval(".feed-link", (e) => e.getAttribute("href"));
    check(feedHref === `/feeds/${name}.atom`, `${size}: it links its Atom feed (${feedHref})`);
    const atom = await (await fetch(new URL(feedHref, base))).text();
    check((atom.match(/<entry>/g) ?? []).length === 3, `${size}: the feed has an entry per match`);

    // The phrase watch made from the CLI: first and last use per outlet.
    await open("#/watch/production");
    const uses = await page.$$eval(".phrase-uses tbody tr", (rows) => rows.map((r) => r.textContent));
    check(uses.length === 1 && uses[0].includes("2026-11-01") && uses[0].includes("2026-11-03"), `${size}: a phrase watch shows first and last use (${JSON.stringify(uses)})`);
    await page.screenshot({ path: join(artifacts, `watch-show-${size}.png`), fullPage: true });

    // --- The list, and deleting.
    await open("#/watch");
    const names = await page.$$eval(".watch-item", (els) => els.map((e) => e.dataset.name));
    check(names.includes(name) && names.includes("production"), `${size}: the list shows the watchlists (${JSON.stringify(names)})`);
    check((await overflow()) <= 1, `${size}: the list fits the width`);
    await page.screenshot({ path: join(artifacts, `watch-list-${size}.png`), fullPage: true });
    await page.click(`.watch-item[data-name="${name}"] .delete-watch`);
    await page.waitForFunction((n) => !document.querySelector(`.watch-item[data-name="${n}"]`) && document.body.dataset.ready === "1", name);
    const after = await (await fetch(new URL(`api/watchlists/${name}`, base))).status;
    check(after === 404, `${size}: deleting removes it (GET answers ${after})`);
  }
  check(pageErrors.length === 0, `no script errors (${pageErrors.join(" | ")})`);
} catch (error) {
  failures.push(`exception: ${error.stack ?? error}`);
} finally {
  await context?.close();
  server.kill("SIGTERM");
  site.close();
  rmSync(work, { recursive: true, force: true });
}

console.log(`# ${passed} passed, ${failures.length} failed; screenshots in ${artifacts}`);
for (const f of failures) console.log(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
