// AIP client behaviour: the autosave client of the plan editor.
//
// Inputs marked data-autosave post themselves through htmx. The server
// returns 200 (saved), 409 (conflict, or plan locked) or 422 (invalid)
// with a fragment for the field's status element and the AIP-Autosave
// header. Anything else (no network, 5xx, an expired session's redirect
// to the sign-in page, a 400 from a stale CSRF token) leaves the typed
// text in place, shows "Not saved" beside the field and retries with
// back-off.
(function () {
  "use strict";

  var RETRY_DELAYS = [2000, 5000, 15000, 30000, 60000];
  var pending = new Set();
  var failed = new Map(); // element -> {attempt, timer}
  var lastSent = new WeakMap(); // element -> value of its last request

  document.documentElement.classList.add("js");

  function isAutosave(elt) {
    return elt && elt.hasAttribute && elt.hasAttribute("data-autosave");
  }

  function statusFor(elt) {
    return document.getElementById(elt.id + "-status");
  }

  function say(elt, text, kind) {
    var status = statusFor(elt);
    if (!status) return;
    var line = document.createElement("span");
    line.className = "save-status " + kind;
    line.textContent = text;
    status.replaceChildren(line);
  }

  // Return the words shown beside a field whose save failed.
  function failureMessage(xhr) {
    var kept = " Your text is still here";
    var status = xhr ? xhr.status : 0;
    if (status === 0) {
      return "Not saved: the server cannot be reached." + kept +
        " and will be saved when the connection returns.";
    }
    if (status === 400) {
      // TODO: fetch a fresh CSRF token instead; until then the page must
      // be reloaded, and these retries keep failing.
      return "Not saved: this page's security token is out of date, " +
        "perhaps because you signed in again." + kept + ": copy it, " +
        "then reload the page.";
    }
    if (status === 404) return "Not saved: this row no longer exists.";
    if (status === 401 || status === 403 ||
        !xhr.getResponseHeader("AIP-Autosave")) {
      return "Not saved: your session has ended. Sign in again in " +
        "another tab." + kept + " and will be saved once you have " +
        "signed in again.";
    }
    return "Not saved: the server failed to save it (error " + status +
      ")." + kept + " and saving will be tried again.";
  }

  function retry(elt) {
    var entry = failed.get(elt);
    if (!entry || !elt.isConnected) {
      failed.delete(elt);
      return;
    }
    clearTimeout(entry.timer);
    entry.timer = null;
    htmx.trigger(elt, "change");
  }

  function fail(elt, xhr) {
    if (xhr && xhr.status === 404) {
      // The row was removed, perhaps in another tab: retrying cannot help.
      failed.delete(elt);
      say(elt, failureMessage(xhr), "failed");
      return;
    }
    var entry = failed.get(elt) || {attempt: 0, timer: null};
    var delay = RETRY_DELAYS[Math.min(entry.attempt, RETRY_DELAYS.length - 1)];
    entry.attempt += 1;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () { retry(elt); }, delay);
    failed.set(elt, entry);
    say(elt, failureMessage(xhr), "failed");
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.htmx) return;
    // Swap conflicts and validation messages; treat other errors as
    // failures that the handlers below report and retry.
    htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "409|422", swap: true, error: false},
      {code: "[45]..", swap: false, error: true},
      {code: "...", swap: false},
    ];
  });

  function valueOf(elt) {
    return elt.type === "checkbox" ? String(elt.checked) : elt.value;
  }

  // Leaving a field fires "change" after its typing was already sent.
  // Sending the same value again would redraw a conflict or a message
  // under the pointer, so skip it unless the last attempt failed.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!isAutosave(elt) || failed.has(elt)) return;
    if (lastSent.has(elt) && lastSent.get(elt) === valueOf(elt)) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!isAutosave(elt)) return;
    lastSent.set(elt, valueOf(elt));
    pending.add(elt);
    say(elt, "Saving…", "pending");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!isAutosave(elt) || xhr.status >= 400) return;
    // A redirect to the sign-in page arrives as a 200 without our header.
    if (!xhr.getResponseHeader("AIP-Autosave")) {
      event.detail.shouldSwap = false;
      fail(elt, xhr);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!isAutosave(elt)) return;
    pending.delete(elt);
    if (xhr.status === 422) {
      elt.setAttribute("aria-invalid", "true");
      elt.setAttribute("aria-describedby", elt.id + "-status");
    } else if (xhr.status === 200) {
      elt.removeAttribute("aria-invalid");
    }
    if (event.detail.successful && xhr.getResponseHeader("AIP-Autosave")) {
      var entry = failed.get(elt);
      if (entry) clearTimeout(entry.timer);
      failed.delete(elt);
    }
  });

  function onError(event) {
    var elt = event.detail.elt;
    if (!isAutosave(elt)) return;
    pending.delete(elt);
    fail(elt, event.detail.xhr);
  }
  document.addEventListener("htmx:responseError", onError);
  document.addEventListener("htmx:sendError", onError);
  document.addEventListener("htmx:timeout", onError);

  window.addEventListener("online", function () {
    failed.forEach(function (entry, elt) { retry(elt); });
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending.size || failed.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // "Use theirs" after a conflict: put their text in the field and save
  // it, which records that this page has now seen their version.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-theirs]");
    if (!button) return;
    var field = document.getElementById(button.dataset.useTheirs);
    if (!field) return;
    if (field.type === "checkbox") {
      field.checked = button.value === "y";
    } else {
      field.value = button.value;
    }
    htmx.trigger(field, "change");
  });
})();
