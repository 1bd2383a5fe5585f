// Progressive enhancement for the lesson editor (loaded on the editor page only): the Preview and Save
// buttons work without this file. With it: line numbers beside the text, with the checker's problem lines
// marked; the preview follows typing (debounced) and keeps the last rendering without errors while the
// text has some; a problem's "line N" link (or a URL ending #L<N>) moves the caret there; Ctrl+S saves.
(function () {
  "use strict";
  var form = document.getElementById("lesson-form");
  var area = document.getElementById("lesson-text");
  var target = document.getElementById("preview");
  if (!form || !area || !target) { return; }
  var timer = null;
  var latest = 0;
  var shownLines = 0;

  var gutter = document.createElement("div");
  gutter.className = "gutter";
  gutter.setAttribute("aria-hidden", "true");
  area.parentNode.insertBefore(gutter, area);
  area.parentNode.classList.add("numbered");

  function problemLines() {
    var marks = {};
    target.querySelectorAll(".problem-list li").forEach(function (item) {
      var link = item.querySelector("a[data-line]");
      if (!link) { return; }
      var line = link.dataset.line;
      if (marks[line] !== "error") { marks[line] = item.classList.contains("error") ? "error" : "warning"; }
    });
    return marks;
  }

  function number() {
    var count = area.value.split("\n").length;
    var marks = problemLines();
    var parts = [];
    for (var i = 1; i <= count; i++) {
      parts.push(marks[i] ? '<span class="' + marks[i] + '">' + i + "</span>" : String(i));
    }
    gutter.innerHTML = parts.join("\n") + "\n";
    shownLines = count;
    gutter.scrollTop = area.scrollTop;
  }

  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });

  function show(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var kept = target.querySelector(".preview-lesson");
    if (holder.querySelector(".preview-lesson") || !kept) {
      target.innerHTML = html;
    } else {  // errors: new problem list, the last good rendering stays, marked as such
      var problems = holder.querySelector(".problems");
      target.querySelector(".problems").replaceWith(problems);
      if (!target.querySelector(".stale-note")) {
        var note = document.createElement("p");
        note.className = "stale-note";
        note.textContent = "The text has errors (marked beside their lines): the preview below is the last version without them.";
        kept.parentNode.insertBefore(note, kept);
      }
      kept.classList.add("stale");
    }
    number();
  }

  function refresh() {
    if (!window.fetch) { return; }
    var ticket = ++latest;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.dataset.previewUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && ticket === latest) { show(html); }
    }).catch(function () { /* offline: the Preview button still works */ });
  }

  area.addEventListener("input", function () {
    if (area.value.split("\n").length !== shownLines) { number(); }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });

  area.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      var save = form.querySelector("button[value=save]");
      if (form.requestSubmit) { form.requestSubmit(save); } else { save.click(); }
    }
  });

  function goToLine(line) {
    var lines = area.value.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length); i++) { offset += lines[i].length + 1; }
    var end = offset + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(offset, end);
    var height = parseFloat(window.getComputedStyle(area).lineHeight) || area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 3) * height);
  }

  number();
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
