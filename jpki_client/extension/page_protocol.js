// OUR page protocol (docs/CONTRACTS.md), the one definition both bridges speak: hidden-input presence markers
// (`jpki-extension-is-installed`, `jpki-client-is-installed`) and document CustomEvents (`jpkiRequest` from the page,
// `jpkiResponse` back) whose detail is a JSON string. Why one file: the Playwright binding (jpki_client/bridge.js,
// which inlines this file) and the test extension (service_worker.js registers it before content.js) must look the
// same to the portal's page; two copies drifted apart once already. Each bridge supplies only how it reaches the
// JPKI client (`send`), its versions and its own failure answer.
//
// rasE2eJpkiPageProtocol({extensionVersion, clientVersion, send, failure}):
//   clientVersion  a string (the browser-version client is installed), null (it is not), or a Promise of either
//   send(detail)   the request's JSON string -> Promise of the answer's JSON string
//   failure(err)   the answer's fields (without `id`) when send failed
function rasE2eJpkiPageProtocol({extensionVersion, clientVersion, send, failure}) {
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
  const announceClient = (version) => {
    if (version !== null && version !== undefined) whenBody(() => addMarker("jpki-client-is-installed", version));
  };
  whenBody(() => addMarker("jpki-extension-is-installed", extensionVersion));
  if (clientVersion && typeof clientVersion.then === "function") clientVersion.then(announceClient, () => undefined);
  else announceClient(clientVersion);

  const reply = (detail) => document.dispatchEvent(new CustomEvent("jpkiResponse", {bubbles: true, detail}));
  document.addEventListener("jpkiRequest", (event) => {
    const detail = typeof event.detail === "string" ? event.detail : JSON.stringify(event.detail ?? null);
    let id = null;
    try { id = JSON.parse(detail).id ?? null; } catch (e) { /* the client answers the parse error */ }
    Promise.resolve()
      .then(() => send(detail))
      .then(reply, (err) => reply(JSON.stringify({id, ...failure(err)})));
  });
}
