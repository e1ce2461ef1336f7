// rcm's pages: the only script, served as a file so that the Content
// Security Policy allows no inline script. What a page needs from the server
// (where to go after signing in, texts) comes in data- attributes.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }
  ready(function () {
    var signout = document.getElementById("signout");
    if (signout) {
      signout.addEventListener("click", function (e) {
        e.preventDefault();
        fetch("/api/v1/session", {method: "DELETE", credentials: "same-origin"}).then(function () { location.href = "/signin"; });
      });
    }
    var form = document.getElementById("signin");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var box = document.getElementById("error");
      fetch("/api/v1/session", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept-Language": form.dataset.lang},
        body: JSON.stringify({email: document.getElementById("email").value, password: document.getElementById("password").value})
      }).then(function (resp) {
        if (resp.ok) { location.assign(form.dataset.next); return; }
        return resp.json().then(function (p) { box.textContent = p.detail || p.title; box.hidden = false; });
      }).catch(function () { box.textContent = form.dataset.networkError; box.hidden = false; });
    });
  });
})();
