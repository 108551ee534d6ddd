// Accessible names for the widgets Django's admin builds in the browser (WCAG 4.1.2), which
// axe flags: the filter boxes of filter_horizontal (a span with aria-label but no role) and
// select2's autocomplete fields (a search box without a label, a combobox named by an empty
// placeholder, a list with a button in it) and the fields of tabular inlines (no label). Runs again whenever the admin adds or re-renders such a widget.
(function () {
  "use strict";

  function labelFor(select) {
    if (!select || !select.id) return "";
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  function hasLabel(input) {
    return (input.id && document.querySelector('label[for="' + input.id + '"]')) ||
      input.getAttribute("aria-label") || input.closest("label");
  }

  function fix(root) {
    // Tabular inlines name their fields only in the column headers.
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var headers = table.querySelectorAll("thead th");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          var header = headers[index];
          if (!header) return;
          var name = header.textContent.replace(/[:?\s]+$/, "").trim();
          if (!name) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
            if (!hasLabel(input)) input.setAttribute("aria-label", name);
          });
        });
      });
    });
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      var name = labelFor(select);
      if (!name) return;
      container.querySelectorAll(".select2-selection, .select2-search__field").forEach(function (el) {
        if (el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
      });
      // select2 puts its "clear" button straight into the list of choices.
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(function (el) {
        if (el.getAttribute("role") !== "listitem") el.setAttribute("role", "listitem");
      });
      container.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (el) {
        if (el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
      });
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, {
      childList: true,
      subtree: true,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("load", function () { fix(document); });
})();
