// The IQA form: show a question's reasons as soon as "Not met" is chosen for it.
(function () {
  "use strict";
  var form = document.getElementById("iqa-form");
  if (!form) {
    return;
  }
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || input.value !== "not_met") {
      return;
    }
    var question = input.closest("[data-question]");
    var reasons = question && question.querySelector("details.reasons");
    if (reasons) {
      reasons.open = true;
    }
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
