// Count one read of this story for "Most read": a POST that carries no cookie and says
// nothing about the reader, sent once the page has been shown (not for prerendered pages that
// nobody looks at). The address comes from the script element's data-read-url.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-read-url");
  if (!url || !window.fetch) {
    return;
  }
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") {
      return;
    }
    sent = true;
    document.removeEventListener("visibilitychange", send);
    fetch(url, { method: "POST", credentials: "omit", cache: "no-store", keepalive: true })
      .catch(function () {});
  }
  document.addEventListener("visibilitychange", send);
  send();
})();
