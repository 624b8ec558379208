// Site behaviour. Loaded as a file: the Content Security Policy allows no inline script.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // htmx requests carry the CSRF token like forms do.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  // Inactivity timeout: warn two minutes ahead, let the user stay, and leave for the log-in page at the end.
  var body = document.body;
  var timeout = parseInt(body.dataset.sessionTimeout || "0", 10);
  if (!timeout) {
    return;
  }
  var warnBefore = parseInt(body.dataset.sessionWarning || "120", 10);
  var warning = document.getElementById("session-warning");
  var countdown = warning.querySelector("[data-session-countdown]");
  var stay = warning.querySelector("[data-session-stay]");
  var expiresAt = 0;
  var ticker = null;

  function describe(seconds) {
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes");
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function tick() {
    var left = Math.round((expiresAt - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(ticker);
      var next = encodeURIComponent(window.location.pathname + window.location.search);
      var leave = function () {
        window.location.assign(body.dataset.loginUrl + "?next=" + next + "&timed_out=1");
      };
      // End the session on the server too, so the two clocks never disagree about it.
      fetch(body.dataset.logoutUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      }).then(leave, leave);
      return;
    }
    if (left <= warnBefore) {
      countdown.textContent = describe(left);
      if (warning.classList.contains("d-none")) {
        warning.classList.remove("d-none");
        stay.focus();
      }
    }
  }

  function restart(seconds) {
    expiresAt = Date.now() + seconds * 1000;
    warning.classList.add("d-none");
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
  }

  stay.addEventListener("click", function () {
    fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.authenticated) {
          restart(data.expires_in);
        } else {
          tick();
        }
      });
  });

  // Any htmx request also restarts the server's clock.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      restart(timeout);
    }
  });

  restart(timeout);
})();
