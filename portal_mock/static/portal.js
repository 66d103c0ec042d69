/* The portal page's side of the JPKI extension protocol (CONTRACTS.md, jpki_client section).
   The page never sees a PIN: it asks the extension for a certificate (and a signature over the
   server's challenge) and posts what comes back. */
(function () {
  "use strict";
  var cfg = document.getElementById("portal-config");
  var conf = cfg ? JSON.parse(cfg.textContent) : {};
  var seq = 0;

  /* key: the message's key in messages.yaml; code: the JPKI client's error code.  Both are marked on the
     area (data-message-key / data-client-code) so a test can tell one message from another exactly. */
  function showError(text, code, key) {
    var area = document.getElementById("errorArea");
    if (!area) return;
    area.hidden = false;
    area.textContent = "";
    if (key) area.setAttribute("data-message-key", key); else area.removeAttribute("data-message-key");
    if (code) area.setAttribute("data-client-code", code); else area.removeAttribute("data-client-code");
    String(text).split("\n").forEach(function (line, i) {
      if (i) area.appendChild(document.createElement("br"));
      area.appendChild(document.createTextNode(line));
    });
    try {
      fetch(conf.prefix + "/client-event", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": conf.csrf},
        body: JSON.stringify({code: code || null, text: String(text), page: conf.page || ""})
      });
    } catch (e) { /* logging only */ }
  }

  function extensionInstalled() {
    return !!document.getElementById("jpki-extension-is-installed");
  }

  function request(mode, challenge) {
    return new Promise(function (resolve, reject) {
      var id = "req-" + Date.now() + "-" + (++seq);
      var timer = setTimeout(function () {
        document.removeEventListener("jpkiResponse", onResponse);
        reject({kind: "timeout"});
      }, (conf.extTimeout || 60) * 1000);
      function onResponse(ev) {
        var data;
        try { data = JSON.parse(ev.detail); } catch (e) { return; }
        if (!data || data.id !== id) return;
        clearTimeout(timer);
        document.removeEventListener("jpkiResponse", onResponse);
        if (data.result === "0") resolve(data);
        else if (data.result === "9") reject({kind: "cancel"});
        else reject({kind: "error", code: data.errorCode || "", message: data.errorMessage || ""});
      }
      document.addEventListener("jpkiResponse", onResponse);
      var detail = {id: id, mode: mode};
      if (challenge) detail.challenge = challenge;
      document.dispatchEvent(new CustomEvent("jpkiRequest", {detail: JSON.stringify(detail)}));
    });
  }

  var FIELDS = {sign: ["hdnSignCert", "hdnSignSig"], auth: ["hdnUsrCert", "hdnUsrSig"]};

  async function readAndSubmit(button) {
    var form = button.form;
    var kindGroup = form.querySelectorAll("input[name=usrKbn]");
    if (kindGroup.length && !form.querySelector("input[name=usrKbn]:checked")) {
      showError(conf.msgs.choose_kind, null, "choice_required");
      return;
    }
    var picked = form.querySelector("input[name=usrKbn]:checked");
    if (picked && picked.value !== "1") {  /* organisations: no card; the server answers */
      submitWith(form, button);
      return;
    }
    if (!extensionInstalled()) {
      showError(conf.msgs.extension_missing, null, "extension_missing");
      return;
    }
    var challengeField = form.querySelector("input[name=challenge]");
    var challenge = challengeField ? challengeField.value : null;
    var modes = (button.getAttribute("data-reads") || "").split(",").filter(Boolean);
    button.disabled = true;
    var status = document.getElementById("statusArea");
    try {
      for (var i = 0; i < modes.length; i++) {
        if (status) status.textContent = conf.reading[modes[i]] || "";
        var res = await request(modes[i], challenge);
        form.querySelector("#" + FIELDS[modes[i]][0]).value = res.certificate || "";
        form.querySelector("#" + FIELDS[modes[i]][1]).value = res.signature || "";
      }
      submitWith(form, button);
    } catch (err) {
      button.disabled = false;
      if (status) status.textContent = "";
      if (err.kind === "cancel") showError(conf.msgs.card_cancelled, null, "card_cancelled");
      else if (err.kind === "timeout") showError(conf.msgs.extension_timeout, null, "extension_timeout");
      else showError(conf.msgs.client_error_title + "\n" + err.message + "\nエラーコード：" + err.code, err.code,
                     "client_error_title");
    }
  }

  function submitWith(form, button) {
    if (button.name) {
      var marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = button.name;
      marker.value = button.value || "1";
      form.appendChild(marker);
    }
    form.submit();
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button[data-reads]") : null;
    if (!button) return;
    ev.preventDefault();
    readAndSubmit(button);
  });
})();
