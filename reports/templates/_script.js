// Two view switches, no network: "changes only" collapses unchanged runs to （略）,
// "hide notation" treats notation-only changes as unchanged.  The state is kept in
// the URL hash so a link or a print keeps the view.
(function () {
  var body = document.body;
  function bind(id, cls) {
    var box = document.getElementById(id);
    if (!box) return;
    box.checked = location.hash.indexOf(cls) >= 0;
    body.classList.toggle(cls, box.checked);
    box.addEventListener("change", function () { body.classList.toggle(cls, box.checked); });
  }
  bind("changes-only", "changes-only");
  bind("hide-notation", "hide-notation");
})();
