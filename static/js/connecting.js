// "Connecting to <Provider>…": send the sign-in on to the provider at once.
(function () {
  "use strict";
  var form = document.getElementById("connect-form");
  if (form) {
    form.submit();
  }
})();
