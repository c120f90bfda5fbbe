/* Course pages: progressive enhancement of the prevention triangle.
 * Without this script every level is shown as text. With it, each band of the triangle is a
 * button (Enter/Space or a click) that shows that level's description and who works there. */
(function () {
  "use strict";

  function enhanceTriangle(root) {
    var svg = root.querySelector("[data-triangle-svg]");
    var hint = root.querySelector("[data-triangle-hint]");
    var bands = Array.prototype.slice.call(root.querySelectorAll(".triangle-band[data-controls]"));
    var panels = Array.prototype.slice.call(root.querySelectorAll("[data-level-panel]"));
    if (!svg || !bands.length) {
      return;
    }

    function select(band) {
      var target = band.getAttribute("data-controls");
      var opening = band.getAttribute("aria-expanded") !== "true";
      bands.forEach(function (other) {
        other.setAttribute("aria-expanded", opening && other === band ? "true" : "false");
      });
      panels.forEach(function (panel) {
        panel.hidden = !(opening && panel.id === target);
      });
      if (hint) {
        hint.hidden = opening;
      }
    }

    // The drawing becomes a group of buttons: it is no longer a single image.
    svg.setAttribute("role", "group");
    svg.removeAttribute("aria-labelledby");
    svg.setAttribute("aria-label", root.querySelector("h3") ? root.querySelector("h3").textContent : "");
    bands.forEach(function (band) {
      band.setAttribute("role", "button");
      band.setAttribute("tabindex", "0");
      band.setAttribute("aria-expanded", "false");
      band.setAttribute("aria-controls", band.getAttribute("data-controls"));
      band.setAttribute("aria-label", band.getAttribute("data-label"));
      band.addEventListener("click", function () {
        select(band);
      });
      band.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          select(band);
        }
      });
    });
    panels.forEach(function (panel) {
      panel.hidden = true;
    });
    if (hint) {
      hint.hidden = false;
    }
    root.classList.add("is-enhanced");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-prevention-triangle]"), enhanceTriangle);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
