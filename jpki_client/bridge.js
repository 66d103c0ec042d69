// Stand-in for the JPKI browser extension's content script (reference/anchors.md §2.2), speaking the page protocol
// of extension/page_protocol.js, which jpki_client/bridge.py inlines below (inside this closure, so the page sees
// no extra global). Injected with context.add_init_script; __RAS_E2E_JPKI_CONFIG__ is
// replaced by a JSON object. The PIN never enters this page: the Python host asks its own PIN provider.
(() => {
  const cfg = __RAS_E2E_JPKI_CONFIG__;
  if (window.__rasE2eJpkiBridgeInstalled) return;
  Object.defineProperty(window, "__rasE2eJpkiBridgeInstalled", { value: true });

  __RAS_E2E_PAGE_PROTOCOL__
  rasE2eJpkiPageProtocol({
    extensionVersion: cfg.extensionVersion,
    clientVersion: cfg.clientInstalled ? cfg.clientVersion : null,
    send: (detail) => window.__rasE2eJpkiHost(detail),
    failure: (err) => ({
      result: "E", errorCode: "EW104J1502", errorMessage: "カードとの通信中にエラーが発生しました。",
      errorDetail: String(err && err.message || err),
    }),
  });
})();
