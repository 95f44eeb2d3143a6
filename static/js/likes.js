// The Like button: like and unlike without a page load, and finish the like a
// reader pressed as a guest before signing in. Without JavaScript (or when a
// request fails) the form posts as usual and the site brings the reader back.
(function () {
  "use strict";

  var block = document.getElementById("likes");
  // A guest's click goes to the sign-in page: the plain form does that.
  if (!block || !("signedIn" in block.dataset) || !window.fetch) {
    return;
  }
  var busy = false;

  // The live region stays in place, so screen readers announce its new text;
  // the rest comes from the block the site rendered again.
  function update(data, keepFocus) {
    var fresh = new DOMParser().parseFromString(data.html, "text/html").getElementById("likes");
    var form = fresh.querySelector(".like-form");
    block.querySelector(".like-form").replaceWith(form);
    block.querySelector(".likers").replaceWith(fresh.querySelector(".likers"));
    block.querySelector(".likes-line").textContent = data.summary;
    var prompt = block.querySelector(".likes-finish");
    if (prompt) {
      prompt.remove();
    }
    if (keepFocus) {
      form.querySelector("button").focus();
    }
  }

  function send(form) {
    var keepFocus = form.contains(document.activeElement);
    busy = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form), // with the form's CSRF token
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      // A redirect means the site wants a page (signed out meanwhile): post the form itself.
      redirect: "manual",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Like failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        update(data, keepFocus);
        busy = false;
      })
      .catch(function () {
        form.submit();
      });
  }

  block.addEventListener("submit", function (event) {
    var form = event.target.closest(".like-form");
    if (!form) {
      return;
    }
    event.preventDefault();
    // A double click sends one request; the site would count one like anyway.
    if (!busy) {
      send(form);
    }
  });

  if ("finishLike" in block.dataset) {
    // The reader pressed Like before signing in; the site asked this page to finish it.
    send(block.querySelector(".like-form"));
  }
})();
