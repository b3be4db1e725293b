// dossier serve: reloads the page when the site is rebuilt, keeping the scroll position,
// and shows build problems in an overlay until they are fixed.
(function () {
  "use strict";
  var key = "dossier-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, parseInt(saved, 10) || 0); });
  }
  function overlay(text) {
    var box = document.getElementById("dossier-problem");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-problem";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0b;color:#ffecec;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-top:4px solid #ff6b6b;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "dossier: the last change does not build; still showing the last good version.\n\n" + text;
  }
  if (window.__dossierProblem) overlay(window.__dossierProblem);
  var me = document.currentScript;
  var source = new EventSource(me ? me.getAttribute("data-events") : "/__dossier/events");
  source.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  source.addEventListener("problem", function (e) { overlay(e.data); });
})();
