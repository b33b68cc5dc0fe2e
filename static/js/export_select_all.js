// The export page's "select all" box (django-import-export wrote it as an inline onchange handler, which the
// Content-Security-Policy blocks): ticks or clears every field box at once.
document.addEventListener("change", function (event) {
  var toggle = event.target;
  if (!toggle.matches || !toggle.matches("input.select-toggle")) {
    return;
  }
  document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
    box.checked = toggle.checked;
  });
});
