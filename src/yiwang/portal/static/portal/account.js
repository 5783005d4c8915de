/* Account pages: the 60-second countdown of "获取验证码" (progressive enhancement: without this
   script the button simply stays usable and the server refuses early resends with the seconds
   left). Runs on page load and on every htmx swap. */
(function () {
  "use strict";

  function countDown(button) {
    var left = parseInt(button.getAttribute("data-countdown"), 10);
    if (!left || button.getAttribute("data-counting")) { return; }
    button.setAttribute("data-counting", "1");
    button.disabled = true;
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.removeAttribute("data-counting");
        button.removeAttribute("data-countdown");
        button.textContent = "重新获取验证码";
        return;
      }
      button.textContent = left + "秒后可重新获取";
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function scan(root) {
    var buttons = (root || document).querySelectorAll("[data-countdown]");
    for (var i = 0; i < buttons.length; i += 1) { countDown(buttons[i]); }
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function () {
    scan(document);
    // a code was sent: the next thing to type is the code
    var sent = document.querySelector("[data-sms-box] .sms-status");
    var code = document.getElementById("id_sms_code");
    if (sent && sent.textContent.trim() && code) { code.focus(); }
  });
})();
