// A page split into tabs (?tab=…) keeps its old anchors: a link to #quotas whose panel now lives
// on another tab goes on to ?tab=quotas#quotas. The map is the page's json_script "anchor-tabs";
// a key ending in * stands for every anchor that starts with what comes before it.
(function () {
  "use strict";
  var data = document.getElementById("anchor-tabs");
  var anchor = decodeURIComponent(window.location.hash.slice(1));
  if (!data || !anchor || document.getElementById(anchor)) return;
  var map = JSON.parse(data.textContent);
  var tab = map[anchor];
  if (!tab) {
    Object.keys(map).forEach(function (key) {
      if (!tab && key.slice(-1) === "*" && anchor.indexOf(key.slice(0, -1)) === 0) tab = map[key];
    });
  }
  if (!tab) return;
  var params = new URLSearchParams(window.location.search);
  if (params.get("tab") === tab) return;
  params.set("tab", tab);
  window.location.replace(window.location.pathname + "?" + params.toString() + "#" + anchor);
})();
