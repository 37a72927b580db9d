// Saves the expert's score sheet a moment after they stop typing, shows the points of each
// item and the running total, and asks for confirmation before the sheet is submitted.
(function () {
  "use strict";
  const form = document.getElementById("sheet-form");
  const status = document.getElementById("autosave-status");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
  if (!window.fetch || !status) { return; }
  let timer = null;
  function show(body) {
    form.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    (body.problems || []).forEach(function (problem) {
      const node = problem.field && form.querySelector('[data-error-for="' + problem.field + '"]');
      if (node) { node.textContent = problem.message; }
    });
    form.querySelectorAll("[data-points-for]").forEach(function (node) {
      const points = (body.points || {})[node.dataset.pointsFor];
      node.textContent = points === undefined ? "—" : points;
    });
    document.getElementById("sheet-total").textContent = body.total === null ? "—" : body.total;
    const remaining = document.getElementById("sheet-remaining");
    if (remaining) { remaining.textContent = "尚有 " + body.remaining + " 项未完成"; }
    const state = document.getElementById("sheet-state");
    if (state && body.status_label) { state.textContent = body.status_label; }
    const problems = (body.problems || []).length;
    status.textContent = problems
      ? "已于 " + body.saved_at + " 自动保存；有 " + problems + " 项需要更正，未保存这些项。"
      : "已于 " + body.saved_at + " 自动保存。";
  }
  function save() {
    const data = new FormData(form);
    data.set("action", "save");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.detail) { status.textContent = body.detail; } else { show(body); }
      })
      .catch(function () { status.textContent = "自动保存失败，请点击“保存”。"; });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  });
}());
