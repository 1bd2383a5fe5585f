// Progressive enhancement: every form works without this file. With it, answers are checked in
// place (no page reload), "Continue" moves to the next question on the page, the lesson's progress is
// recounted, and order questions get Move up / Move down buttons.
(function () {
  "use strict";

  function replaceQuestion(section, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("section.question");
    if (!fresh) { return; }
    section.replaceWith(fresh);
    enhanceOrder(fresh);
    recount();
    var focusTarget = fresh.querySelector(".result, [role=alert]");
    if (focusTarget) { focusTarget.setAttribute("tabindex", "-1"); focusTarget.focus(); }
  }

  function recount() {
    var box = document.querySelector("[data-lesson-progress]");
    if (!box) { return; }
    var answered = document.querySelectorAll("section.question.status-correct, section.question.status-incorrect").length;
    var right = document.querySelectorAll("section.question.status-correct").length;
    var total = Number(box.dataset.total);
    box.querySelector("[data-answered]").textContent = String(answered);
    var shownRight = box.querySelector("[data-right]");
    shownRight.textContent = String(Math.max(right, Number(shownRight.textContent) || 0));
    box.querySelector("progress").value = answered;
    box.querySelector("[data-summary-link]").hidden = answered !== total;
  }

  // Continue: the next question on this page not answered yet, else the server's choice (the summary).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-continue]");
    if (!link) { return; }
    var current = link.closest("section.question");
    var all = Array.prototype.slice.call(document.querySelectorAll("section.question"));
    var start = all.indexOf(current);
    var rest = all.slice(start + 1).concat(all.slice(0, start));
    var next = rest.filter(function (s) {
      return !s.classList.contains("status-correct") && !s.classList.contains("status-incorrect");
    })[0];
    if (!next || all.length < 2 || start === -1) { return; }
    event.preventDefault();
    next.scrollIntoView({ block: "start" });
    var heading = next.querySelector(".question-title");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  });

  function showProblem(form, message) {
    var note = form.querySelector(".js-problem");
    if (!note) {
      note = document.createElement("p");
      note.className = "error js-problem";
      note.setAttribute("role", "alert");
      form.appendChild(note);
    }
    note.textContent = message;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("answer-form") || !window.fetch) { return; }
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.redirected && response.url.indexOf("/login") !== -1) {
        window.location.href = response.url;
        return null;
      }
      return response.text().then(function (text) { return { ok: response.ok || response.status === 422, text: text }; });
    }).then(function (reply) {
      if (!reply) { return; }
      var section = form.closest("section.question");
      if (reply.ok && section) { replaceQuestion(section, reply.text); return; }
      var holder = document.createElement("div");
      holder.innerHTML = reply.text;
      showProblem(form, holder.textContent.trim() || "The answer could not be sent. Try again.");
      buttons.forEach(function (b) { b.disabled = false; });
    }).catch(function () {
      showProblem(form, "The answer could not be sent (network problem). Your choice is kept; try again.");
      buttons.forEach(function (b) { b.disabled = false; });
    });
  });

  // Keep the hidden selects (what the form sends) in step; the first item cannot go up, the last not down.
  function renumber(list, focused) {
    var items = list.querySelectorAll(".order-item");
    items.forEach(function (item, index) {
      var select = item.querySelector("select");
      if (select) { select.value = String(index + 1); }
      var up = item.querySelector(".move-up"), down = item.querySelector(".move-down");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === items.length - 1; }
    });
    if (focused) { (focused.disabled ? focused.parentNode.querySelector(".move:not([disabled])") : focused).focus(); }
  }

  function moveButton(kind, label, text, handler) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary move move-" + kind;
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", handler);
    return button;
  }

  function enhanceOrder(root) {
    root.querySelectorAll("[data-order-list]").forEach(function (list) {
      if (list.dataset.enhanced) { return; }
      list.dataset.enhanced = "1";
      list.querySelectorAll(".order-item").forEach(function (item) {
        var select = item.querySelector("select");
        if (select) { select.hidden = true; }
        var text = item.querySelector(".item-text");
        var name = text ? text.textContent.trim().slice(0, 60) : "item";
        var moves = document.createElement("span");
        moves.className = "moves";
        moves.appendChild(moveButton("up", "Move up: " + name, "↑", function (e) {
          var prev = item.previousElementSibling;
          if (prev) { list.insertBefore(item, prev); renumber(list, e.currentTarget); }
        }));
        moves.appendChild(moveButton("down", "Move down: " + name, "↓", function (e) {
          var next = item.nextElementSibling;
          if (next) { list.insertBefore(next, item); renumber(list, e.currentTarget); }
        }));
        item.appendChild(moves);
      });
      var legend = list.closest("fieldset").querySelector("legend");
      if (legend) { legend.textContent = "Put the items in order with the Move up and Move down buttons"; }
      renumber(list);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceOrder(document); });
})();
