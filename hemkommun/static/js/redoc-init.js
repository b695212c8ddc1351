// Starts Redoc on the API documentation page from the container's data attributes: an inline
// script (as drf-spectacular's own template has) would need 'unsafe-inline' in script-src.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  if (!container || typeof Redoc === "undefined") {
    return;
  }
  Redoc.init(container.dataset.schemaUrl, JSON.parse(container.dataset.settings), container);
})();
