// Wide tables scroll sideways on phones: make each scroll area reachable and named for keyboard
// and screen-reader users (WCAG 2.1.1; axe rule scrollable-region-focusable). Each region is
// named after the heading above it, numbered, so that every name is unique.
document$.subscribe(function () {
  var word = document.documentElement.lang === "vi" ? "Bảng" : "Table";
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (region, index) {
    var heading = region.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    var title = heading ? heading.textContent.trim() : document.title;
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", word + " " + (index + 1) + ": " + title);
  });
});
