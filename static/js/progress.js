// A page that follows a background job (an import being checked or run). Without script it
// reloads itself (the <noscript> refresh in its head); with script it asks for itself again every
// few seconds and copies only the figures that moved into its status region, so a screen reader
// hears "1,200 rows read so far" rather than a whole new page, and focus and scroll stay put.
// When the job's state changes (done, refused, or the worker found stalled), it loads once.
(function () {
  "use strict";
  var region = document.querySelector("[data-follow]");
  if (!region) {
    return;
  }
  var every = Number(region.getAttribute("data-follow")) * 1000;

  function update(fresh) {
    region.querySelectorAll("[id]").forEach(function (node) {
      var next = fresh.querySelector("#" + node.id);
      if (!next) {
        return;
      }
      if (node.tagName === "PROGRESS") {
        node.value = next.value;
        node.textContent = next.textContent;
      } else if (node.textContent !== next.textContent) {
        node.textContent = next.textContent;
      }
    });
  }

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-follow]");
        if (!fresh || fresh.getAttribute("data-state") !== region.getAttribute("data-state")) {
          window.location.replace(window.location.href);
          return;
        }
        update(fresh);
        window.setTimeout(poll, every);
      })
      .catch(function () {
        // A dropped connection on a poor line: try again, less often.
        window.setTimeout(poll, every * 3);
      });
  }

  window.setTimeout(poll, every);
})();
