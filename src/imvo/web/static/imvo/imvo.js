/* IMVO Monitor's only script, loaded with defer from imvo/base.html (no inline script: the
   Content-Security-Policy allows scripts from the site's own files only). Every page works
   without it: the navigation then simply stays open. */
(function () {
  /* Tells the style sheet that scripts run (the menu button and a closed menu on phones). */
  document.documentElement.className += " js";
})();
(function () {
  var button = document.querySelector(".menu-button");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) return;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.click();
      button.focus();
    }
  });
})();
(function () {
  /* A table that scrolls sideways and holds nothing focusable gets a tab stop, so keyboard users can scroll it. */
  var focusable = "a[href], button, input, select, textarea, [tabindex]";
  function mark() {
    document.querySelectorAll("main table, main .table-scroll").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex") && !el.querySelector(focusable)) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-scroll-stop", "");
      } else if (!scrolls && el.hasAttribute("data-scroll-stop")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-stop");
      }
    });
  }
  mark();
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(mark, 150); });
})();
