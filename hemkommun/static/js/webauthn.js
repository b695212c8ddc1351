/* Security keys and passkeys (WebAuthn): the browser side of accounts/webauthn_views.py.
   Options come from the server as JSON with base64url strings; the credential goes back the same
   way. Loaded as a static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (data.redirect) { window.location.assign(data.redirect); return null; }
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }

  function showError(error) {
    var box = document.getElementById("webauthn-error");
    if (!box) { return; }
    box.textContent = (error && error.message && error.message.length < 200 && error.name === "Error")
      ? error.message : box.dataset.message;
    box.hidden = false;
  }

  function credentialJSON(credential) {
    var response = credential.response, json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    if (credential.authenticatorAttachment) { json.authenticatorAttachment = credential.authenticatorAttachment; }
    return json;
  }

  function register(button) {
    var nameInput = document.getElementById("security-key-name");
    post(button.dataset.optionsUrl).then(function (options) {
      if (!options) { return null; }
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      if (!credential) { return null; }
      return post(button.dataset.verifyUrl, {
        name: nameInput ? nameInput.value : "", credential: credentialJSON(credential)
      });
    }).catch(showError);
  }

  function signIn(button) {
    post(button.dataset.optionsUrl).then(function (options) {
      if (!options) { return null; }
      options.challenge = toBytes(options.challenge);
      (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      return credential ? post(button.dataset.verifyUrl, credentialJSON(credential)) : null;
    }).catch(showError);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var registerButton = document.getElementById("webauthn-register");
    var signInButton = document.getElementById("webauthn-sign-in");
    if (!window.PublicKeyCredential) {
      [registerButton, signInButton].forEach(function (b) { if (b) { b.disabled = true; } });
      return;
    }
    if (registerButton) { registerButton.addEventListener("click", function () { register(registerButton); }); }
    if (signInButton) { signInButton.addEventListener("click", function () { signIn(signInButton); }); }
  });
})();
