import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { theme } from "./lib/themestate.svelte";
import { toasts } from "./lib/toasts.svelte";
import { applyZoom, listenForZoomKeys } from "./lib/zoomstate";

// The theme is on <body> before the first paint.
theme.apply();
// The zoom the person chose last time (Ctrl/Cmd +, −, 0).
applyZoom();
listenForZoomKeys();

// Whatever slips through is said in a toast instead of failing silently.
window.addEventListener("unhandledrejection", (e) => toasts.error(e.reason));
window.addEventListener("error", (e) => toasts.error(e.error ?? e.message));

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

export default mount(App, { target });
