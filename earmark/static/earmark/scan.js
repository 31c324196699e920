// Scanning with the phone's camera: BarcodeDetector where the browser has it, jsQR (served by
// the app) elsewhere — iPhone Safari, in-app browsers and desktop Chromium lack BarcodeDetector.
// A tag's code adds its 15 digits to the list; a certificate's QR code fills the field once.
(function () {
  "use strict";

  var video = document.getElementById("scanner");
  if (!video || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return; // no camera here: numbers are typed or pasted
  }
  var loading = null;

  function loadJsQR() {
    if (window.jsQR) {
      return Promise.resolve();
    }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = document.body.dataset.jsqr;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // A function that reads the codes in the video's current frame.
  function reader() {
    if ("BarcodeDetector" in window) {
      var native = new window.BarcodeDetector();
      return Promise.resolve(function () {
        return native.detect(video).then(function (codes) {
          return codes.map(function (code) { return code.rawValue || ""; });
        });
      });
    }
    return loadJsQR().then(function () {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        if (!video.videoWidth) {
          return Promise.resolve([]);
        }
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        var frame = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "attemptBoth" });
        return Promise.resolve(found ? [found.data] : []);
      };
    });
  }

  // Whether scanning stops: a certificate's code is one; tags are read until the user stops.
  function take(target, raw) {
    if (target.dataset.scan === "qr") {
      target.value = raw.trim();
      target.dispatchEvent(new Event("input", { bubbles: true }));
      return true;
    }
    var digits = raw.replace(/\D/g, "");
    if (digits.length === 15 && target.value.indexOf(digits) === -1) {
      target.value = (target.value ? target.value + "\n" : "") + digits;
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return false;
  }

  function scan(button) {
    var target = document.getElementById(button.dataset.target);
    var stream = null;
    var timer = null;
    function stop() {
      clearInterval(timer);
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      video.hidden = true;
      video.removeEventListener("click", stop);
      button.setAttribute("aria-pressed", "false");
    }
    Promise.all([
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }),
      reader(),
    ]).then(function (ready) {
      stream = ready[0];
      var read = ready[1];
      video.srcObject = stream;
      video.hidden = false;
      button.setAttribute("aria-pressed", "true");
      video.addEventListener("click", stop);
      return video.play().then(function () {
        var busy = false;
        timer = setInterval(function () {
          if (busy) {
            return;
          }
          busy = true;
          read().then(function (codes) {
            busy = false;
            if (codes.some(function (raw) { return raw && take(target, raw); })) {
              stop();
            }
          }, function () { busy = false; });
        }, 300);
      });
    }).catch(function () {
      stop();
      button.hidden = true; // no camera allowed: type the numbers
    });
  }

  document.querySelectorAll("button.scan").forEach(function (button) {
    // Beside the field it fills, whatever the template's order.
    var field = document.getElementById(button.dataset.target);
    if (field) {
      field.insertAdjacentElement("afterend", button);
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") !== "true") {
        scan(button);
      }
    });
  });
})();
