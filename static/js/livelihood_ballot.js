// The livelihood projects' ballot (templates/supervision/livelihood/portal_round.html): counts the boxes ticked and, when
// they exceed the places (data-places), warns that such a ballot is invalid and disables the submit button. The server
// refuses such a ballot anyway (supervision.services.livelihood.livelihood_vote); this only tells the deputy first.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("ballot");
  if (!form) { return; }
  var places = parseInt(form.getAttribute("data-places"), 10);
  var marked = document.getElementById("ballot-marked");
  var warning = document.getElementById("ballot-warning");
  var submit = document.getElementById("ballot-submit");
  function update() {
    var n = form.querySelectorAll("input[name=projects]:checked").length;
    marked.textContent = String(n);
    var tooMany = n > places;
    warning.hidden = !tooMany;
    submit.disabled = tooMany;
  }
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    if (form.querySelectorAll("input[name=projects]:checked").length > places) { event.preventDefault(); update(); }
  });
  update();
});
