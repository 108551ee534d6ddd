/* A small formatting toolbar over every text box that takes markdown (textarea[data-markdown]),
   on every page: bold, italic, link, lists and a subheading. Its labels, in the interface
   language, are the data-md-* attributes of this script's own tag (templates/base.html).
   Without this file the boxes are plain text boxes and the formatting help says what to type. */
(function () {
  "use strict";
  var script = document.currentScript;
  var labels = script ? script.dataset : {};
  if (!labels.mdToolbar) return;

  /* The markdown toolbar: each button wraps the selection or starts its lines. */
  var actions = [
    ["bold", "B", function (t) { wrap(t, "**", "**"); }],
    ["italic", "I", function (t) { wrap(t, "*", "*"); }],
    ["link", "↗", function (t) { link(t); }],
    ["list", "•", function (t) { prefix(t, function () { return "- "; }); }],
    ["numbered", "1.", function (t) { prefix(t, function (i) { return (i + 1) + ". "; }); }],
    ["heading", "H", function (t) { prefix(t, function () { return "### "; }); }]
  ];

  function replace(textarea, start, end, text, selectFrom, selectTo) {
    textarea.focus();
    textarea.setRangeText(text, start, end, "end");
    textarea.setSelectionRange(selectFrom, selectTo);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function wrap(textarea, before, after) {
    var s = textarea.selectionStart, e = textarea.selectionEnd;
    var chosen = textarea.value.slice(s, e);
    replace(textarea, s, e, before + chosen + after, s + before.length, s + before.length + chosen.length);
  }
  function link(textarea) {
    var s = textarea.selectionStart, e = textarea.selectionEnd;
    var chosen = textarea.value.slice(s, e) || labels.mdLinkText;
    var text = "[" + chosen + "](https://)";
    var urlAt = s + chosen.length + 3;
    replace(textarea, s, e, text, urlAt, urlAt + 8);
  }
  function prefix(textarea, marker) {
    var value = textarea.value;
    var s = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var e = textarea.selectionEnd;
    var lines = value.slice(s, e).split("\n");
    var text = lines.map(function (line, i) { return marker(i) + line; }).join("\n");
    replace(textarea, s, e, text, s + text.length, s + text.length);
  }

  document.querySelectorAll("textarea[data-markdown]").forEach(function (textarea) {
    var bar = document.createElement("div");
    bar.className = "md-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", labels.mdToolbar);
    bar.setAttribute("aria-controls", textarea.id);
    actions.forEach(function (action, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-toolbar__button md-toolbar__button--" + action[0];
      button.textContent = action[1];
      button.setAttribute("aria-label", labels["md" + action[0][0].toUpperCase() + action[0].slice(1)]);
      button.title = button.getAttribute("aria-label");
      button.tabIndex = index === 0 ? 0 : -1;
      button.addEventListener("click", function () { action[2](textarea); });
      bar.appendChild(button);
    });
    /* One tab stop for the toolbar; arrow keys move between its buttons (ARIA toolbar). */
    bar.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      var to = null;
      if (event.key === "ArrowRight") to = (at + 1) % buttons.length;
      else if (event.key === "ArrowLeft") to = (at - 1 + buttons.length) % buttons.length;
      else if (event.key === "Home") to = 0;
      else if (event.key === "End") to = buttons.length - 1;
      if (to === null) return;
      event.preventDefault();
      buttons.forEach(function (b, i) { b.tabIndex = i === to ? 0 : -1; });
      buttons[to].focus();
    });
    textarea.parentNode.insertBefore(bar, textarea);
  });
})();
