/* A thread page opened at a reply (#reply-N, after posting it) or at the reply form (after
   "Quote") moves keyboard and screen-reader focus there too, not only the scroll position.
   Without this script the page still lands at the same place. */
(function () {
  "use strict";
  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    if (id === "reply-form-title") {
      var field = document.querySelector("#reply-form textarea");
      if (field) {
        var toField = function () {
          field.focus();
          field.setSelectionRange(field.value.length, field.value.length);
        };
        toField();
        // The browser itself focuses the fragment's target (the focusable heading) when it
        // scrolls there, after this script has run: pass that focus on to the field too.
        target.addEventListener("focus", toField, { once: true });
        window.setTimeout(function () { target.removeEventListener("focus", toField); }, 3000);
        return;
      }
    }
    if (target.hasAttribute("tabindex")) target.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusTarget);
  } else {
    focusTarget();
  }
  /* The browser focuses a fragment target that can take focus (the heading, tabindex -1) once
     the page has loaded, after this script ran: move the focus on to the field again. */
  window.addEventListener("load", focusTarget);
})();
