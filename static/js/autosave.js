// Saves the application draft a moment after the user stops typing, so nothing is lost.
(function () {
  "use strict";
  const form = document.getElementById("draft-form");
  const status = document.getElementById("autosave-status");
  if (!form || !window.fetch) { return; }
  let timer = null;
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
        const problems = Object.keys(body.errors || {}).length;
        status.textContent = problems
          ? "已于 " + body.saved_at + " 自动保存；有 " + problems + " 项需要更正，点击“保存草稿”查看。"
          : "已于 " + body.saved_at + " 自动保存草稿。";
      })
      .catch(function () { status.textContent = "自动保存失败，请点击“保存草稿”。"; });
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
