// « Utiliser ma position »: fills the form's lat/lon from the browser's geolocation, then submits.
// The forms stay hidden without JavaScript or geolocation: the page works without them.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) {
    return;
  }
  function round(value) {
    return value.toFixed(5);
  }
  document.querySelectorAll("form.geolocate").forEach(function (form) {
    var status = form.querySelector(".geolocate-status");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      if (form.elements.lat.value && form.elements.lon.value) {
        return;
      }
      event.preventDefault();
      status.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = round(position.coords.latitude);
          form.elements.lon.value = round(position.coords.longitude);
          status.textContent = "";
          form.submit();
        },
        function () {
          status.textContent =
            "Votre position n'est pas disponible : indiquez plutôt votre adresse.";
        },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  });
})();
