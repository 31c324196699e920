// Field work without a connection: the service worker keeps the pages, this script keeps what
// is typed (drafts), keeps a submission made offline in the device's outbox and sends it, with
// its one-time key, when the connection returns. The server decides on arrival; a refused
// submission comes back to the outbox with its reasons, to be fixed and sent again.
(function () {
  "use strict";

  var body = document.body;
  var USER = body.dataset.deviceUser || "guest";
  var DRAFTS = "earmark.draft:";
  var USED_KEYS = "earmark.used-keys";
  var REPLACING = "earmark.replacing";
  var SKIPPED = { csrfmiddlewaretoken: true, submission_key: true };
  var dbPromise = null;

  function text(name) {
    return body.dataset["text" + name] || "";
  }

  function store(name, value) {
    try {
      if (value === null) {
        localStorage.removeItem(name);
      } else {
        localStorage.setItem(name, JSON.stringify(value));
      }
    } catch (error) {
      /* private mode or full storage: the form still submits as usual */
    }
  }

  function read(name, fallback) {
    try {
      var value = localStorage.getItem(name);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return "offline-" + crypto.randomUUID();
    }
    return "offline-" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function database() {
    if (!dbPromise) {
      if (!window.idb || !window.indexedDB) {
        return Promise.reject(new Error("no IndexedDB"));
      }
      dbPromise = window.idb.openDB("earmark", 1, {
        upgrade: function (db) {
          var outbox = db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
          outbox.createIndex("user", "user");
        },
      });
    }
    return dbPromise;
  }

  function mine() {
    return database().then(function (db) {
      return db.getAllFromIndex("outbox", "user", USER);
    });
  }

  function save(item) {
    return database().then(function (db) {
      return db.put("outbox", item);
    });
  }

  function remove(id) {
    return database().then(function (db) {
      return db.delete("outbox", id);
    });
  }

  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (!SKIPPED[name] && typeof value === "string") {
        fields.push([name, value]);
      }
    });
    return fields;
  }

  function labelOf(form, name) {
    var field = form.elements[name];
    if (field && field.id) {
      var label = form.querySelector('label[for="' + field.id + '"]');
      if (label) {
        return label.textContent.replace(/[:：]\s*$/, "").trim();
      }
    }
    return name;
  }

  function fill(form, fields) {
    var byName = {};
    fields.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIPPED[element.name] || !(element.name in byName)) {
        return;
      }
      var values = byName[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.type !== "submit" && element.type !== "button") {
        element.value = values[0];
      }
    });
  }

  // A page kept on the device carries the one-time key it had when it was kept: a key already
  // used is replaced, so that two submissions from the same kept page stay two.
  function freshKeys() {
    var used = read(USED_KEYS, []);
    document.querySelectorAll('input[name="submission_key"]').forEach(function (input) {
      if (used.indexOf(input.value) !== -1) {
        input.value = newKey();
      }
    });
  }

  function markUsed(key) {
    var used = read(USED_KEYS, []);
    if (used.indexOf(key) === -1) {
      used.push(key);
    }
    store(USED_KEYS, used.slice(-300));
  }

  // Drafts: what is typed into a field form is kept as it is typed, per page.
  function draftName(form) {
    return DRAFTS + USER + ":" + window.location.pathname + "#" + (form.id || "");
  }

  function keepDraft(form) {
    var key = form.querySelector('input[name="submission_key"]');
    store(draftName(form), { fields: fieldsOf(form), key: key ? key.value : "", at: Date.now() });
  }

  function restoreDraft(form) {
    var draft = read(draftName(form), null);
    if (!draft) {
      return;
    }
    var before = JSON.stringify(fieldsOf(form));
    fill(form, draft.fields);
    if (JSON.stringify(fieldsOf(form)) === before) {
      return;
    }
    var note = notice(form, text("DraftRestored"));
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "link";
    clear.textContent = text("DraftClear");
    clear.addEventListener("click", function () {
      store(draftName(form), null);
      window.location.reload();
    });
    note.appendChild(document.createTextNode(" "));
    note.appendChild(clear);
  }

  function forgetDraftsOf(key) {
    try {
      Object.keys(localStorage).forEach(function (name) {
        if (name.indexOf(DRAFTS) === 0 && read(name, {}).key === key) {
          localStorage.removeItem(name);
        }
      });
    } catch (error) {
      /* nothing kept */
    }
  }

  function notice(form, message) {
    var note = document.createElement("p");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = message;
    form.parentNode.insertBefore(note, form);
    return note;
  }

  function summaryOf(form, fields) {
    var summary = [];
    fields.forEach(function (pair) {
      var element = form.elements[pair[0]];
      var kind = element && (element.type || (element[0] && element[0].type));
      if (pair[1] && kind !== "hidden" && summary.length < 4) {
        var value = pair[1];
        if (element && element.tagName === "SELECT" && element.selectedOptions[0]) {
          value = element.selectedOptions[0].textContent;
        }
        value = value.replace(/\s+/g, " ").trim();
        summary.push([labelOf(form, pair[0]), value.length > 60 ? value.slice(0, 59) + "…" : value]);
      }
    });
    return summary;
  }

  // A submission made with no connection goes to the outbox instead of the network.
  function queue(form) {
    // The page may add to the submission first (the checkpoint: when, and that it was offline).
    form.dispatchEvent(new CustomEvent("earmark:before-queue"));
    var fields = fieldsOf(form);
    (form.dataset.offlineSubmit || "").split("&").forEach(function (pair) {
      if (pair) {
        var parts = pair.split("=");
        fields = fields.filter(function (field) { return field[0] !== parts[0]; });
        fields.push([parts[0], parts[1] || ""]);
      }
    });
    var heading = document.querySelector("main h1");
    var item = {
      user: USER,
      // (``form.action`` would be the button named "action" in forms that have one.)
      url: new URL(form.getAttribute("action") || "", window.location.href).href,
      page: window.location.pathname + window.location.search,
      title: heading ? heading.textContent.trim() : document.title,
      summary: summaryOf(form, fields),
      fields: fields,
      key: newKey(),
      state: "pending",
      reasons: [],
      created: Date.now(),
    };
    var replacing = Number(form.dataset.outboxReplace || 0);
    if (replacing) {
      item.id = replacing;
    }
    var queued = JSON.stringify(fieldsOf(form));
    return save(item).then(function () {
      store(draftName(form), null);
      // Someone quick may have begun the next entry while this one was saved: it stays.
      if (JSON.stringify(fieldsOf(form)) === queued) {
        // Fields marked to be kept (the checkpoint's place) stay filled for the next one.
        var keep = [];
        form.querySelectorAll("[data-keep]").forEach(function (field) {
          keep.push([field, field.value]);
        });
        form.reset();
        keep.forEach(function (pair) { pair[0].value = pair[1]; });
      }
      freshKeys();
      notice(form, text("Queued"));
      refreshCount();
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.hasAttribute("data-offline")) {
      return;
    }
    var key = form.querySelector('input[name="submission_key"]');
    if (navigator.onLine) {
      if (key) {
        markUsed(key.value);
        keepDraft(form);
        // A fixed outbox item may take a preview and a confirmation: the last key sent from
        // its page is the one whose saving retires it.
        var replacing = read(REPLACING, null);
        if (replacing && replacing.path === window.location.pathname) {
          replacing.key = key.value;
          store(REPLACING, replacing);
        }
      }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    queue(form).catch(function (error) {
      if (window.console) {
        console.error("earmark outbox:", error);
      }
      notice(form, text("NoStorage"));
    });
  }

  function reasonsIn(page) {
    var seen = [];
    page.querySelectorAll("main .form-error, main .field-error, main [role=alert], main .problems li")
      .forEach(function (element) {
        var line = element.textContent.replace(/\s+/g, " ").trim();
        if (line && seen.indexOf(line) === -1) {
          seen.push(line);
        }
      });
    return seen;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Send one item. Answers: saved (a redirect to a page saying so), a sign-in is needed, or
  // refused (the form again, with its reasons).
  function send(item) {
    var data = new URLSearchParams();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.append("submission_key", item.key);
    return fetch(item.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var landed = new URL(response.url);
        item.sentAt = Date.now();
        if (landed.pathname.indexOf("/login") === 0 || page.querySelector('input[name="pin"]')) {
          item.state = "sign-in";
          item.reasons = [text("SignIn")];
        } else if (response.redirected && page.querySelector(".messages li.success, .messages li.info")) {
          item.state = "sent";
          item.reasons = [];
          item.result = landed.pathname + landed.search;
          item.answer = page.querySelector(".messages li").textContent.trim();
        } else {
          item.state = "refused";
          item.reasons = reasonsIn(page);
          if (!item.reasons.length) {
            item.reasons = [(page.querySelector("main h1") || page.querySelector("title") || {}).textContent || String(response.status)];
          }
        }
        return save(item);
      });
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) {
      return Promise.resolve();
    }
    flushing = true;
    var work = mine().then(function (items) {
      var waiting = items.filter(function (item) {
        return item.state === "pending" || item.state === "sending" || item.state === "sign-in";
      });
      // One after another, in the order they were made; a dropped connection stops the round.
      return waiting.reduce(function (chain, item) {
        return chain.then(function (go) {
          if (!go) {
            return false;
          }
          item.state = "sending";
          return save(item).then(function () {
            return send(item).then(function () { return true; }, function () {
              item.state = "pending";
              return save(item).then(function () { return false; });
            });
          });
        });
      }, Promise.resolve(true));
    });
    var locked = navigator.locks
      ? navigator.locks.request("earmark-outbox", function () { return work; })
      : work;
    return locked.catch(function () {}).then(function () {
      flushing = false;
      refreshCount();
      render();
    });
  }

  // The count on every page and the connection's state.
  function refreshCount() {
    var status = document.getElementById("net-status");
    if (!status) {
      return;
    }
    status.querySelector(".offline").hidden = navigator.onLine;
    mine().then(function (items) {
      var waiting = items.filter(function (item) { return item.state !== "sent"; }).length;
      var link = status.querySelector(".outbox-count");
      link.hidden = waiting === 0;
      link.querySelector("span").textContent = String(waiting);
      status.hidden = navigator.onLine && waiting === 0;
    }).catch(function () {
      status.hidden = navigator.onLine;
    });
  }

  // The outbox page.
  function render() {
    var list = document.getElementById("outbox-list");
    if (!list) {
      return;
    }
    var template = document.getElementById("outbox-item");
    mine().then(function (items) {
      items.sort(function (a, b) { return b.created - a.created; });
      list.textContent = "";
      document.getElementById("outbox-empty").hidden = items.length > 0;
      items.forEach(function (item) {
        var node = template.content.cloneNode(true);
        var row = node.querySelector("li");
        row.dataset.state = item.state;
        node.querySelector(".title").textContent = item.title;
        node.querySelector(".state").textContent = text("State" + item.state.replace("-", ""));
        node.querySelector("time").textContent = new Date(item.created).toLocaleString();
        var facts = node.querySelector(".facts");
        item.summary.forEach(function (pair) {
          var dt = document.createElement("dt");
          dt.textContent = pair[0];
          var dd = document.createElement("dd");
          dd.textContent = pair[1];
          facts.appendChild(dt);
          facts.appendChild(dd);
        });
        var reasons = node.querySelector(".problems");
        (item.state === "sent" ? [item.answer || ""] : item.reasons).forEach(function (reason) {
          if (reason) {
            var line = document.createElement("li");
            line.textContent = reason;
            reasons.appendChild(line);
          }
        });
        if (item.state === "sent") {
          reasons.className = "answer";
        }
        var open = node.querySelector("a.open");
        if (item.state === "sent" && item.result) {
          open.href = item.result;
          open.textContent = text("Open");
        } else if (item.state === "refused") {
          open.href = item.page + "#outbox=" + item.id;
          open.textContent = text("Fix");
        } else {
          open.remove();
        }
        node.querySelector("button.drop").addEventListener("click", function () {
          if (item.state === "sent" || window.confirm(text("DropConfirm"))) {
            remove(item.id).then(function () { refreshCount(); render(); });
          }
        });
        list.appendChild(node);
      });
    }).catch(function () {
      document.getElementById("outbox-empty").textContent = text("NoStorage");
    });
  }

  // A refused item opened to be fixed: its fields back in the form.
  function reopen() {
    var match = window.location.hash.match(/^#outbox=(\d+)$/);
    if (!match) {
      return false;
    }
    var id = Number(match[1]);
    var form = document.querySelector("form[data-offline]");
    if (!form) {
      return false;
    }
    database().then(function (db) {
      return db.get("outbox", id);
    }).then(function (item) {
      if (!item || item.user !== USER) {
        return;
      }
      fill(form, item.fields);
      form.dataset.outboxReplace = String(id);
      store(REPLACING, { id: id, path: window.location.pathname, key: "" });
      // The fragment goes, so that the page the form posts to does not fill it in again.
      history.replaceState(null, "", window.location.pathname + window.location.search);
      notice(form, text("Fixing"));
      if (item.reasons.length) {
        var list = document.createElement("ul");
        list.className = "problems";
        item.reasons.forEach(function (reason) {
          var line = document.createElement("li");
          line.textContent = reason;
          list.appendChild(line);
        });
        form.parentNode.insertBefore(list, form);
      }
    });
    return true;
  }

  // After a saved form: its draft is done, and a fixed outbox item it replaced too.
  // (app.js has read the key from the fragment "#saved=…" and taken the fragment away.)
  if (body.dataset.savedKey) {
    var done = body.dataset.savedKey;
    forgetDraftsOf(done);
    var replacing = read(REPLACING, null);
    if (replacing && replacing.key === done) {
      remove(replacing.id).catch(function () {});
      store(REPLACING, null);
    }
  }

  freshKeys();
  document.querySelectorAll("form[data-offline]").forEach(function (form) {
    var timer = null;
    if (!reopen()) {
      restoreDraft(form);
    }
    var keep = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { keepDraft(form); }, 300);
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    var note = form.querySelector(".offline-note");
    var shown = function () {
      if (note) {
        note.hidden = navigator.onLine;
      }
    };
    shown();
    window.addEventListener("online", shown);
    window.addEventListener("offline", shown);
  });
  // Before the page's other submit handler: an offline submission never reaches the network.
  document.addEventListener("submit", onSubmit, true);

  // Signing out forgets the pages and drafts kept on this device (the outbox stays, for this
  // user's next sign-in).
  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
      }
      store("earmark.pages-kept:" + USER, null);
      try {
        Object.keys(localStorage).forEach(function (name) {
          if (name.indexOf(DRAFTS + USER + ":") === 0) {
            localStorage.removeItem(name);
          }
        });
      } catch (error) {
        /* nothing kept */
      }
    });
  });

  var sendNow = document.getElementById("outbox-send");
  if (sendNow) {
    sendNow.addEventListener("click", function () { flush(); });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.serviceWorker || "/sw.js", { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var pages = (body.dataset.keepPages || "").split(" ").filter(Boolean);
        // At most once an hour per user and device: the pages change little, the server is
        // spared a round of requests on every visit home.
        var warmed = read("earmark.pages-kept:" + USER, 0);
        if (pages.length && registration.active && navigator.onLine && Date.now() - warmed > 3600000) {
          registration.active.postMessage({ type: "keep-pages", urls: pages });
          store("earmark.pages-kept:" + USER, Date.now());
        }
      })
      .catch(function () { /* the app still works online */ });
  }
  window.addEventListener("online", function () { refreshCount(); flush(); });
  window.addEventListener("offline", refreshCount);
  refreshCount();
  render();
  flush();
})();
