/* Aduan, the installable app (see docs/pwa.md). Every page works without this script; it adds:
 * - the service worker (offline pages, the cached app shell);
 * - the offline queue: a report sent from form#report-form without a connection is kept on the
 *   phone (IndexedDB, attachments included) and sent when the connection returns;
 * - "my reports on this device": the tracking codes sent from here (localStorage: code, title,
 *   date; never an identity, never the private link).
 * Texts come from the server in the page's language (/teks-aplikasi.json, English msgids). */
(function () {
  "use strict";

  var WORKER_URL = "/sw.js";
  var STRINGS_URL = "/teks-aplikasi.json";
  var DB_NAME = "aduan";
  var STORE = "queue";
  var MY_REPORTS = "aduan.myReports";
  var MAX_REPORTS = 100;
  var script = document.currentScript;
  var staticBase = script ? script.src.replace(/js\/app\.js.*$/, "") : "/static/";
  var lang = document.documentElement.lang || "id";
  var texts = null;
  var flushing = false;

  // --- texts ----------------------------------------------------------------------------------
  // Fetched once per page (the worker caches them); the last copy is also kept in
  // localStorage for a phone that goes offline before the worker has installed.
  function loadTexts() {
    if (!texts) {
      var key = "aduan.texts." + lang;
      texts = fetch(STRINGS_URL + "?lang=" + encodeURIComponent(lang), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (data) {
          try { localStorage.setItem(key, JSON.stringify(data.strings || {})); } catch (e) { /* full */ }
          return data.strings || {};
        })
        .catch(function () {
          try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
        });
    }
    return texts;
  }

  function t(strings, key, values) {
    var text = strings[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }

  // --- small DOM helpers (textContent only: nothing here is parsed as HTML) --------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function ensureStyles() {
    if (document.querySelector('link[href$="css/pwa.css"]')) return;
    document.head.appendChild(el("link", { rel: "stylesheet", href: staticBase + "css/pwa.css" }));
  }

  // One live region per page, at the top of <main>, so screen readers announce the news.
  function statusBox() {
    var box = document.getElementById("app-status");
    if (!box) {
      ensureStyles();
      box = el("div", { id: "app-status", class: "app-status", role: "status", tabindex: "-1" });
      var main = document.querySelector("main") || document.body;
      var form = document.getElementById("report-form");
      if (form && main.contains(form)) form.parentNode.insertBefore(box, form);
      else main.insertBefore(box, main.firstChild);
    }
    return box;
  }

  function showStatus(children, warning) {
    var box = statusBox();
    box.classList.toggle("is-warning", !!warning);
    box.replaceChildren.apply(box, children);
    box.hidden = false;
    return box;
  }

  function isStandalone() {
    return (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) ||
      window.navigator.standalone === true;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- my reports on this device ---------------------------------------------------------------
  function myReports() {
    try {
      var list = JSON.parse(localStorage.getItem(MY_REPORTS) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) { return []; }
  }

  function remember(code, title) {
    if (!code) return;
    try {
      var list = myReports().filter(function (r) { return r.code !== code; });
      list.unshift({ code: code, title: (title || "").slice(0, 200), date: new Date().toISOString() });
      localStorage.setItem(MY_REPORTS, JSON.stringify(list.slice(0, MAX_REPORTS)));
    } catch (e) { /* storage full or disabled: the receipt still shows the code */ }
  }

  function forget(code) {
    try {
      localStorage.setItem(MY_REPORTS, JSON.stringify(myReports().filter(function (r) { return r.code !== code; })));
    } catch (e) { /* nothing to do */ }
  }

  // --- the queue (IndexedDB) -------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = action(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function queued() { return withStore("readonly", function (s) { return s.getAll(); }).then(function (l) { return l || []; }); }
  function putItem(item) { return withStore("readwrite", function (s) { s.put(item); }); }
  function dropItem(id) { return withStore("readwrite", function (s) { s["delete"](id); }); }
  function getItem(id) { return withStore("readonly", function (s) { return s.get(id); }); }

  // The form's fields as storable records; files as Blobs. The CSRF field is left out (the
  // cookie's token is sent when the report goes out, possibly days later).
  function toEntries(data) {
    var entries = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (typeof value === "string") entries.push({ name: name, value: value });
      else if (value && value.size > 0) {
        entries.push({ name: name, blob: value.slice(0, value.size, value.type), filename: value.name, type: value.type });
      }
    });
    return entries;
  }

  function toFormData(entries) {
    var data = new FormData();
    entries.forEach(function (e) {
      if (e.blob) data.append(e.name, new File([e.blob], e.filename || "file", { type: e.type || e.blob.type }));
      else data.append(e.name, e.value);
    });
    return data;
  }

  function prepare(form, submitter) {
    var data;
    try { data = submitter ? new FormData(form, submitter) : new FormData(form); } catch (e) { data = new FormData(form); }
    if (!data.get("submission_id")) data.set("submission_id", newId());
    if (isStandalone() && !data.get("via")) data.set("via", "app");
    return data;
  }

  function post(action, data) {
    return fetch(action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
        "Idempotency-Key": String(data.get("submission_id") || ""),
      },
    });
  }

  // --- the report form -------------------------------------------------------------------------
  // Each report gets its own idempotency key (S16). The page may come from the app's cache,
  // so the key the server put in it may already have been used: make one here.
  function freshSubmissionId(form) {
    var input = form.querySelector('input[name="submission_id"]');
    if (!input) return;
    input.value = newId();
    input.defaultValue = input.value;
  }

  function enhanceForm(form) {
    freshSubmissionId(form);
    loadTexts(); // now, while online: the messages are needed if the connection drops
    if (isStandalone() && !form.querySelector('[name="via"]')) {
      form.appendChild(el("input", { type: "hidden", name: "via", value: "app" }));
    }
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // Other buttons (e.g. "add attachment" without JavaScript) keep their own behaviour.
      if (event.defaultPrevented || (submitter && submitter.name && submitter.name !== "submit")) return;
      event.preventDefault();
      var data = prepare(form, submitter);
      var title = String(data.get("title") || "");
      if (navigator.onLine === false) {
        // Offline the server cannot check the form yet: the browser checks what it can.
        if (form.checkValidity && !form.checkValidity()) { form.reportValidity(); return; }
        keep(form, data, title);
        return;
      }
      loadTexts().then(function (s) { showStatus([el("p", {}, [t(s, "sending")])]); });
      setBusy(form, true);
      post(form.action, data).then(function (response) {
        if (response.status === 200 || response.status === 201) {
          return response.json().then(function (body) {
            remember(body.tracking_code, title);
            window.location.assign(body.receipt_url || body.private_url || form.action);
          });
        }
        // Errors, a challenge, anything else: the server's own page shows them next to the
        // fields, with what was typed (the ordinary form post).
        setBusy(form, false);
        HTMLFormElement.prototype.submit.call(form);
      }, function () {
        setBusy(form, false);
        keep(form, data, title); // no connection after all
      });
    });
    restoreFromHash(form);
    window.addEventListener("hashchange", function () { restoreFromHash(form); });
  }

  function setBusy(form, busy) {
    Array.prototype.forEach.call(form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]'), function (b) {
      b.disabled = busy;
    });
  }

  function keep(form, data, title) {
    var item = {
      id: String(data.get("submission_id")),
      action: form.action,
      title: title,
      created: new Date().toISOString(),
      state: "waiting",
      entries: toEntries(data),
    };
    Promise.all([loadTexts(), putItem(item).then(function () { return true; }, function () { return false; })])
      .then(function (r) {
        var s = r[0];
        if (!r[1]) { showStatus([el("p", {}, [t(s, "not_saved")])], true).focus(); return; }
        form.reset();
        freshSubmissionId(form);
        showStatus([el("p", {}, [t(s, "queued")])]).focus();
        if (navigator.onLine) flush();
      });
  }

  // A report the server refused ("#restore-<id>" on the form): put its fields back in the form.
  function restoreFromHash(form) {
    var match = /^#restore-(.+)$/.exec(window.location.hash);
    if (!match) return;
    Promise.all([loadTexts(), getItem(decodeURIComponent(match[1]))]).then(function (r) {
      var s = r[0];
      var item = r[1];
      if (!item) return;
      var files = {};
      item.entries.forEach(function (e) {
        var fields = form.querySelectorAll('[name="' + CSS.escape(e.name) + '"]');
        if (e.blob) {
          (files[e.name] = files[e.name] || []).push(new File([e.blob], e.filename || "file", { type: e.type }));
          return;
        }
        Array.prototype.forEach.call(fields, function (f) {
          if (f.type === "checkbox" || f.type === "radio") { if (f.value === e.value) f.checked = true; }
          else if (f.type !== "file") f.value = e.value;
        });
      });
      Object.keys(files).forEach(function (name) {
        var input = form.querySelector('input[type="file"][name="' + CSS.escape(name) + '"]');
        if (!input || !window.DataTransfer) return;
        var transfer = new DataTransfer();
        files[name].forEach(function (f) { transfer.items.add(f); });
        input.files = transfer.files;
      });
      return dropItem(item.id).then(function () { showStatus([el("p", {}, [t(s, "restored")])], true).focus(); });
    }).catch(function () { /* the queue is unavailable: the form stays empty */ });
  }

  // --- sending the queue -----------------------------------------------------------------------
  function refreshCsrf(action) {
    return fetch(action, { credentials: "same-origin" }).catch(function () { return null; });
  }

  function sendItem(item, retried) {
    return post(item.action, toFormData(item.entries)).then(function (response) {
      if (response.status === 403 && !retried) {
        return refreshCsrf(item.action).then(function () { return sendItem(item, true); });
      }
      return response;
    });
  }

  function flush() {
    if (flushing || navigator.onLine === false || !window.indexedDB) return Promise.resolve();
    flushing = true;
    return queued().then(function (all) {
      var items = all.filter(function (i) { return i.state === "waiting"; });
      return items.length ? loadTexts().then(function (s) { return send(items, s); }) : null;
    }).catch(function () { /* the queue is unavailable */ }).then(function () {
      flushing = false;
      return showWaiting();
    });
  }

  function send(items, s) {
    return items.reduce(function (chain, item) {
        return chain.then(function (goOn) {
          if (!goOn) return false;
          return sendItem(item, false).then(function (response) {
            if (response.status === 200 || response.status === 201) {
              return response.json().then(function (body) {
                remember(body.tracking_code, item.title);
                return dropItem(item.id).then(function () { announceSent(s, body); return true; });
              });
            }
            if (response.status === 400) {
              return response.json().catch(function () { return {}; }).then(function (body) {
                item.state = "failed";
                item.errors = flattenErrors(body.errors);
                return putItem(item).then(function () { announceFailed(s, item); return true; });
              });
            }
            return false; // 403, 429, 5xx: try again at the next page load or reconnection
          }, function () { return false; });
        });
      }, Promise.resolve(true));
  }

  function flattenErrors(errors) {
    var out = [];
    Object.keys(errors || {}).forEach(function (field) {
      [].concat(errors[field]).forEach(function (e) { out.push(typeof e === "string" ? e : (e && e.message) || ""); });
    });
    return out.filter(Boolean).slice(0, 10);
  }

  function announceSent(s, body) {
    var parts = [el("p", {}, [t(s, "sent")]), el("p", { class: "code", "data-tracking-code": "" }, [body.tracking_code])];
    if (body.private_url) {
      parts.push(el("p", {}, [el("a", { href: body.private_url, rel: "noreferrer" }, [t(s, "private_link")])]));
      parts.push(el("p", {}, [t(s, "private_note")]));
    }
    showStatus(parts).focus();
  }

  function announceFailed(s, item) {
    var link = el("a", { href: item.action + "#restore-" + encodeURIComponent(item.id) }, [t(s, "restore")]);
    showStatus([
      el("p", {}, [t(s, "failed") + " " + (item.title || t(s, "untitled"))]),
      el("ul", {}, (item.errors || []).map(function (e) { return el("li", {}, [e]); })),
      el("p", {}, [link]),
    ], true);
  }

  // Reports still on the phone: say so on every page (texts are fetched only then).
  function showWaiting() {
    var pending = window.indexedDB ? queued().catch(function () { return []; }) : Promise.resolve([]);
    return pending.then(function (all) {
      if (!all.length) return null;
      return loadTexts().then(function (s) {
        var box = document.getElementById("app-status");
        if (box && !box.hidden && box.textContent) return;
        var waiting = all.filter(function (i) { return i.state === "waiting"; }).length;
        var failed = all.filter(function (i) { return i.state === "failed"; });
        if (failed.length) announceFailed(s, failed[0]);
        else if (waiting) showStatus([el("p", {}, [t(s, "waiting", { count: waiting })])]);
      });
    }).then(renderList, renderList);
  }

  // --- "my reports on this device" page --------------------------------------------------------
  function formatDate(iso) {
    try { return new Date(iso).toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" }); } catch (e) { return iso; }
  }

  function renderList() {
    var section = document.querySelector("[data-my-reports]");
    if (!section) return Promise.resolve();
    var list = section.querySelector(".report-list");
    var trackUrl = section.getAttribute("data-track-url") || "";
    var pending = window.indexedDB ? queued().catch(function () { return []; }) : Promise.resolve([]);
    return Promise.all([loadTexts(), pending]).then(function (r) {
      var s = r[0];
      var items = [];
      r[1].forEach(function (q) {
        items.push(el("li", {}, [
          el("p", { class: "code" }, [t(s, "waiting_label")]),
          el("p", {}, [q.title || t(s, "untitled")]),
          el("p", { class: "meta" }, [t(s, "saved_on", { date: formatDate(q.created) })]),
        ]));
      });
      myReports().forEach(function (rep) {
        var button = el("button", { type: "button" }, [t(s, "remove")]);
        button.addEventListener("click", function () { forget(rep.code); renderList(); });
        items.push(el("li", {}, [
          el("a", { class: "code", href: trackUrl.replace("CODE", encodeURIComponent(rep.code)) }, [rep.code]),
          el("p", {}, [rep.title || t(s, "untitled")]),
          el("p", { class: "meta" }, [t(s, "sent_on", { date: formatDate(rep.date) })]),
          button,
        ]));
      });
      if (!items.length) items.push(el("li", {}, [t(s, "empty")]));
      list.replaceChildren.apply(list, items);
      list.hidden = false;
      Array.prototype.forEach.call(section.querySelectorAll("[data-nojs]"), function (n) { n.hidden = true; });
    });
  }

  // --- start -----------------------------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(WORKER_URL, { scope: "/" }).catch(function () { /* the site works without it */ });
  }
  var form = document.getElementById("report-form");
  if (form) enhanceForm(form);
  window.addEventListener("online", flush);
  flush();
})();
