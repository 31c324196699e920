// The checkpoint with no connection: the keys it believes and the certificates revoked, used or
// restricted are kept on the phone (fetched each time the page opens online); a scanned QR
// payload is checked here — its Ed25519 signature, its validity, the revocations, what the
// officer recorded against what it signs — with the server's precedence (伪造 > 已吊销 >
// 已使用 > 已过期 > 限制中 > 不符 > 有效), and the check itself waits in the outbox to be
// recorded on the server.
(function () {
  "use strict";

  var form = document.getElementById("checkpoint-form");
  if (!form) {
    return;
  }
  var SNAPSHOT = "earmark.checkpoint-snapshot";
  var verdict = document.getElementById("offline-verdict");
  var age = document.getElementById("snapshot-age");

  function kept() {
    try {
      return JSON.parse(localStorage.getItem(SNAPSHOT) || "null");
    } catch (error) {
      return null;
    }
  }

  function showAge() {
    var snapshot = kept();
    age.hidden = false;
    if (!snapshot) {
      age.textContent = age.dataset.missing;
      return;
    }
    var at = new Date(snapshot.as_of);
    var hours = Math.max(0, Math.floor((Date.now() - at.getTime()) / 3600000));
    age.textContent = age.dataset.label
      .replace("%(time)s", at.toLocaleString())
      .replace("%(hours)s", String(hours));
  }

  function refresh() {
    if (!navigator.onLine) {
      showAge();
      return;
    }
    fetch(form.dataset.snapshot, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (snapshot) {
        localStorage.setItem(SNAPSHOT, JSON.stringify(snapshot));
      })
      .catch(function () { /* the kept one stays */ })
      .then(showAge);
  }

  function bytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var raw = atob(base64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      out[i] = raw.charCodeAt(i);
    }
    return out;
  }

  // WebCrypto where the browser has Ed25519; noble-ed25519 (served by the app) elsewhere.
  function signatureHolds(key, signature, body) {
    var subtle = window.crypto && crypto.subtle;
    var library = function () {
      return import(form.dataset.ed25519).then(function (ed) {
        return ed.verifyAsync(signature, body, key);
      });
    };
    if (!subtle) {
      return library();
    }
    return subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"])
      .then(function (imported) {
        return subtle.verify({ name: "Ed25519" }, imported, signature, body);
      }, library);
  }

  function payloadOf(code) {
    code = code.trim();
    if (/^https?:\/\//.test(code)) {
      try {
        return new URL(code).searchParams.get("p") || "";
      } catch (error) {
        return "";
      }
    }
    return code.indexOf(".") !== -1 ? code : "";
  }

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + String(now.getDate()).padStart(2, "0");
  }

  function show(result, fields, note, findings) {
    verdict.hidden = false;
    verdict.classList.toggle("error", result !== "valid");
    verdict.querySelector(".verdict").textContent = verdict.dataset[result] || result;
    verdict.querySelector(".note").textContent = note;
    var list = verdict.querySelector(".findings");
    list.textContent = "";
    (findings || []).forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    list.hidden = !(findings && findings.length);
    var values = fields || {};
    verdict.querySelectorAll("[data-field]").forEach(function (cell) {
      var name = cell.dataset.field;
      var value = name === "valid" && values.i ? values.i + " – " + values.u : values[name];
      cell.textContent = value === undefined || value === null ? "" : String(value);
    });
  }

  // Certificate numbers of one length compare as text; the snapshot keeps ranges of them.
  function used(snapshot, number) {
    return (snapshot.used || []).some(function (range) {
      return range[0].length === number.length && range[0] <= number && number <= range[1];
    });
  }

  function restrictionOf(snapshot, number) {
    return (snapshot.restricted || []).filter(function (entry) {
      return entry.number === number;
    })[0];
  }

  function words(name, values) {
    var text = verdict.dataset[name] || name;
    Object.keys(values).forEach(function (key) {
      text = text.replace("%(" + key + ")s", values[key]).replace("%(" + key + ")d", values[key]);
    });
    return text;
  }

  // Tag numbers typed: 15 digits, or a range whose end may be shortened to its last digits.
  function readTags(text) {
    var numbers = [];
    (text.match(/\d{15}(?:-\d{1,15})?/g) || []).forEach(function (token) {
      var parts = token.split("-");
      var first = parts[0];
      var last = parts[1] ? first.slice(0, 15 - parts[1].length) + parts[1] : first;
      numbers.push([first, last]);
    });
    return numbers;
  }

  function within(ranges, number) {
    return ranges.some(function (range) { return range[0] <= number && number <= range[1]; });
  }

  // What the officer recorded against what the certificate signs, in the server's words.
  function differences(fields) {
    var found = [];
    var plate = (form.elements.vehicle_plate.value || "").replace(/\s+/g, "").toUpperCase();
    if (plate && fields.pl && plate !== String(fields.pl).toUpperCase()) {
      found.push(words("diffPlate", { seen: plate, expected: fields.pl }));
    }
    var head = form.elements.animals_seen.value;
    if (head !== "" && fields.q !== undefined && Number(head) !== Number(fields.q)) {
      found.push(words("diffHead", { seen: head, expected: fields.q }));
    }
    if (fields.t) {
      var certified = String(fields.t).split(",").map(function (part) {
        var ends = part.split("-");
        return [ends[0], ends[1] || ends[0]];
      });
      var strangers = readTags(form.elements.tags_read.value).filter(function (range) {
        return !(within(certified, range[0]) && within(certified, range[1]));
      });
      if (strangers.length) {
        found.push(words("diffTags", {
          ranges: strangers.map(function (r) { return r[0] === r[1] ? r[0] : r[0] + "-" + r[1]; }).join("、")
        }));
      }
    }
    if (form.elements.disinfected.value === "false") {
      found.push(verdict.dataset.diffDisinfection);
    }
    return found;
  }

  function check(code) {
    var payload = payloadOf(code);
    var uploaded = verdict.dataset.uploaded;
    if (!payload) {
      show("numberOnly", { n: code.trim() }, uploaded);
      return Promise.resolve();
    }
    var snapshot = kept();
    var parts = payload.split(".");
    var body;
    var fields;
    try {
      body = bytes(parts[0]);
      fields = JSON.parse(new TextDecoder().decode(body));
    } catch (error) {
      show("forged", {}, uploaded);
      return Promise.resolve();
    }
    if (!snapshot) {
      show("numberOnly", fields, age.dataset.missing);
      return Promise.resolve();
    }
    // This province's key (in use or replaced), or the trusted key of the province that
    // issued it — not for a certificate issued after that key was replaced.
    var key = fields.kid === snapshot.key_id ? snapshot.public_key : null;
    (snapshot.keys || []).forEach(function (known) {
      if (known.kid === fields.kid && !(known.until && String(fields.i) > known.until)) {
        key = known.public_key;
      }
    });
    if (!key) {
      show("forged", fields, uploaded);
      return Promise.resolve();
    }
    return signatureHolds(bytes(key), bytes(parts[1] || ""), body)
      .catch(function () { return false; })
      .then(function (holds) {
        var result = "valid";
        var findings = [];
        if (!holds) {
          show("forged", fields, uploaded);
          return;
        }
        var restriction = restrictionOf(snapshot, String(fields.n));
        if (restriction) {
          findings.push(words("restrictedSince", { since: restriction.since, reason: restriction.reason }));
        }
        findings = findings.concat(differences(fields));
        if (snapshot.revoked.indexOf(fields.n) !== -1) {
          result = "revoked";
        } else if (used(snapshot, String(fields.n))) {
          result = "used";
        } else if (today() > fields.u) {
          result = "expired";
        } else if (today() < fields.i) {
          result = "notYet";
        } else if (restriction) {
          result = "restricted";
        } else if (findings.length) {
          result = "mismatch";
        }
        show(result, fields, uploaded, findings);
      });
  }

  form.addEventListener("earmark:before-queue", function () {
    form.elements.checked_at.value = new Date().toISOString();
    form.elements.offline.value = "true";
    check(form.elements.code.value);
  });

  refresh();
  window.addEventListener("online", refresh);
})();
