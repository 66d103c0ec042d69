// ras-e2e test extension, content script: speaks OUR page protocol (page_protocol.js, registered just before this
// file by service_worker.js; the Playwright binding speaks the same one). Relays requests to the service worker.
// Registered by the service worker only once the native host answered (see service_worker.js).
(() => {
  if (window.__rasE2eJpkiExtension) return;
  window.__rasE2eJpkiExtension = true;

  rasE2eJpkiPageProtocol({
    extensionVersion: chrome.runtime.getManifest().version,
    clientVersion: chrome.runtime.sendMessage({type: "status"}).then(
      (status) => (status && status.client === "browser" ? status.version : null)),
    send: (detail) => chrome.runtime.sendMessage({type: "jpkiRequest", detail}),
    failure: (err) => ({result: "E", errorCode: "JPKI_HOST_EXITED", errorMessage: String(err && err.message || err)}),
  });
})();
