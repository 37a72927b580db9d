// The grouped menu starts open (it works without script); on a narrow screen it is folded
// under its 菜单 button so that the page's own content comes first.
(function () {
  "use strict";
  var menu = document.querySelector(".side-nav .nav-menu");
  if (menu && window.matchMedia("(max-width: 899px)").matches) {
    menu.open = false;
  }
})();
