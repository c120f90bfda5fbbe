/*
 * On the platform's pages: sizes sandboxed H5P frames to their content. A frame may only report its
 * own height; messages from anything but one of our player frames are ignored.
 */
(function () {
  "use strict";
  if (window.forebygH5PEmbed) {
    return;
  }
  window.forebygH5PEmbed = true;

  window.addEventListener("message", function (event) {
    // The sandboxed player has an opaque origin, which serialises as "null".
    if (event.origin !== "null" || !event.data || event.data.type !== "forebyg-h5p-height") {
      return;
    }
    var height = Number(event.data.height);
    if (!isFinite(height)) {
      return;
    }
    var frames = document.querySelectorAll("iframe[data-h5p-embed]");
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(Math.max(Math.round(height), 200), 4000) + "px";
      }
    }
  });
})();
