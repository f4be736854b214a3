import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The server (edlib serve) serves dist/index.html at / and /m/{meeting_id}, and dist/assets at /assets.
// `npm run dev` proxies the Socket.IO endpoint to a local server on port 8765.
export default defineConfig({
  base: "/",
  plugins: [preact()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { "/socket.io": { target: "http://localhost:8765", ws: true } },
  },
});
