// The search page: Pagefind's UI (in the page's language, from <html lang>), started on the
// query that the search box in every page's header sends as `?q=`.
(function () {
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  // A big dossier's index is in shards (src/search.rs): the others are merged into the first.
  // Pagefind wants their paths from the host's root, as the page's address gives them.
  var merge = (el.dataset.merge || "").split(" ").filter(Boolean).map(function (p) {
    return { bundlePath: new URL(p, location.href).pathname };
  });
  var ui = new PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: true,
    translations: { placeholder: el.dataset.label },
    // Search on the page's own thread, not in a worker: the worker hands every result back to
    // the page as a copy, and a word found in most reports of a big dossier (9,800 of
    // 10,000) took 30-40 ms more that way than the search itself (bench/search.sh).
    noWorker: true,
    mergeIndex: merge,
  });
  // Pagefind names its box by `title` only; screen readers want a real accessible name.
  var box = el.querySelector(".pagefind-ui__search-input");
  if (box) box.setAttribute("aria-label", el.dataset.label);
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
