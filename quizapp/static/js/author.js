// Progressive enhancement for the lesson editor: the Preview and Save buttons work without this file.
// With it, the preview follows typing (debounced), and a problem's "line N" link (or a URL ending #L<N>)
// moves the caret there.
(function () {
  "use strict";
  var form = document.getElementById("lesson-form");
  var area = document.getElementById("lesson-text");
  var target = document.getElementById("preview");
  if (!form || !area || !target || !window.fetch) { return; }
  var timer = null;
  var latest = 0;

  function refresh() {
    var ticket = ++latest;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.dataset.previewUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && ticket === latest) { target.innerHTML = html; }
    }).catch(function () { /* offline: the Preview button still works */ });
  }

  area.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });

  function goToLine(line) {
    var lines = area.value.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length); i++) { offset += lines[i].length + 1; }
    var end = offset + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(offset, end);
    var height = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 3) * height);
  }

  // A link from elsewhere (the item analysis) may name a line: /edit#L42 selects and shows it.
  var wanted = /^#L(\d+)$/.exec(window.location.hash);
  if (wanted) { goToLine(parseInt(wanted[1], 10)); }

  target.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-line]");
    if (!link) { return; }
    event.preventDefault();
    goToLine(parseInt(link.dataset.line, 10) || 1);
  });
})();
