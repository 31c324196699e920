// Behaviour of every page, with no inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  var PENDING = "earmark.pending-submissions";
  var KEEP_MS = 72 * 3600 * 1000;

  function pending() {
    try {
      return JSON.parse(sessionStorage.getItem(PENDING) || "{}");
    } catch (error) {
      return {};
    }
  }

  function remember(all) {
    try {
      sessionStorage.setItem(PENDING, JSON.stringify(all));
    } catch (error) {
      /* private mode: the server-side key still stops a double tap */
    }
  }

  // What the form sends, besides its key: the same content sent again is the same submission.
  function content(form, submitter) {
    var data = new FormData(form);
    var parts = [form.action];
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "submission_key") {
        parts.push(name + "=" + (typeof value === "string" ? value : value.name));
      }
    });
    if (submitter && submitter.name) {
      parts.push(submitter.name + "=" + submitter.value);
    }
    return parts.join("\n");
  }

  function onSubmit(event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.dataset.tagLookup) {
      event.preventDefault();
      var number = (form.elements.n.value || "").trim();
      window.location.href = form.dataset.tagLookup.replace("/0/", "/" + encodeURIComponent(number) + "/");
      return;
    }
    var key = form.querySelector('input[name="submission_key"]');
    if (!key) {
      return;
    }
    if (form.dataset.submitting === "true") {
      event.preventDefault(); // a second tap while the first is on its way
      return;
    }
    var submitter = event.submitter;
    var sent = content(form, submitter);
    var all = pending();
    var now = Date.now();
    Object.keys(all).forEach(function (earlier) {
      if (now - all[earlier].at > KEEP_MS) {
        delete all[earlier];
      }
    });
    if (all[sent]) {
      // The same submission again (after a dropped connection, Back, or a reload): its key
      // makes the server answer with what it saved the first time.
      key.value = all[sent].key;
    }
    all[sent] = { key: key.value, at: all[sent] ? all[sent].at : now };
    remember(all);
    form.dataset.submitting = "true";
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    var label = document.body.dataset.submittingLabel || "…";
    form.querySelectorAll('button[type="submit"], button:not([type])').forEach(function (button) {
      button.disabled = true;
      if (button === submitter) {
        button.textContent = label;
      }
    });
  }

  function onChange(event) {
    if (event.target.dataset && event.target.dataset.autosubmit !== undefined) {
      event.target.form.requestSubmit();
    }
  }

  // A page restored from the back-forward cache must take taps again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll('form[data-submitting="true"]').forEach(function (form) {
      form.dataset.submitting = "false";
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
  // The page after a saved form names it: that submission is done, the same content may be
  // sent again as a new one.
  if (window.location.hash.indexOf("#saved=") === 0) {
    var done = decodeURIComponent(window.location.hash.slice(7));
    // For offline.js, which retires the drafts and outbox items of that submission.
    document.body.dataset.savedKey = done;
    var all = pending();
    Object.keys(all).forEach(function (sent) {
      if (all[sent].key === done) {
        delete all[sent];
      }
    });
    remember(all);
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  // Wide tables (statistics, ledgers, traces) scroll inside their card, saying so, instead of
  // widening the page; the scrolling box takes the keyboard's focus too.
  document.querySelectorAll("table.table").forEach(function (table) {
    var box = document.createElement("div");
    box.className = "scroll";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", document.body.dataset.textScrollHint || "");
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    box.classList.toggle("scrolls", box.scrollWidth > box.clientWidth);
  });
  // A number of a fixed length (a certificate's 12 digits) is checked before anything is sent
  // or kept in the outbox (a capture listener, ahead of offline.js).
  document.addEventListener("submit", function (event) {
    var wrong = null;
    event.target.querySelectorAll("input[data-digits]").forEach(function (input) {
      var digits = Number(input.dataset.digits);
      var ok = new RegExp("^\\d{" + digits + "}$").test(input.value.trim());
      var note = input.parentNode.querySelector(".digits-error");
      if (note) {
        note.remove();
      }
      if (!ok && !wrong) {
        wrong = input;
        note = document.createElement("p");
        note.className = "field-error digits-error";
        note.setAttribute("role", "alert");
        note.textContent = input.dataset.digitsMessage || "";
        input.insertAdjacentElement("afterend", note);
      }
    });
    if (wrong) {
      event.preventDefault();
      event.stopImmediatePropagation();
      wrong.focus();
    }
  }, true);

  var user = document.body.dataset.deviceUser || "guest";
  document.querySelectorAll("form").forEach(function (form) {
    var remembered = "earmark.remember:" + user + ":" + window.location.pathname + ":";
    var refused = form.querySelector(".field-error, .form-error");
    // Values the user gives every time (a vaccine, its batch, its seller): the last ones are
    // offered again, on this device, for this user.
    form.querySelectorAll("[data-remember]").forEach(function (field) {
      var kept = null;
      try {
        kept = localStorage.getItem(remembered + field.name);
      } catch (error) {
        /* nothing kept */
      }
      var untouched = field.tagName === "SELECT" ? true : !field.value;
      if (kept !== null && untouched && !refused && form.method.toLowerCase() === "post") {
        field.value = kept;
      }
    });
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-remember]").forEach(function (field) {
        try {
          localStorage.setItem(remembered + field.name, field.value);
        } catch (error) {
          /* private mode */
        }
      });
    });
    // Only the vaccines of the chosen species are offered.
    form.querySelectorAll("select[data-species-of]").forEach(function (select) {
      var species = document.getElementById(select.dataset.speciesOf);
      if (!species) {
        return;
      }
      var offer = function () {
        var chosen = species.value;
        Array.prototype.forEach.call(select.options, function (option) {
          var fits = !option.dataset.species || option.dataset.species.split(" ").indexOf(chosen) !== -1;
          option.hidden = !fits;
          option.disabled = !fits;
        });
        if (select.selectedOptions[0] && select.selectedOptions[0].disabled) {
          var first = Array.prototype.find.call(select.options, function (o) { return !o.disabled; });
          select.value = first ? first.value : "";
        }
      };
      species.addEventListener("change", offer);
      offer();
    });
    // The premises a certificate on its way sends the animals to, once its number is typed.
    if (form.dataset.destinations) {
      var map = JSON.parse(document.getElementById(form.dataset.destinations).textContent || "{}");
      var number = form.elements.certificate;
      var premises = form.elements.premises;
      if (number && premises) {
        number.addEventListener("input", function () {
          var code = map[number.value.trim()];
          if (code) {
            premises.value = code;
          }
        });
      }
    }
  });
  document.addEventListener("submit", onSubmit);
  document.addEventListener("change", onChange);
})();
