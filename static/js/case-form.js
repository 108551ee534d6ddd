/* The case form: links that open the section they point to, and focus on the error summary.
   The form works fully without this file (the formatting toolbar is markdown-toolbar.js). */
(function () {
  "use strict";
  var form = document.querySelector(".case-form");
  if (!form) return;

  /* Links to a field or section (the section list, the error summary) open its section. */
  function reveal(target) {
    var section = target && target.closest ? target.closest("details") : null;
    if (section && !section.open) section.open = true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    reveal(target);
    if (target.tagName === "DETAILS") {
      target.open = true;
      event.preventDefault();
      var summary = target.querySelector("summary");
      target.scrollIntoView({ block: "start" });
      if (summary) summary.focus();
    }
  });
  if (location.hash) reveal(document.getElementById(location.hash.slice(1)));

  var summaryBox = form.querySelector(".error-summary");
  if (summaryBox && document.activeElement !== summaryBox) summaryBox.focus();
})();
