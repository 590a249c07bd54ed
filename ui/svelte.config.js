import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to the extracted CSS file: the CSP forbids injected <style>.
    css: "external",
    runes: true,
  },
};
