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

// Values on tap: each chart's SVG lists its points in columns (<metadata id="points">: where each is, in
// ten-thousandths of the drawing from its top left, its tooltip's fields, the number of its source and
// its line) and, in <metadata id="tips">, the tooltips' sentence, how each field's texts are kept, its
// sources' texts, where its title ends, and the room a point's mark and the value printed above it take
// (build_scripts/site/chart_tips.py). Hovering or tapping near a point, or the arrow keys on a focused
// chart, show that point's text and source beside it (chartTipPlace). No library: the SVG is the one
// the picture already loaded, fetched again from the browser's cache.
//
// chartColumn: a column of the points' metadata, one value for every point or a list whose numbers are
// each the difference from the one before. chartPoints: a chart's SVG text read into its points, each
// [x, y, text, source] (x and y as shares of the drawing), its tips and its width.
function chartColumn(column, count) {
  if (!Array.isArray(column)) return Array.from({ length: count }, function () { return column; });
  var sum = 0;
  return column.map(function (value) { return typeof value === "number" ? (sum += value) : value; });
}
function chartPoints(text) {
  var svg = new DOMParser().parseFromString(text, "image/svg+xml");
  var found = svg.getElementById("points"), tips = svg.getElementById("tips");
  var box = (svg.documentElement.getAttribute("viewBox") || "").split(/[\s,]+/);
  var chart = { points: [], tips: { title: 0, mark: 0, above: 0 }, width: parseFloat(box[2]) || 1 };
  if (!found || !tips) return chart;
  var data = JSON.parse(found.textContent), keys = JSON.parse(tips.textContent), n = data.n;
  var x = chartColumn(data.x, n), y = chartColumn(data.y, n), fields = {};
  var source = chartColumn(data.source, n), line = chartColumn(data.line, n);
  Object.keys(data.tip).forEach(function (name) {
    var kept = (keys.fields || {})[name] || {};
    if (kept.shapes) {  // a column of each point's shape, then one of each run of digits in it
      var runs = data.tip[name].map(function (column) { return chartColumn(column, n); });
      fields[name] = runs[0].map(function (shape, i) {
        return kept.shapes[shape].reduce(function (text, words, j) { return text + runs[j][i] + words; });
      });
      return;
    }
    fields[name] = chartColumn(data.tip[name], n).map(function (value) {
      return (kept.before || "") + (kept.table ? kept.table[value] : value) + (kept.after || "");
    });
  });
  chart.tips = keys;
  for (var i = 0; i < n; i++) {
    var words = keys.tip.map(function (part, j) { return j % 2 ? fields[part][i] : part; }).join("");
    var cited = keys.sources[source[i]];
    chart.points.push([x[i] / keys.scale, y[i] / keys.scale, words, cited ? cited[0] + line[i] + cited[1] : ""]);
  }
  return chart;
}
function chartTipPlace(tip, chart, point, image) {
  // Below the point, else above it and its value, else right or left of it; never over the title, and
  // inside the drawing where one of these fits (else below it, past the drawing's foot).
  var width = image.clientWidth, height = image.clientHeight, scale = width / chart.width, gap = 4;
  tip.style.left = tip.style.top = "0px";  // measured where its width is not cut by the figure's edge
  tip.style.setProperty("--chart-width", width + "px");
  var x = point[0] * width, y = point[1] * height, mark = chart.tips.mark * scale + gap;
  var above = Math.max(chart.tips.mark, chart.tips.above) * scale + gap, title = chart.tips.title * height + gap;
  var w = tip.offsetWidth, h = tip.offsetHeight;
  var centred = Math.max(0, Math.min(x - w / 2, width - w));
  var beside = Math.max(title, Math.min(y - h / 2, height - h));
  var places = [[centred, y + mark], [centred, y - above - h], [x + mark, beside], [x - mark - w, beside]];
  var chosen = places.filter(function (p) {
    return p[0] >= 0 && p[0] + w <= width && p[1] >= title && p[1] + h <= height;
  })[0] || places[0];
  tip.style.left = chosen[0] + "px";
  tip.style.top = chosen[1] + "px";
}
document$.subscribe(function () {
  var hint = (document.querySelector('meta[name="portal:chart-hint"]') || { content: "" }).content;
  var cache = {}, none = chartPoints("<svg/>");
  function chartOf(url) {
    if (!cache[url]) {
      cache[url] = fetch(url)
        .then(function (response) { return response.text(); })
        .then(chartPoints)
        .catch(function () { return none; });
    }
    return cache[url];
  }
  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var image = figure.querySelector("img");
    if (!image || figure.querySelector(".chart-tip")) return;
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("role", "status");
    tip.hidden = true;
    var value = tip.appendChild(document.createElement("span"));
    var source = tip.appendChild(document.createElement("span"));
    value.className = "chart-tip-value";
    source.className = "chart-tip-source";
    figure.appendChild(tip);
    figure.tabIndex = 0;
    figure.setAttribute("aria-label", image.alt + (hint ? " " + hint : ""));
    var current = -1;
    function hide() { tip.hidden = true; current = -1; }
    function show(chart, index) {
      if (index < 0 || index >= chart.points.length) { hide(); return; }
      current = index;
      var point = chart.points[index];
      value.textContent = point[2];
      source.textContent = point[3];
      tip.hidden = false;
      chartTipPlace(tip, chart, point, image);
    }
    function nearest(event, reach) {  // a tap reaches further than a hovering pointer
      chartOf(image.currentSrc || image.src).then(function (chart) {
        var box = image.getBoundingClientRect(), best = -1, distance = reach;
        chart.points.forEach(function (point, index) {
          var d = Math.hypot(point[0] * box.width - (event.clientX - box.left), point[1] * box.height - (event.clientY - box.top));
          if (d < distance) { distance = d; best = index; }
        });
        if (best !== current || tip.hidden) show(chart, best);
      });
    }
    image.addEventListener("pointermove", function (event) { if (event.pointerType !== "touch") nearest(event, 48); });
    image.addEventListener("click", function (event) { nearest(event, 96); });
    figure.addEventListener("pointerleave", function (event) { if (event.pointerType !== "touch") hide(); });
    // Left and right step through the points from left to right, up and down from top to bottom.
    figure.addEventListener("keydown", function (event) {
      var step = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [1, 1], ArrowUp: [-1, 1] }[event.key];
      if (event.key === "Escape") { hide(); return; }
      if (!step) return;
      event.preventDefault();
      chartOf(image.currentSrc || image.src).then(function (chart) {
        var count = chart.points.length, along = step[1], across = 1 - along;
        if (!count) return;
        var order = chart.points.map(function (_, index) { return index; }).sort(function (a, b) {
          var p = chart.points[a], q = chart.points[b];
          return p[along] - q[along] || p[across] - q[across] || a - b;
        });
        var at = order.indexOf(current);
        show(chart, order[at < 0 ? (step[0] > 0 ? 0 : count - 1) : (at + step[0] + count) % count]);
      });
    });
    figure.addEventListener("blur", hide);
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

// Copy buttons (copy_buttons.py): each copies the text of the element it names (less what data-skip
// selects in it, such as a label), by the Clipboard API, or by a hidden text area and the copy command
// where the page may not use that; the row's live region says "Copied", or, when neither worked, the
// text is selected for the reader to copy. A "Share…" button hands its link to the device's own
// sharing, and is shown only where the browser has it (the Web Share API). The rows are hidden in the
// HTML: without JavaScript the citations stay as text to select.
function portalCopyByCommand(text) {
  var area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  var copied = false;
  try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
  area.remove();
  return copied ? Promise.resolve() : Promise.reject(new Error("not copied"));
}
function portalCopy(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).catch(function () { return portalCopyByCommand(text); });
  }
  return portalCopyByCommand(text);
}
function portalCopiedText(source, skip) {
  var copy = source.cloneNode(true);
  if (skip) copy.querySelectorAll(skip).forEach(function (part) { part.remove(); });
  return copy.textContent.trim();
}
document$.subscribe(function () {
  document.querySelectorAll(".copy-row").forEach(function (row) {
    var status = row.querySelector(".copy-status");
    function said(what) { return row.querySelector('.copy-said[data-said="' + what + '"]').textContent; }
    row.hidden = false;
    row.querySelectorAll("button.copy-button").forEach(function (button) {
      button.onclick = function () {
        var source = document.getElementById(button.dataset.copy);
        if (!source) return;
        status.textContent = "";
        portalCopy(portalCopiedText(source, button.dataset.skip)).then(function () {
          status.textContent = said("copied");
        }, function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          status.textContent = said("failed");
        });
      };
    });
    row.querySelectorAll("button.share-button").forEach(function (button) {
      var link = document.getElementById(button.dataset.share);
      if (!navigator.share || !link) return;
      button.hidden = false;
      button.onclick = function () {
        navigator.share({ title: document.title, url: link.href }).catch(function () {});
      };
    });
  });
});
