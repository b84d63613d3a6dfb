// Progressive enhancement only: every page works without this file.
// It remembers ticked requirements on this device and adds a print button.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("form[data-checklist]").forEach(function (form) {
    var key = "pendopo:" + form.getAttribute("data-checklist");
    var boxes = form.querySelectorAll("input[type=checkbox]");
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    boxes.forEach(function (b) { b.checked = !!saved[b.name]; });
    form.addEventListener("change", function () {
      var state = {};
      boxes.forEach(function (b) { if (b.checked) { state[b.name] = true; } });
      try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* storage full or blocked */ }
    });
    form.addEventListener("reset", function () {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
