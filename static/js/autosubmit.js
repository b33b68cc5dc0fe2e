// A <select data-autosubmit> sends its form as soon as a choice is made. Kept in a file rather than an
// onchange="…" attribute because the Content-Security-Policy (script-src 'self') blocks inline handlers.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
