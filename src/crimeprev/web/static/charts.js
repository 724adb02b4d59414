// Draws each chart of the page from its Vega-Lite specification, which the page carries as JSON in the
// container's data-spec attribute (the same specification the paper's charts are drawn from).
// Vega's expression interpreter is used instead of generated code, and Vega-Embed's and the
// tooltips' own styles are left out (they are in app.css), so the page's security policy needs
// neither 'unsafe-eval' nor inline styles. Without script the chart's text alternative and the
// tables beside it carry the same figures.
(function () {
  "use strict";
  function draw(root) {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    root.querySelectorAll(".vega-chart[data-spec]").forEach(function (container) {
      if (container.dataset.drawn) {
        return;
      }
      container.dataset.drawn = "yes";
      var spec = JSON.parse(container.dataset.spec);
      window
        .vegaEmbed(container, spec, {
          actions: false,
          renderer: "svg",
          ast: true,
          defaultStyle: false,
          tooltip: { disableDefaultStyle: true },
        })
        .then(function () {
          // The chart's text alternative is on its wrapper (role="img"): the drawing's own labels
          // would only repeat it in pieces, and a screen reader would read both.
          container.querySelectorAll("[aria-label], [role], [aria-roledescription]").forEach(function (el) {
            el.removeAttribute("aria-label");
            el.removeAttribute("role");
            el.removeAttribute("aria-roledescription");
          });
          container.querySelectorAll("svg").forEach(function (svg) {
            svg.setAttribute("aria-hidden", "true");
          });
        })
        .catch(function (error) {
          container.textContent = "The chart could not be drawn (" + error.message + "); its figures are in the tables.";
        });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
  // a part of the page replaced in place (the district filter) brings its own charts
  document.addEventListener("htmx:afterSettle", function () {
    draw(document);
  });
})();
