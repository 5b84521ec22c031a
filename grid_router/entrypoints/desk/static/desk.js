// The dispatch desk's progressive enhancement: countdowns to deadlines, live updates from the
// server (server-sent events fed by what the router commits), one-click sign-in links and
// no double submission. Every page works without it.
(function () {
  "use strict";

  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    if (d > 0) return d + "天" + h + "时";
    if (h > 0) return h + "时" + (m % 60) + "分";
    return (m % 60) + "分" + Math.floor((Math.abs(ms) % 60000) / 1000) + "秒";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var left = Date.parse(el.dataset.due) - now, stage = el.dataset.stage || "";
      el.textContent = left >= 0 ? "剩余 " + span(left) : "超时 " + span(left);
      el.title = (stage ? stage + "时限 " : "时限 ") + new Date(el.dataset.due).toLocaleString("zh-CN");
      el.classList.toggle("late", left < 0);
      el.classList.toggle("warn", left >= 0 && left < 15 * 60000);
    });
  }

  function banner(text) {
    var b = document.getElementById("live-banner");
    if (!b) return;
    b.textContent = text;
    b.hidden = false;
    clearTimeout(banner.timer);
    banner.timer = setTimeout(function () { b.hidden = true; }, 8000);
  }

  var pending = null;
  function refreshQueue(eventId) {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      var url = new URL(location.href);
      url.searchParams.set("fragment", "1");
      fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (r.status === 401 || r.redirected) { location.reload(); return null; }
        return r.text();
      }).then(function (html) {
        if (html === null) return;
        var body = document.getElementById("queue-body");
        body.innerHTML = html;
        var row = eventId && body.querySelector('tr[data-event="' + CSS.escape(eventId) + '"]');
        if (row) row.classList.add("fresh");
        tick();
      });
    }, 100);
  }

  function live() {
    var body = document.body;
    if (!body.dataset.live || !window.EventSource) return;
    var source = new EventSource("/desk/live");
    // What changed before the stream (re)connected is not in it: catch up once on each open.
    source.addEventListener("open", function () {
      if (body.dataset.page === "queue") refreshQueue(null);
      if (body.dataset.page === "incident") {
        fetch(location.pathname + "/version", { credentials: "same-origin" }).then(function (r) {
          return r.ok ? r.text() : null;
        }).then(function (v) {
          if (v !== null && Number(v) > Number(body.dataset.version)) location.replace(location.pathname);
        });
      }
    });
    source.addEventListener("notice", function (e) {
      var n = JSON.parse(e.data);
      window.deskLastNotice = n;
      if (n.kind === "reminder") banner(n.detail);
      if (body.dataset.page === "queue") {
        if (n.kind === "order" && n.detail === "ACTION") banner("新工单已到达，列表已更新。");
        if (n.kind === "order" && n.detail === "WITHDRAWN") banner("有工单已移出本单位。");
        refreshQueue(n.event_id);
      } else if (body.dataset.page === "incident" && n.event_id === body.dataset.event
                 && n.kind !== "reminder" && n.version > Number(body.dataset.version)) {
        location.replace(location.pathname);
      } else if (body.dataset.page === "incident" && n.event_id === body.dataset.event
                 && n.kind === "reminder") {
        banner(n.detail);
      }
    });
  }

  function oneClickSignIn() {
    var form = document.getElementById("signin");
    var m = location.hash.match(/^#token=([A-Za-z0-9_-]+)$/);
    if (!form || !m) return;
    history.replaceState(null, "", location.pathname);
    form.querySelector("#token").value = m[1];
    form.submit();
  }

  function noDoubleSubmit() {
    document.querySelectorAll("form[method=post]").forEach(function (f) {
      f.addEventListener("submit", function (ev) {
        if (f.dataset.sent) { ev.preventDefault(); return; }
        f.dataset.sent = "1";
        f.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      });
    });
  }

  function focusErrors() {
    var e = document.querySelector(".error-summary");
    if (e) e.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    oneClickSignIn();
    focusErrors();
    noDoubleSubmit();
    tick();
    setInterval(tick, 1000);
    live();
  });
})();
