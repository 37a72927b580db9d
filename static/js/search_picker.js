// Search pickers (greenmfg/core/widgets.py): the text input asks the field's search endpoint for
// at most 20 matches and puts the chosen one's id in the hidden input. Without this script the
// form resolves the typed name or 统一社会信用代码 itself.
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function setUp(root) {
    const input = root.querySelector('[role="combobox"]');
    const hidden = root.querySelector("[data-picker-value]");
    const list = root.querySelector('[role="listbox"]');
    const status = root.querySelector(".picker-status");
    const choice = root.querySelector("[data-picker-choice]");
    const url = root.dataset.url;
    if (!input || !hidden || !list || !url) { return; }
    let timer = null;
    let active = -1;
    let results = [];
    let asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = list.querySelectorAll('[role="option"]');
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      const row = results[index];
      if (!row) { return; }
      hidden.value = row.id;
      input.value = row.label;
      status.textContent = "已选择：" + row.label;
      close();
    }

    function show(body) {
      results = body.results || [];
      list.textContent = "";
      results.forEach(function (row, i) {
        const item = document.createElement("li");
        item.id = list.id + "_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = row.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(item);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = "找到 " + results.length + " 项" + (body.more ? "（仅显示前 " + results.length + " 项，请输入更完整的名称或代码）" : "") + "，用上下方向键选择，回车确认。";
      } else {
        close();
        status.textContent = "没有匹配项，请检查名称或统一社会信用代码。";
      }
      active = -1;
    }

    function search() {
      const ask = ++asked;
      const query = new URLSearchParams({ q: input.value.trim() });
      fetch(url + "?" + query.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
        .then(function (body) { if (ask === asked) { show(body); } })
        .catch(function () { status.textContent = "搜索暂不可用，可直接输入名称或统一社会信用代码后提交。"; });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      if (choice) {
        choice.disabled = true;
        choice.hidden = true;
        const label = root.querySelector(".picker-choice-label");
        if (label) { label.hidden = true; }
      }
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("focus", function () {
      if (!input.value.trim() && !hidden.value) { search(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-search-picker]").forEach(setUp);
})();
