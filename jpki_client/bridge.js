// Stand-in for the JPKI browser extension's content script (reference/anchors.md §2.2): hidden-input presence
// markers plus document CustomEvents whose detail is a JSON string. Injected by jpki_client/bridge.py with
// context.add_init_script; __RAS_E2E_JPKI_CONFIG__ is replaced by a JSON object. The PIN never enters this page:
// the Python host asks its own PIN provider.
(() => {
  const cfg = __RAS_E2E_JPKI_CONFIG__;
  if (window.__rasE2eJpkiBridgeInstalled) return;
  Object.defineProperty(window, "__rasE2eJpkiBridgeInstalled", { value: true });

  const addMarker = (id, value) => {
    if (document.getElementById(id)) return;
    const input = document.createElement("input");
    input.type = "hidden";
    input.id = id;
    input.value = value;
    (document.body || document.documentElement).appendChild(input);
  };
  const addMarkers = () => {
    addMarker("jpki-extension-is-installed", cfg.extensionVersion);
    if (cfg.clientInstalled) addMarker("jpki-client-is-installed", cfg.clientVersion);
  };
  if (document.body) addMarkers();
  else document.addEventListener("DOMContentLoaded", addMarkers, { once: true });

  const reply = (detail) => {
    document.dispatchEvent(new CustomEvent("jpkiResponse", { bubbles: true, detail }));
  };
  document.addEventListener("jpkiRequest", (event) => {
    const detail = typeof event.detail === "string" ? event.detail : JSON.stringify(event.detail ?? null);
    let id = null;
    try { id = JSON.parse(detail).id ?? null; } catch (e) { /* the host answers the parse error */ }
    Promise.resolve()
      .then(() => window.__rasE2eJpkiHost(detail))
      .then(reply, (err) => reply(JSON.stringify({
        id, result: "E", errorCode: "EW104J1502", errorMessage: "カードとの通信中にエラーが発生しました。",
        errorDetail: String(err && err.message || err),
      })));
  });
})();
