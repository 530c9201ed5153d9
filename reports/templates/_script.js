// Two view switches, no network: "changes only" collapses unchanged runs to （略）,
// "hide notation" treats notation-only changes as unchanged.  Their state is kept in
// the URL hash next to the row anchor (#r12&changes-only), so a link, a reload or a
// print keeps the view; the title bar stays on screen above the row a link opens.
(function () {
  var body = document.body;
  var ids = ["changes-only", "hide-notation"];
  function parts() { return location.hash.slice(1).split("&").filter(function (p) { return p; }); }
  function anchor() { return parts().filter(function (p) { return ids.indexOf(p) < 0; })[0] || ""; }
  function write(target) {
    var on = ids.filter(function (id) { return body.classList.contains(id); });
    var hash = (target ? [target] : []).concat(on).join("&");
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function show(target) {
    var old = document.querySelector("tr.target");
    if (old) old.classList.remove("target");
    var row = target && document.getElementById(target);
    if (row) { row.classList.add("target"); row.scrollIntoView(); }
  }
  ids.forEach(function (id) {
    var box = document.getElementById(id);
    if (!box) return;
    box.checked = parts().indexOf(id) >= 0;
    body.classList.toggle(id, box.checked);
    box.addEventListener("change", function () { body.classList.toggle(id, box.checked); write(anchor()); });
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#r"]');
    if (!a) return;
    e.preventDefault();
    write(a.getAttribute("href").slice(1));
    show(anchor());
  });
  show(anchor());
})();
