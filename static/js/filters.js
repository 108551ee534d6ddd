/* The filter panel of the lists (templates/includes/filter_panel.html). On a wide screen the
   panel is always open; after htmx updates the list in place, the groups the person had
   opened stay open. Without this file the panel and the "Show" button work as a plain form. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60rem)");

  function openOnWideScreens() {
    var panel = document.querySelector("[data-filter-panel]");
    if (panel && wide.matches) panel.open = true;
  }
  openOnWideScreens();
  if (wide.addEventListener) wide.addEventListener("change", openOnWideScreens);

  var opened = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "list-browser") return;
    opened = Array.prototype.map.call(
      event.detail.target.querySelectorAll("details[open][id]"),
      function (details) { return details.id; }
    );
  });
  document.addEventListener("htmx:afterSettle", function () {
    opened.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
    openOnWideScreens();
  });

  // Links that carry the list's filters (the CSV and XLSX downloads) follow the filters that
  // htmx has just applied, so that what is fetched is what is shown.
  function syncFilterLinks() {
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    Array.prototype.forEach.call(document.querySelectorAll("a[data-keeps-filters]"), function (link) {
      var url = new URL(link.href, window.location.href);
      url.search = params.toString();
      link.href = url.pathname + url.search;
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", syncFilterLinks);
  document.addEventListener("htmx:historyRestore", syncFilterLinks);
})();
