// ras-e2e test extension, content script: OUR page protocol (docs/CONTRACTS.md), the same one the Playwright
// binding (jpki_client/bridge.js) speaks — hidden-input markers and document CustomEvents with JSON-string details.
// Registered by the service worker only once the native host answered (see service_worker.js).
(() => {
  if (window.__rasE2eJpkiExtension) return;
  window.__rasE2eJpkiExtension = true;

  const addMarker = (id, value) => {
    if (document.getElementById(id)) return;
    const input = document.createElement("input");
    input.type = "hidden";
    input.id = id;
    input.value = value;
    (document.body || document.documentElement).appendChild(input);
  };
  const whenBody = (fn) => {
    if (document.body) fn();
    else document.addEventListener("DOMContentLoaded", fn, {once: true});
  };
  whenBody(() => addMarker("jpki-extension-is-installed", chrome.runtime.getManifest().version));
  chrome.runtime.sendMessage({type: "status"}).then((status) => {
    if (status && status.client === "browser") whenBody(() => addMarker("jpki-client-is-installed", status.version));
  }, () => undefined);

  const reply = (detail) => document.dispatchEvent(new CustomEvent("jpkiResponse", {bubbles: true, detail}));
  document.addEventListener("jpkiRequest", (event) => {
    const detail = typeof event.detail === "string" ? event.detail : JSON.stringify(event.detail ?? null);
    let id = null;
    try { id = JSON.parse(detail).id ?? null; } catch (e) { /* the worker answers the parse error */ }
    chrome.runtime.sendMessage({type: "jpkiRequest", detail}).then(reply, (err) => reply(JSON.stringify({
      id, result: "E", errorCode: "JPKI_HOST_EXITED", errorMessage: String(err && err.message || err),
    })));
  });
})();
