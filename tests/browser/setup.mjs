// What every browser test needs first (run.mjs, collect_pages.mjs): the
// command line (--binary, --artifacts), Debian's chromium, playwright-core
// from web/node_modules and the built UI. Importing this module checks them
// and exits 77 (skipped) when one is missing, 1 when the binary is.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SKIP = 77;
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
export const binary = resolve(arg("--binary", join(repo, "build/echotrace")));
export const artifacts = resolve(arg("--artifacts", join(repo, "build/test-artifacts")));
export const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const assets = join(repo, "web/dist");

function skip(why) {
  console.log(`SKIP: ${why}`);
  process.exit(SKIP);
}
if (!existsSync(chromium)) skip(`${chromium} not found (apt-get install chromium; scripts/install-deps.sh does)`);
if (!existsSync(join(assets, "index.html"))) skip("web/dist is not built (bash web/build.sh)");
let launcher;
try {
  launcher = createRequire(join(repo, "web/package.json"))("playwright-core").chromium;
} catch {
  skip("playwright-core is not installed (cd web && npm ci)");
}
export const chromiumLauncher = launcher;
if (!existsSync(binary)) {
  console.error(`FAIL: ${binary} not found`);
  process.exit(1);
}
