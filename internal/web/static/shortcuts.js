// Keyboard shortcuts for the agent workspace, as a progressive
// enhancement: the pages work without this file, and it acts only on a page
// that carries a shortcuts list (<details id="shortcuts"
// data-shortcuts="queue|ticket">), which also documents the keys for those
// without JavaScript. Served from /static under the CSP's script-src 'self':
// no inline script, no eval.
(function () {
  "use strict";
  var help = document.getElementById("shortcuts");
  if (!help) {
    return;
  }
  var mode = help.getAttribute("data-shortcuts");
  var swallow = null; // the key of the shortcut just acted on, until it is let go

  // typing reports whether a key press belongs to what the person writes.
  function typing(e) {
    var t = e.target;
    if (e.isComposing || !t || !t.closest) {
      return true;
    }
    return t.isContentEditable || t.closest("input, textarea, select, [contenteditable]") !== null;
  }

  var dialog = null;
  function showHelp() {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "shortcuts";
      dialog.setAttribute("aria-labelledby", "shortcuts-title");
      var title = document.createElement("h2");
      title.id = "shortcuts-title";
      title.textContent = help.querySelector("summary").textContent;
      dialog.appendChild(title);
      dialog.appendChild(help.querySelector("dl").cloneNode(true));
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = help.getAttribute("data-close");
      close.addEventListener("click", function () { dialog.close(); });
      dialog.appendChild(close);
      document.body.appendChild(dialog);
    }
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      help.open = true; // no <dialog>: open the list on the page instead
      help.scrollIntoView();
    }
  }

  // The queue: j/k choose a row, Enter (on its focused link) or o opens it.
  var current = -1;
  function rows() {
    return document.querySelectorAll("main table tbody tr");
  }
  function choose(step) {
    var list = rows();
    if (list.length === 0) {
      return;
    }
    if (current >= 0 && current < list.length) {
      list[current].classList.remove("kb-current");
    }
    current = Math.max(0, Math.min(list.length - 1, current + step));
    var row = list[current];
    row.classList.add("kb-current");
    var link = row.querySelector("a");
    if (link) {
      link.focus();
    }
  }
  function openCurrent() {
    var list = rows();
    var link = current >= 0 && list[current] ? list[current].querySelector("a") : null;
    if (link) {
      window.location.href = link.href;
    }
  }

  function focusField(id) {
    var el = document.getElementById(id);
    if (el) {
      el.focus();
      el.scrollIntoView({block: "center"});
    }
  }

  var keys = {
    queue: {
      j: function () { choose(1); },
      k: function () { choose(-1); },
      o: openCurrent,
      Enter: openCurrent // on a focused link or button, Enter does what it always does
    },
    ticket: {
      r: function () { focusField("reply-body"); },
      n: function () { focusField("note-body"); },
      s: function () { focusField("c-status"); },
      t: function () {
        var take = document.querySelector('form[action$="/ubah"] button[accesskey="a"]');
        if (take) {
          take.click();
        }
      }
    }
  }[mode] || {};

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e)) {
      return;
    }
    if (dialog && dialog.open) {
      return; // Escape closes it; nothing else acts behind it
    }
    var act = e.key === "?" ? showHelp : keys[e.key];
    if (!act || (e.key === "Enter" && e.target.closest("a, button, summary"))) {
      return;
    }
    e.preventDefault();
    swallow = e.key;
    act(e);
  });

  // A shortcut that moves the focus into a field must not also type its
  // letter there. Browsers drop the key's character when its keydown is
  // prevented; an input method or a remote control (DevTools) may still
  // send it as a keypress, which is dropped here until the key is let go.
  document.addEventListener("keypress", function (e) {
    if (swallow !== null && e.key === swallow) {
      e.preventDefault();
    }
  }, true);
  document.addEventListener("keyup", function () { swallow = null; }, true);
})();
