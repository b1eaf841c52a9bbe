// Built into web/dist, served by `echotrace serve` (no CDN: everything is bundled).
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
});
