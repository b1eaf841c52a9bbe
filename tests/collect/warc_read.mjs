#!/usr/bin/env node
// Reads a WARC file with Webrecorder's warcio (an independent reader) and
// prints one JSON line per record: its type, target URI, date, record id,
// HTTP status, a revisit's profile and the record it refers to (id, URI, date),
// whether the WARC-Payload-Digest matches the payload as stored (checked
// here with node's own SHA-256), and the payload as a browser would see it
// (Content-Encoding undone).
//
// Usage: node tests/collect/warc_read.mjs FILE.warc[.gz]
// Exit: 0 read, 1 failed, 77 skipped (warcio not installed: cd web && npm ci).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let WARCParser;
try {
  const path = createRequire(join(repo, "web/package.json")).resolve("warcio");
  ({ WARCParser } = await import(pathToFileURL(path.replace(/index\.cjs$/, "index.js")).href));
} catch (error) {
  console.log(`SKIP: warcio is not installed (cd web && npm ci): ${error.message}`);
  process.exit(77);
}

function base32(bytes) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0, out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += "=";
  return out;
}

const file = process.argv[2];
const digests = [];
for await (const record of WARCParser.iterRecords(createReadStream(file))) {
  const raw = await record.readFully(false);
  digests.push("sha256:" + base32(createHash("sha256").update(raw).digest()));
}
let i = 0;
for await (const record of WARCParser.iterRecords(createReadStream(file))) {
  const text = record.warcType === "response" ? await record.contentText() : "";
  console.log(JSON.stringify({
    type: record.warcType,
    uri: record.warcTargetURI ?? "",
    date: record.warcDate ?? "",
    id: record.warcHeader("WARC-Record-ID") ?? "",
    status: record.httpHeaders ? Number(record.httpHeaders.statusCode) : 0,
    profile: record.warcHeader("WARC-Profile") ?? "",
    refers_to: record.warcHeader("WARC-Refers-To") ?? "",
    refers_to_uri: record.warcRefersToTargetURI ?? "",
    refers_to_date: record.warcRefersToDate ?? "",
    etag: record.httpHeaders?.headers?.get("ETag") ?? "",
    digest_ok: record.warcType !== "response" || record.warcPayloadDigest === digests[i],
    text,
  }));
  ++i;
}
