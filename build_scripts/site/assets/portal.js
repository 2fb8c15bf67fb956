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

// Values on tap: each chart's SVG lists its points (<metadata id="points">: where each is, as a share
// of the drawing, and its value, period and source). Hovering or tapping near a point, or the arrow
// keys on a focused chart, show that point's text over the chart. No library: the SVG is the one the
// picture already loaded, fetched again from the browser's cache.
document$.subscribe(function () {
  var hint = (document.querySelector('meta[name="portal:chart-hint"]') || { content: "" }).content;
  var cache = {};
  function pointsOf(url) {
    if (!cache[url]) {
      cache[url] = fetch(url)
        .then(function (response) { return response.text(); })
        .then(function (text) {
          var found = new DOMParser().parseFromString(text, "image/svg+xml").getElementById("points");
          return found ? JSON.parse(found.textContent) : [];
        })
        .catch(function () { return []; });
    }
    return cache[url];
  }
  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var image = figure.querySelector("img");
    if (!image) return;
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("role", "status");
    tip.hidden = true;
    figure.appendChild(tip);
    figure.tabIndex = 0;
    figure.setAttribute("aria-label", image.alt + (hint ? " " + hint : ""));
    var current = -1;
    function show(points, index) {
      if (index < 0 || index >= points.length) { tip.hidden = true; current = -1; return; }
      current = index;
      var point = points[index];
      tip.textContent = point[2];
      tip.hidden = false;
      var x = point[0] * image.clientWidth, y = point[1] * image.clientHeight;
      var left = Math.max(0, Math.min(x - tip.offsetWidth / 2, image.clientWidth - tip.offsetWidth));
      tip.style.left = left + "px";
      tip.style.top = Math.max(0, y - tip.offsetHeight - 12) + "px";
    }
    function nearest(event) {
      pointsOf(image.currentSrc || image.src).then(function (points) {
        var box = image.getBoundingClientRect(), best = -1, distance = 48;
        points.forEach(function (point, index) {
          var d = Math.hypot(point[0] * box.width - (event.clientX - box.left), point[1] * box.height - (event.clientY - box.top));
          if (d < distance) { distance = d; best = index; }
        });
        show(points, best);
      });
    }
    image.addEventListener("pointermove", nearest);
    image.addEventListener("click", nearest);
    figure.addEventListener("pointerleave", function () { tip.hidden = true; });
    figure.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      if (event.key === "Escape") { tip.hidden = true; current = -1; return; }
      if (!step) return;
      event.preventDefault();
      pointsOf(image.currentSrc || image.src).then(function (points) {
        if (!points.length) return;
        show(points, current < 0 ? (step > 0 ? 0 : points.length - 1) : (current + step + points.length) % points.length);
      });
    });
    figure.addEventListener("blur", function () { tip.hidden = true; current = -1; });
  });
});

// Search: Pagefind's index and interface, from the site's own pagefind/ folder (build_scripts/search.py).
// What a reader types is folded as the index's extra words are: no marks, and đ written d, so
// "binh dinh" finds Bình Định. The header gets a search button that leads to the search page.
function portalFold(text) {
  return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
// A result's excerpt without the page's folded words (its "folded" metadata, search.py's folded_terms):
// Pagefind reads the hidden words first on the page, so an excerpt may open with a run of them, each
// perhaps marked as a match, and a full stop.
function portalUnfolded(result) {
  var folded = result.meta && result.meta.folded;
  if (folded && result.excerpt) {
    var words = folded.split(" ").map(function (word) { return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var word = "(?:<mark>)?(?:" + words.join("|") + ")(?:</mark>)?(?=[\\s.]|$)";  // whole words only
    result.excerpt = result.excerpt.replace(new RegExp("^(?:" + word + "\\s+)*" + word + "\\.?\\s*"), "");
  }
  if (result.meta) delete result.meta.folded;  // else shown under the result as a tag
  if (result.excerpt) result.excerpt = portalMarked(result.excerpt);
  return result;
}
// Pagefind marks the words it matched; a word with đ was matched by its folded twin, hidden on the page,
// and went unmarked in the excerpt ('đổi' for "doi" or "đổi"). Each word outside a mark whose folded
// form is a word of the query is marked too.
function portalMarked(excerpt) {
  var input = document.querySelector("#site-search input");
  var terms = portalFold(input ? input.value : "").toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return excerpt;
  var inMark = false;
  return excerpt.split(/(<[^>]+>|&#?\w+;)/).map(function (part) {  // tags and entities ('&lt;') kept whole
    if (part.charAt(0) === "<") { inMark = /^<mark/i.test(part) || (inMark && !/^<\/mark/i.test(part)); return part; }
    if (inMark || part.charAt(0) === "&") return part;
    return part.replace(/[\p{L}\p{M}\p{N}]+/gu, function (word) {
      return terms.indexOf(portalFold(word).toLowerCase()) >= 0 ? "<mark>" + word + "</mark>" : word;
    });
  }).join("");
}
document$.subscribe(function () {
  function meta(name) { return (document.querySelector('meta[name="portal:' + name + '"]') || { content: "" }).content; }
  var header = document.querySelector(".md-header__inner");
  if (header && !header.querySelector(".portal-search-button")) {
    var button = document.createElement("a");
    button.className = "md-header__button md-icon portal-search-button";
    button.href = meta("search-page");
    button.setAttribute("aria-label", meta("search-label"));
    button.title = meta("search-label");
    button.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
    var options = header.querySelector(".md-header__option");
    header.insertBefore(button, options ? options.nextSibling : null);
  }
  var box = document.getElementById("site-search");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  var base = meta("pagefind");
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = base + "pagefind-ui.css";
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = base + "pagefind-ui.js";
  script.onload = function () {
    // both as paths from the host: Pagefind reads a relative bundlePath from its own script's folder, not the page's
    var bundle = new URL(base, location.href).pathname;
    var siteRoot = bundle.replace(/pagefind\/$/, "");  // works under any sub-path
    new PagefindUI({ element: "#site-search", bundlePath: bundle, baseUrl: siteRoot, showSubResults: false, showImages: false, resetStyles: false, processTerm: portalFold, processResult: portalUnfolded, autofocus: true });
    var query = new URLSearchParams(location.search).get("q");
    if (query) {
      var input = box.querySelector("input");
      input.value = query;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };
  document.head.appendChild(script);
});
