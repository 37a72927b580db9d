// The bulk pages' "select all" box: checks or clears every row, and shows when only some are
// checked (templates/reviews/bulk_select.html). Without JavaScript the box stays hidden and
// the 全选 / 全不选 links do the same.
(function () {
  "use strict";
  var all = document.getElementById("bulk-select-all");
  if (!all) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("#bulk-form .bulk-item"));
  function sync() {
    var checked = items.filter(function (item) { return item.checked; }).length;
    all.checked = items.length > 0 && checked === items.length;
    all.indeterminate = checked > 0 && checked < items.length;
  }
  all.hidden = false;
  all.addEventListener("change", function () {
    items.forEach(function (item) { item.checked = all.checked; });
    sync();
  });
  items.forEach(function (item) { item.addEventListener("change", sync); });
  sync();
})();
