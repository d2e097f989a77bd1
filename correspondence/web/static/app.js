// The workspace's only script of its own (no inline script is allowed by the Content-Security-Policy).
// 1. htmx requests carry the CSRF token, as forms do.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.body.dataset.csrf;
  if (token) {
    event.detail.headers["X-CSRFToken"] = token;
  }
});
// 2. When a form comes back with problems, move focus to the summary so a screen reader reads it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
