// ras-e2e test extension, service worker: relays the page's requests (from content.js) to the JPKI client's
// native-messaging host and its answers back. The protocol is OURS (docs/CONTRACTS.md): the real extension's is
// not public. The PIN never passes here: the host asks the harness's PIN provider on its own private channel.
//
// At start the worker connects to the host and says hello. Only when the host answers does it register the content
// script that announces the extension to pages: a page then sees the extension exactly when the extension can reach
// a client, so a missing or dead host looks to the page like a missing extension (the portal's one message names
// both). The harness waits for `self.rasE2eReady` before it opens a page, as a person opens the portal after the
// browser has started.
"use strict";

const HOST = "jp.ras_e2e.jpki_host";
const MATCHES = ["http://127.0.0.1/*", "http://localhost/*"];
// Same text as jpki_client/settings.py JPKI_CLIENT_NOT_RUNNING (a test keeps them equal); wording unverified.
const NOT_RUNNING = "利用者クライアントソフト（ブラウザ版）を起動できません。" +
  "利用者クライアントソフト Edge/Chrome 版がインストールされているか確認してください。";
// The host went away with a request open (it crashed). Same text as settings.py JPKI_HOST_EXITED; ours, unverified.
const HOST_EXITED = "利用者クライアントソフト（ブラウザ版）が応答の途中で終了しました。もう一度お試しください。";

let host = null; // {port, pending: Map<n, resolve>, hello}
let seq = 0;

function failure(code, message) {
  return {result: "E", errorCode: code, errorMessage: message, errorMessageEn: code};
}

function connect() {
  return new Promise((resolve) => {
    let port;
    try {
      port = chrome.runtime.connectNative(HOST);
    } catch (e) {
      resolve(null);
      return;
    }
    const conn = {port, pending: new Map(), hello: null};
    const helloId = ++seq;
    port.onMessage.addListener((msg) => {
      if (msg && msg.id === helloId && conn.hello === null) {
        conn.hello = msg;
        host = conn;
        resolve(conn);
        return;
      }
      const done = conn.pending.get(msg && msg.id);
      if (done) {
        conn.pending.delete(msg.id);
        done(msg);
      }
    });
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError; // read it, or Chrome logs "Unchecked runtime.lastError"
      if (host === conn) host = null;
      if (conn.hello === null) resolve(null);
      for (const done of conn.pending.values()) done(failure("JPKI_HOST_EXITED", HOST_EXITED));
      conn.pending.clear();
    });
    port.postMessage({command: "hello", id: helloId});
  });
}

async function ask(request) {
  const conn = host || await connect();
  if (!conn) return failure("JPKI_CLIENT_NOT_RUNNING", NOT_RUNNING);
  const n = ++seq;
  return new Promise((resolve) => {
    conn.pending.set(n, resolve);
    conn.port.postMessage({command: "read", id: n, mode: request.mode, challenge: request.challenge});
  });
}

async function relay(detail) {
  let request;
  try {
    request = JSON.parse(detail);
  } catch (e) {
    return {id: null, ...failure("JPKI_BAD_REQUEST", "detail is not JSON")};
  }
  if (!request || typeof request !== "object") return {id: null, ...failure("JPKI_BAD_REQUEST", "detail is not an object")};
  const answer = await ask(request);
  return {...answer, id: request.id ?? null};
}

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message && message.type === "jpkiRequest") {
    relay(message.detail).then((answer) => sendResponse(JSON.stringify(answer)));
    return true; // answered asynchronously
  }
  if (message && message.type === "status") {
    sendResponse(host ? {client: host.hello.client, version: host.hello.version} : null);
  }
  return false;
});

async function announce() {
  const registered = await chrome.scripting.getRegisteredContentScripts({ids: ["jpki"]});
  if (registered.length) return;
  await chrome.scripting.registerContentScripts([{
    id: "jpki", matches: MATCHES, js: ["page_protocol.js", "content.js"], runAt: "document_start", persistAcrossSessions: false,
  }]);
}

self.rasE2eReady = (async () => {
  const conn = await connect();
  if (conn) await announce();
  return conn ? {host: true, client: conn.hello.client, version: conn.hello.version} : {host: false};
})();
