// The large-text switch (大字模式, GB/T 37668): a button with data-large-text-switch turns the large-text class of
// <html> on and off and keeps the choice for a year in the large_text cookie, which the server reads to render the
// next page large from its first byte (templates/portal/base.html, templates/congress/home.html). A file rather than
// an inline script: the Content-Security-Policy (script-src 'self') blocks inline ones.
(function () {
  var COOKIE = "large_text";
  var YEAR = 365 * 24 * 60 * 60;

  function remember(on) {
    document.cookie = COOKIE + "=" + (on ? "1" : "0") + "; path=/; max-age=" + YEAR + "; SameSite=Lax" +
      (window.location.protocol === "https:" ? "; Secure" : "");
  }

  function show(on) {
    document.documentElement.classList.toggle("large-text", on);
    var switches = document.querySelectorAll("[data-large-text-switch]");
    for (var i = 0; i < switches.length; i++) {
      switches[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-large-text-switch]");
    if (!button) {
      return;
    }
    var on = !document.documentElement.classList.contains("large-text");
    show(on);
    remember(on);
  });
})();
