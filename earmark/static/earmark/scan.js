// Scanning tag numbers with the phone's camera where the browser can read barcodes
// (BarcodeDetector); elsewhere the button stays hidden and numbers are typed or pasted.
(function () {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var video = document.getElementById("scanner");
  document.querySelectorAll("button.scan").forEach(function (button) {
    var target = document.getElementById(button.dataset.target);
    button.hidden = false;
    button.addEventListener("click", async function () {
      var detector = new window.BarcodeDetector();
      var stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      var seen = {};
      var timer = setInterval(async function () {
        var codes = await detector.detect(video);
        codes.forEach(function (code) {
          var digits = (code.rawValue || "").replace(/\D/g, "");
          if (digits.length === 15 && !seen[digits]) {
            seen[digits] = true;
            target.value = (target.value ? target.value + "\n" : "") + digits;
          }
        });
      }, 400);
      video.addEventListener("click", function stop() {
        clearInterval(timer);
        stream.getTracks().forEach(function (t) { t.stop(); });
        video.hidden = true;
        video.removeEventListener("click", stop);
      });
    });
  });
})();
