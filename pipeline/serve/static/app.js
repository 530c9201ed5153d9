// plandiff serve: the pages' few behaviours, no network beyond this server.
// Text from files and the server is always set with textContent, never as HTML.
(function () {
  "use strict";
  var STAGE = { queued: "待機中", reading: "読み取り中", aligning: "照合中", writing: "書き出し中", done: "完了" };
  var KIND = { plan: "計画", comparison: "対照表", slides: "スライド" };
  var FILE_STATUS = { ok: "完了", skipped: "既読", failed: "失敗" };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function say(el, text) { el.textContent = text || ""; el.hidden = !text; }

  function post(url, body, headers) {
    return fetch(url, { method: "POST", body: body, headers: headers || {}, credentials: "same-origin" }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.message || data.error || "HTTP " + res.status);
        return data;
      });
    });
  }

  function poll(id, onUpdate) {
    return new Promise(function (resolve) {
      function tick() {
        fetch("/api/jobs/" + id).then(function (r) { return r.json(); }).then(function (job) {
          onUpdate(job);
          if (job.state === "done" || job.state === "failed") resolve(job); else setTimeout(tick, 200);
        }, function () { setTimeout(tick, 1000); });
      }
      tick();
    });
  }

  function progress(root, job) {
    $("progress", root).value = job.progress || 0;
    var stage = job.state === "failed" ? "失敗" : (STAGE[job.stage] || STAGE[job.state] || "");
    if (job.stage === "reading" && job.pages) stage += " " + job.pages_read + "/" + job.pages + " ページ";
    $(".stage", root).textContent = stage;
  }

  function tooBig(form, files) {
    var max = Number(form.dataset.maxBytes), total = 0;
    files.forEach(function (f) { total += f.size; });
    return total > max ? "アップロードがサーバーの上限（" + Math.round(max / 1048576) + " MB）を超えています。ファイルを分けてください" : "";
  }

  function chosen(input) { return input && input.files && input.files.length ? input.files[0] : null; }

  // -- 比較 ---------------------------------------------------------------
  var form = $("#compare-form");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var err = $("#form-error"), data = new FormData(), files = [];
      ["old", "new", "sidebyside"].forEach(function (name) {
        var f = chosen(form.elements[name]);
        if (f) { data.append(name, f, f.name); files.push(f); }
      });
      ["new_side", "old_left", "title"].forEach(function (name) { data.append(name, form.elements[name].value); });
      var changesOnly = form.elements.changes_only.checked;
      if (changesOnly) data.append("changes_only", "1");
      var big = tooBig(form, files);
      if (big) { say(err, big); return; }
      say(err, "");
      var names = files.map(function (f) { return f.name; }).join(" → ");
      post("/api/compare", data).then(function (res) {
        var card = $("#job-template").content.firstElementChild.cloneNode(true);
        card.dataset.job = res.id;
        $(".job-title", card).textContent = names;
        $("#jobs").prepend(card);
        return poll(res.id, function (job) { progress(card, job); }).then(function (job) {
          if (job.state === "failed") { say($(".error", card), job.message || job.error); return; }
          var cid = job.comparison, result = $(".result", card);
          card.dataset.comparison = cid;
          $(".open", card).href = "/comparisons/" + cid;
          card.querySelectorAll("a.download").forEach(function (a) { a.href = "/api/comparisons/" + cid + "/report." + a.dataset.format; });
          $("iframe", card).src = "/comparisons/" + cid + "/report" + (changesOnly ? "#changes-only" : "");
          result.hidden = false;
          refreshRecent();
        });
      }).catch(function (e) { say(err, e.message); });
    });
  }

  // the list of recent comparisons, redrawn from the API when a job has finished
  function refreshRecent() {
    var tbody = $("#recent tbody");
    if (!tbody) return;
    fetch("/api/comparisons").then(function (r) { return r.json(); }).then(function (data) {
      tbody.textContent = "";
      data.comparisons.slice(0, 20).forEach(function (c) {
        var tr = document.createElement("tr"), td = document.createElement("td"), a = document.createElement("a");
        a.href = "/comparisons/" + c.id;
        a.textContent = c.title;
        td.appendChild(a);
        tr.appendChild(td);
        ["unchanged", "changed", "added", "deleted", "moved"].forEach(function (st) {
          var n = document.createElement("td");
          n.className = "num";
          n.textContent = String(c.summary[st]);
          tr.appendChild(n);
        });
        var when = document.createElement("td");
        when.textContent = new Date(c.created * 1000).toLocaleString("ja-JP");
        tr.appendChild(when);
        tbody.appendChild(tr);
      });
    });
  }

  // a file dropped anywhere on a drop zone goes to its file input
  document.querySelectorAll("label.drop").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    zone.addEventListener("dragover", function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      zone.classList.remove("over");
      if (ev.dataTransfer.files.length) input.files = ev.dataTransfer.files;
    });
  });

  // -- アーカイブ -------------------------------------------------------------
  function fileRows(tbody, files) {
    tbody.textContent = "";
    files.forEach(function (f) {
      var tr = document.createElement("tr");
      [f.file, FILE_STATUS[f.status] || f.status, f.organisation, f.year, KIND[f.kind] || f.kind, f.pages || "", f.error].forEach(function (v) {
        var td = document.createElement("td"); td.textContent = v == null ? "" : String(v); tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  function runBatch(request, label) {
    var err = $("#batch-error"), live = $("#batch-live");
    say(err, "");
    request.then(function (res) {
      live.hidden = false;
      $(".source", live).textContent = label;
      return poll(res.id, function (job) { progress(live, job); fileRows($("tbody", live), job.files || []); }).then(function (job) {
        if (job.state === "failed") say(err, job.message || job.error); else location.assign("/archive");
      });
    }).catch(function (e) { say(err, e.message); });
  }

  var pathForm = $("#batch-path-form");
  if (pathForm) {
    pathForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var path = pathForm.elements.path.value;
      runBatch(post("/api/batch", JSON.stringify({ path: path }), { "Content-Type": "application/json" }), path);
    });
  }
  var zipForm = $("#batch-zip-form");
  if (zipForm) {
    zipForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = chosen(zipForm.elements.zip);
      if (!f) return;
      var big = tooBig(zipForm, [f]);
      if (big) { say($("#batch-error"), big); return; }
      var data = new FormData();
      data.append("zip", f, f.name);
      runBatch(post("/api/batch", data), f.name);
    });
  }

  // a batch still running when the page was loaded: reload once it has finished
  document.querySelectorAll('section.batch[data-state="running"], section.batch[data-state="queued"]').forEach(function (sec) {
    poll(sec.dataset.job, function () {}).then(function () { location.reload(); });
  });

  document.querySelectorAll(".when[data-time]").forEach(function (el) {
    el.textContent = new Date(Number(el.dataset.time) * 1000).toLocaleString("ja-JP");
  });
})();
