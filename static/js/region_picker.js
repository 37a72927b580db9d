// Cascading region picker (greenmfg/directory/widgets.py): choosing a province or a city removes
// the deeper selects and asks for the chosen node's children, so the next level appears at once.
// Without this script the next level appears after the form is submitted.
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function setUp(root) {
    if (root.dataset.ready) { return; }
    root.dataset.ready = "1";
    const url = root.dataset.childrenUrl;
    const name = root.dataset.name;
    root.addEventListener("change", function (event) {
      const select = event.target;
      if (!select.matches("select[data-region-level]")) { return; }
      let next = select.nextElementSibling;
      while (next) {
        const after = next.nextElementSibling;
        if (next.matches("select[data-region-level]")) { next.remove(); }
        next = after;
      }
      const key = select.value;
      if (!key) { return; }
      const label = select.options[select.selectedIndex].textContent;
      const ask = url + (url.indexOf("?") < 0 ? "?" : "&") + "parent=" + encodeURIComponent(key);
      fetch(ask, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (!body.results || !body.results.length || select.value !== key) { return; }
          const child = document.createElement("select");
          child.name = name;
          child.id = select.id.replace(/_\d+$/, "") + "_" + (root.querySelectorAll("select").length);
          child.dataset.regionLevel = "";
          child.setAttribute("aria-label", body.prompt || "");
          const all = document.createElement("option");
          all.value = "";
          all.textContent = "全部（" + label + "）";
          child.appendChild(all);
          body.results.forEach(function (node) {
            const option = document.createElement("option");
            option.value = node.key;
            option.textContent = node.name;
            child.appendChild(option);
          });
          select.after(child);
        })
        .catch(function () { /* the next level appears after 查询 */ });
    });
  }

  function start() { document.querySelectorAll(".region-picker").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
