/* Autocomplete boxes (komvidere.forms.AutocompleteWidget): the "add" text box becomes an ARIA
   combobox whose suggestions come from the JSON view in data-autocomplete-url; choosing one
   ticks a checkbox in the chosen list, which is what the form sends. Without this file the box
   takes typed names, which the server looks up. */
(function () {
  "use strict";

  function setup(root) {
    var url = root.dataset.autocompleteUrl;
    var name = root.dataset.autocompleteName;
    var input = root.querySelector(".autocomplete__input");
    var chosen = root.querySelector(".autocomplete__chosen");
    if (!url || !input || !chosen) return;
    var base = input.id;
    input.removeAttribute("list");  /* our suggestions replace the browser's datalist */

    var listbox = document.createElement("ul");
    listbox.id = base + "_listbox";
    listbox.className = "autocomplete__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", root.closest("fieldset") ? root.closest("fieldset").querySelector("legend").textContent.trim() : "");
    listbox.hidden = true;
    input.parentNode.appendChild(listbox);

    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    root.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var results = [], active = -1, timer = null, asked = 0;

    function close() {
      listbox.hidden = true;
      listbox.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      results = [];
      active = -1;
    }
    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function isChosen(id) {
      var box = chosen.querySelector('input[value="' + id + '"]');
      return box && box.checked;
    }
    function show(items) {
      listbox.innerHTML = "";
      results = items.filter(function (item) { return !isChosen(item.id); });
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = base + "_option_" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "autocomplete__option";
        option.textContent = item.label;
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "autocomplete__detail";
          detail.textContent = " · " + item.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(i); });
        listbox.appendChild(option);
      });
      if (!results.length) {
        status.textContent = root.dataset.autocompleteNone;
        close();
        return;
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length + " " + root.dataset.autocompleteCount;
      active = -1;
    }
    function choose(index) {
      var item = results[index];
      if (!item) return;
      var box = chosen.querySelector('input[value="' + item.id + '"]');
      if (!box) {
        var li = document.createElement("li");
        li.className = "autocomplete__item";
        box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = item.id;
        box.id = base.replace(/_add$/, "") + "_" + item.id;
        var label = document.createElement("label");
        label.htmlFor = box.id;
        label.textContent = item.label;
        li.appendChild(box);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(label);
        chosen.appendChild(li);
      }
      box.checked = true;
      chosen.hidden = false;
      input.value = "";
      close();
      status.textContent = root.dataset.autocompleteAdded + " " + item.label;
      input.focus();
    }
    function ask() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var ticket = ++asked;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === asked) show(data.results || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && results.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { ask(); return; }
        highlight(active + 1 >= results.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        } else if (open && results.length === 1) {
          event.preventDefault();
          choose(0);
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll(".autocomplete[data-autocomplete-url]").forEach(setup);
})();
