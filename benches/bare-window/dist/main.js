// Tell the app once the page has painted: two animation frames after load
// (the first runs before the first paint, the second after it).
function painted() {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('ready')),
  );
}

if (document.readyState === 'complete') {
  painted();
} else {
  window.addEventListener('load', painted, { once: true });
}
