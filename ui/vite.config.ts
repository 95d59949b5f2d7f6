import { defineConfig } from "vite";

// The desktop window loads ui/dist through Tauri's asset protocol, and the
// content security policy in tauri.conf.json allows scripts from 'self' only:
// relative asset paths and no inline module preload polyfill keep the build
// inside that policy.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
  },
  clearScreen: false,
});
