// Wide tables scroll sideways on phones: make each scroll area reachable and named for keyboard
// and screen-reader users (WCAG 2.1.1; axe rule scrollable-region-focusable). Each region is
// named after the heading above it, numbered, so that every name is unique.
document$.subscribe(function () {
  var word = (document.querySelector('meta[name="portal:table-word"]') || { content: "" }).content;
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (region, index) {
    var heading = region.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    var title = heading ? heading.textContent.trim() : document.title;
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", word + " " + (index + 1) + ": " + title);
    // A table wider than the page says so above it, in the page's language (config extra.scroll_hint).
    var hint = document.querySelector('meta[name="portal:scroll-hint"]');
    if (hint && region.scrollWidth > region.clientWidth + 1 && !region.classList.contains("overflowing")) {
      region.classList.add("overflowing");
      var note = document.createElement("p");
      note.className = "scroll-hint";
      note.textContent = hint.content;
      region.parentNode.insertBefore(note, region);
    }
  });
});

// "Chart (PNG)": the build draws charts as SVG only; the reader's browser rasterises one on a
// canvas at twice its size (white background, as in the SVG) and saves it. The button is hidden in
// the HTML and shown here, so that without JavaScript nobody sees a button that does nothing.
document$.subscribe(function () {
  document.querySelectorAll("button.chart-png").forEach(function (button) {
    button.hidden = false;
    button.onclick = function () {
      fetch(button.dataset.svg)
        .then(function (response) { return response.text(); })
        .then(function (svg) {
          var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
          var image = new Image();
          image.onload = function () {
            var canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth * 2;
            canvas.height = image.naturalHeight * 2;
            var context = canvas.getContext("2d");
            context.fillStyle = "#ffffff";
            context.fillRect(0, 0, canvas.width, canvas.height);
            context.drawImage(image, 0, 0, canvas.width, canvas.height);
            URL.revokeObjectURL(url);
            canvas.toBlob(function (png) {
              var link = document.createElement("a");
              link.href = URL.createObjectURL(png);
              link.download = button.dataset.file;
              document.body.appendChild(link);
              link.click();
              link.remove();
              setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
            }, "image/png");
          };
          image.src = url;
        });
    };
  });
});
