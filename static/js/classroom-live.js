/* Live classroom: poll a small HTML fragment and swap it in when the state changed (our own code, no deps).
 *
 * <div data-classroom-poll="URL" data-version="V" data-interval="ms"> … </div>
 * The server answers 204 when nothing changed (cheap), 200 with the new fragment and an
 * X-Classroom-Version header, or 410 when the session is over (the page reloads and says so).
 * Vote forms marked data-classroom-vote are sent with fetch and answered with the new fragment.
 */
(function () {
  "use strict";

  function announce(stage) {
    var region = document.querySelector("[data-classroom-announce]");
    var inner = stage.querySelector("[data-announce]");
    if (region && inner) {
      region.textContent = inner.getAttribute("data-announce");
    }
  }

  function swap(stage, html, version) {
    var hadFocus = stage.contains(document.activeElement);
    var before = stage.querySelector("[data-announce]");
    var beforeText = before ? before.getAttribute("data-announce") : null;
    stage.innerHTML = html;
    if (version) {
      stage.setAttribute("data-version", version);
    }
    var after = stage.querySelector("[data-announce]");
    if (after && after.getAttribute("data-announce") !== beforeText) {
      announce(stage);
    }
    if (hadFocus) {
      var heading = stage.querySelector("h2[tabindex='-1']") || stage;
      heading.focus();
    }
  }

  function startPolling(stage) {
    var url = stage.getAttribute("data-classroom-poll");
    var interval = parseInt(stage.getAttribute("data-interval"), 10) || 2000;
    var busy = false;
    function tick() {
      if (busy || document.hidden) {
        return;
      }
      busy = true;
      var version = encodeURIComponent(stage.getAttribute("data-version") || "");
      fetch(url + "?v=" + version, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status === 410) {
            window.location.reload();
            return null;
          }
          if (response.status !== 200) {
            return null;
          }
          var next = response.headers.get("X-Classroom-Version");
          return response.text().then(function (html) {
            swap(stage, html, next);
          });
        })
        .catch(function () { /* offline for a moment: try again on the next tick */ })
        .then(function () { busy = false; });
    }
    // Start at a random point of the interval: a class whose screens opened together spreads its polls.
    window.setTimeout(function () {
      tick();
      window.setInterval(tick, interval);
    }, Math.random() * interval);
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-classroom-vote]")) {
      return;
    }
    var stage = form.closest("[data-classroom-poll]");
    if (!stage || !window.fetch) {
      return;
    }
    event.preventDefault();
    var data;
    try {
      data = new FormData(form, event.submitter);
    } catch (error) {
      data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
    }
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) { button.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (response.status === 410) {
          window.location.reload();
          return null;
        }
        var next = response.headers.get("X-Classroom-Version");
        return response.text().then(function (html) {
          swap(stage, html, next);
          var heading = stage.querySelector("h2[tabindex='-1']");
          if (heading) { heading.focus(); }
        });
      })
      .catch(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) { button.disabled = false; });
      });
  }

  document.addEventListener("submit", onSubmit);
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-classroom-poll]"), startPolling);
  });
})();
