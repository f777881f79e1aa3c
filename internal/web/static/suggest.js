// Articles that may answer a help request, shown while it is written: a
// progressive enhancement of the "Minta bantuan" form (<form
// data-suggest="/bantuan/saran">), which without this file offers the same
// through its "Cari jawaban dulu" button. Served from /static under the
// CSP's script-src 'self': no inline script, no eval.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  var box = document.getElementById("suggestions");
  if (!form || !box || !window.fetch) {
    return;
  }
  var list = document.getElementById("suggestion-list");
  var none = document.getElementById("suggestions-none");
  var hint = document.getElementById("suggestions-hint");
  var subject = form.querySelector("[name=subject]");
  var body = form.querySelector("[name=body]");
  var app = form.querySelector("[name=app_id]");
  var timer = null;
  var last = "";
  var seq = 0;

  function text() {
    return ((subject ? subject.value : "") + " " + (body ? body.value : "")).trim().slice(0, 2000);
  }

  function show(items) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    items.forEach(function (it) {
      var li = document.createElement("li");
      // A button of the form, as the page without JavaScript has: opening a
      // suggestion posts the form's token and application to it.
      var b = document.createElement("button");
      b.type = "submit";
      b.className = "link";
      b.name = "artikel";
      b.value = it.id;
      b.formAction = form.getAttribute("data-suggest");
      b.formMethod = "post";
      b.formEnctype = "application/x-www-form-urlencoded";
      b.formTarget = "_blank";
      b.formNoValidate = true;
      b.textContent = it.title;
      li.appendChild(b);
      li.appendChild(document.createElement("br"));
      var sn = document.createElement("span");
      sn.className = "snippet";
      // The server escapes the text; only its <mark> elements are markup.
      sn.innerHTML = it.snippet;
      li.appendChild(sn);
      list.appendChild(li);
    });
    none.hidden = items.length > 0;
    hint.hidden = items.length === 0;
    box.hidden = false;
  }

  function ask() {
    var q = text();
    var key = q + "|" + (app ? app.value : "");
    if (q.length < 3 || key === last) {
      return;
    }
    last = key;
    var mine = ++seq;
    var url = form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q) +
      "&app_id=" + encodeURIComponent(app ? app.value : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && mine === seq) { // an older answer arriving late is dropped
          show(data.items || []);
        }
      })
      .catch(function () { /* suggestions are a help, never in the way */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  }

  [subject, body].forEach(function (el) {
    if (el) {
      el.addEventListener("input", later);
    }
  });
  if (app) {
    app.addEventListener("change", later);
  }
})();
