// The Leave a Reply box: reply under a comment without a page load, put the
// focus on the error summary when the site sent the form back, and send a
// comment once.
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  if (!respond) {
    return;
  }
  var form = document.getElementById("commentform");
  var title = respond.querySelector(".reply-title-text");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var titleTo = document.getElementById("reply-title-to");
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  var errors = document.getElementById("comment-errors");
  if (errors) {
    errors.focus();
  }

  // The site's message at the top of the box (or of the likes), when the
  // page's address led the reader to it: the focus on it has a screen reader
  // say it. Anywhere else (a comment) the focus stays where it was. (The
  // page's anchors are plain words: the address's is not decoded.)
  var said = document.getElementById("messages");
  var landed = location.hash && document.getElementById(location.hash.slice(1));
  if (said && !errors && landed && landed.contains(said)) {
    said.focus();
  }

  function textarea() {
    return form ? form.querySelector("textarea") : null;
  }

  function replyTo(link) {
    var comment = document.getElementById("comment-" + link.dataset.commentId);
    if (!comment || !form) {
      return false;
    }
    comment.querySelector(".comment-body").after(respond);
    form.elements.parent.value = link.dataset.commentId;
    // "Leave a Reply to NAME", the name isolated (<bdi>) as in the thread: one
    // written right to left takes none of the title's words into its direction.
    var words = titleTo.content.cloneNode(true);
    words.querySelector("bdi").textContent =
      comment.querySelector(".comment-author").textContent;
    title.replaceChildren(words);
    cancel.hidden = false;
    var box = textarea();
    if (box) {
      box.focus();
    }
    return true;
  }

  function cancelReply() {
    home.after(respond);
    if (form) {
      form.elements.parent.value = "";
    }
    title.textContent = respond.querySelector("#reply-title").dataset.defaultTitle;
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link && replyTo(link)) {
      event.preventDefault();
    }
  });

  // What the box says while the browser waits for an answer ("Posting…",
  // "Connecting to <Provider>…") is taken back when the page is shown anew (the
  // back button, out of the back/forward cache), or after half a minute:
  // gunicorn gives up on a request by then (GUNICORN_TIMEOUT), and a browser
  // tells a page nothing when its reader presses Stop.
  var waiting = null;
  var givenBack = [];
  var giveBack = function () {
    clearTimeout(waiting);
    waiting = null;
    givenBack.forEach(function (undo) {
      undo();
    });
  };
  var wait = function () {
    clearTimeout(waiting);
    waiting = setTimeout(giveBack, 30000);
  };
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      giveBack();
    }
  });

  // "Connecting to <Provider>…" while the sign-in starts. The icon is never
  // held: a reader who stopped one may press it again at once.
  var connecting = document.getElementById("connecting-status");
  if (connecting) {
    givenBack.push(function () {
      connecting.textContent = "";
    });
  }
  respond.querySelectorAll(".sign-in-choice[data-connecting]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (connecting) {
        connecting.textContent = button.dataset.connecting;
        wait();
      }
    });
  });

  // A guest's page is the same for every guest, so it cannot carry the signed
  // time the form was shown: ask for it when the reader starts filling it in.
  if (form && !form.elements.started.value && window.fetch) {
    form.addEventListener(
      "focusin",
      function () {
        fetch(form.dataset.formStartedUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (data) {
            if (data && !form.elements.started.value) {
              form.elements.started.value = data.started;
            }
          })
          .catch(function () {});
      },
      { once: true }
    );
  }

  // A double click, Enter pressed twice or a retry on a slow network would send
  // the comment again, and the second answer, "Duplicate comment", would replace
  // the first, which shows a held comment to its writer (its cookie). The button
  // keeps the focus (aria-disabled, not disabled) and nothing typed is touched;
  // it is given back as above.
  var posting = document.getElementById("posting-status");
  if (form && posting) {
    var submit = form.querySelector("button.submit");
    var label = submit.textContent;
    var sending = false;
    givenBack.push(function () {
      sending = false;
      submit.removeAttribute("aria-disabled");
      submit.textContent = label;
      posting.textContent = "";
    });
    // Which button sent the form: event.submitter, which Safari before 15.4
    // lacks; there, the submit button last clicked (a press of Enter in a field
    // clicks the form's first one too), else Post Comment. The form's own
    // submit button alone would take a sign-in icon for the comment.
    var clicked = null;
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      clicked = button && button.type === "submit" ? button : null;
    });
    form.addEventListener("submit", function (event) {
      var button = event.submitter || clicked || submit;
      clicked = null;
      if (sending) {
        event.preventDefault();
        return;
      }
      // The sign-in icons and Log Out post elsewhere, and say so themselves; a
      // reader who stops one goes on to post as they are.
      if (button.hasAttribute("formaction")) {
        return;
      }
      sending = true;
      wait();
      submit.setAttribute("aria-disabled", "true");
      submit.textContent = submit.dataset.posting;
      posting.textContent = submit.dataset.posting;
    });
  }

  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    cancelReply();
    var box = textarea();
    if (box) {
      box.focus();
    }
  });
})();
