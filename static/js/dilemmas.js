/* Dilemmas: once the live suggestions have been shown while typing the title, the asker has
   seen them, so the server need not ask again in a confirmation step. Works without it too. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var region = event.detail && event.detail.target;
    if (!region || region.id !== "dilemma-suggestions") return;
    if (region.querySelector("[data-suggestions]")) {
      var confirmed = document.getElementById("id_confirmed");
      if (confirmed) confirmed.value = "1";
    }
  });
})();
