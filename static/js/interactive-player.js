/*
 * Runs inside the sandboxed (opaque-origin) H5P player frame. Loads the activity with h5p-standalone
 * from token-scoped URLs and forwards its xAPI statements to the platform without cookies: the signed
 * token in the URL says who the learner is; the statement's own actor is ignored by the server.
 */
(function () {
  "use strict";

  var container = document.getElementById("h5p-container");
  var status = document.getElementById("h5p-player-status");
  if (!container || !window.H5PStandalone) {
    return;
  }
  var data = container.dataset;

  // The opaque origin has no web storage: reading window.localStorage throws. H5P core reads it on
  // start (its offline queue and clipboard), so it gets a storage that lives as long as this page.
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) {
        return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null;
      },
      setItem: function (key, value) {
        items[key] = String(value);
      },
      removeItem: function (key) {
        delete items[key];
      },
      clear: function () {
        items = {};
      },
      key: function (index) {
        return Object.keys(items)[index] || null;
      },
      get length() {
        return Object.keys(items).length;
      }
    };
  }
  try {
    window.localStorage.getItem("probe");
  } catch (error) {
    Object.defineProperty(window, "localStorage", { value: memoryStorage(), configurable: true });
  }
  try {
    window.sessionStorage.getItem("probe");
  } catch (error) {
    Object.defineProperty(window, "sessionStorage", { value: memoryStorage(), configurable: true });
  }
  var MAX_ATTEMPTS = 4;

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function showStatus(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function send(body, attempt) {
    return fetch(data.xapiUrl, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: body,
      keepalive: body.length < 60000
    }).then(function (response) {
      if (response.status >= 500 && attempt < MAX_ATTEMPTS) {
        return retry(body, attempt);
      }
      if (!response.ok) {
        showStatus(data.sendError);
      }
      return response;
    }, function () {
      if (attempt < MAX_ATTEMPTS) {
        return retry(body, attempt);
      }
      showStatus(data.sendError);
    });
  }

  function retry(body, attempt) {
    // The statement keeps its id, so the server records it once however often it arrives.
    return new Promise(function (resolve) {
      window.setTimeout(resolve, 1000 * Math.pow(2, attempt));
    }).then(function () {
      return send(body, attempt + 1);
    });
  }

  function onStatement(event) {
    var statement = event && event.data && event.data.statement;
    if (!statement) {
      return;
    }
    var copy = JSON.parse(JSON.stringify(statement));
    copy.id = uuid4();
    delete copy.actor;
    send(JSON.stringify(copy), 1);
  }

  // The parent page sizes the frame to its content; only a height (a number) is ever sent.
  var lastHeight = 0;
  function reportHeight() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== lastHeight && window.parent !== window) {
      lastHeight = height;
      window.parent.postMessage({ type: "forebyg-h5p-height", height: height }, window.location.origin);
    }
  }

  new window.H5PStandalone.H5P(container, {
    h5pJsonPath: data.h5pJsonPath,
    frameJs: data.frameJs,
    frameCss: data.frameCss,
    embedType: "div",
    assetsRequestFetchOptions: { credentials: "omit" },
    frame: false,
    icon: false,
    copyright: false,
    export: false,
    embed: false,
    fullScreen: false
  }).then(function () {
    window.H5P.externalDispatcher.on("xAPI", onStatement);
    if (window.ResizeObserver) {
      new window.ResizeObserver(reportHeight).observe(document.body);
    }
    reportHeight();
    container.setAttribute("data-loaded", "true");
  }).catch(function (error) {
    showStatus(data.loadError);
    if (window.console) {
      window.console.error("H5P:", error);
    }
  });
})();
