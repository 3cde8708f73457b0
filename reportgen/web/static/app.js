// reportgen web page: table sorting and filtering, drag and drop, build progress.
// Plain browser JavaScript without libraries; talks only to the server that served it.
(function () {
  "use strict";

  function cellText(row, index) { return row.children[index].textContent.trim(); }

  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a.localeCompare(b, "zh-CN");
  }

  function makeSortable(table) {
    var body = table.tBodies[0];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.title = "点击排序";
      th.addEventListener("click", function () {
        var down = th.dataset.order !== "up";
        th.dataset.order = down ? "up" : "down";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) { var c = compare(cellText(r, index), cellText(s, index)); return down ? c : -c; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function connectFilters() {
    var text = document.getElementById("issue-filter");
    var severity = document.getElementById("severity-filter");
    var table = document.getElementById("issues");
    if (!text || !severity || !table) { return; }
    function apply() {
      var wanted = text.value.trim(), level = severity.value;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var shown = (!level || cellText(row, 0) === level) && (!wanted || row.textContent.indexOf(wanted) >= 0);
        row.hidden = !shown;
      });
    }
    text.addEventListener("input", apply);
    severity.addEventListener("change", apply);
  }

  function connectDrops() {
    Array.prototype.forEach.call(document.querySelectorAll("form.drop"), function (form) {
      var input = form.querySelector("input[type=file]");
      form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("over"); });
      form.addEventListener("dragleave", function () { form.classList.remove("over"); });
      form.addEventListener("drop", function (e) {
        e.preventDefault();
        form.classList.remove("over");
        if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; form.submit(); }
      });
    });
  }

  function showBuild(status) {
    document.getElementById("build-state").textContent =
      status.state + (status.seconds !== undefined ? "（已用 " + Math.floor(status.seconds) + " 秒）" : "");
    document.getElementById("build-lines").textContent = (status.lines || []).join("\n");
  }

  function followBuild(url, button) {
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (status) {
      showBuild(status);
      if (!status.done) { setTimeout(function () { followBuild(url, button); }, 500); return; }
      button.disabled = false;
      if (status.state === "已完成") { window.location.reload(); }
    });
  }

  function connectBuild() {
    var button = document.getElementById("build-button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(button.dataset.url, { method: "POST" }).then(function (r) { return r.json(); }).then(function (status) {
        showBuild(status);
        followBuild(button.dataset.url, button);
      });
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  connectFilters();
  connectDrops();
  connectBuild();
})();
