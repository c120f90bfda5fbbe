// Polls the annual report's status and swaps in the download link when it is ready.
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && (data.status === "done" || data.status === "failed")) {
          window.location.reload();
        } else if (tries < 60) {
          window.setTimeout(poll, 3000);
        }
      })
      .catch(function () { if (tries < 60) { window.setTimeout(poll, 5000); } });
  }
  window.setTimeout(poll, 2000);
})();
