// Progressive enhancement of the report form's map: tapping the map sets
// the pin (the latitude and longitude fields, and a marker), and "use my
// location" asks the device. Without this file the reporter chooses a
// kecamatan or types the coordinates; the server checks them either way.
(function () {
  "use strict";
  var fig = document.querySelector("[data-pick]");
  if (!fig) { return; }
  var svg = fig.querySelector("svg.map");
  var lat = document.getElementById("f-lat");
  var lng = document.getElementById("f-lng");
  var district = document.getElementById("f-district");
  var status = document.getElementById("pick-status");
  if (!svg || !lat || !lng) { return; }
  // x0 y0 scale pad: Web Mercator at zoom 0, as reportmap.go draws it.
  var p = svg.getAttribute("data-projection").split(" ").map(Number);
  var NS = "http://www.w3.org/2000/svg";
  var marker = null;

  function toDegrees(x, y) {
    var mx = (x - p[3]) / p[2] + p[0];
    var my = (y - p[3]) / p[2] + p[1];
    var la = Math.atan(Math.sinh(Math.PI * (1 - 2 * my))) * 180 / Math.PI;
    return { lat: la, lng: mx * 360 - 180 };
  }
  function toMap(la, ln) {
    var s = Math.sin(la * Math.PI / 180);
    var my = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    return { x: ((ln + 180) / 360 - p[0]) * p[2] + p[3], y: (my - p[1]) * p[2] + p[3] };
  }
  function number(s) {
    var v = parseFloat(String(s).replace(",", ".").replace("\u2212", "-"));
    return isFinite(v) ? v : null;
  }
  function say(msg) { if (status) { status.textContent = msg; } }
  function draw(la, ln) {
    var q = toMap(la, ln);
    if (!(q.x >= 0 && q.y >= 0 && q.x <= svg.viewBox.baseVal.width && q.y <= svg.viewBox.baseVal.height)) {
      if (marker) { marker.remove(); marker = null; }
      return;
    }
    if (!marker) {
      marker = document.createElementNS(NS, "use");
      marker.setAttribute("href", "#pin-h");
      marker.setAttribute("class", "pin-here");
      marker.setAttribute("data-marker", "");
      svg.appendChild(marker);
    }
    marker.setAttribute("x", q.x.toFixed(1));
    marker.setAttribute("y", q.y.toFixed(1));
  }
  function set(la, ln) {
    lat.value = la.toFixed(5);
    lng.value = ln.toFixed(5);
    if (district) { district.value = ""; }
    draw(la, ln);
    say(fig.getAttribute("data-msg-placed") + " " + lat.value + ", " + lng.value);
  }

  svg.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) { return; }
    var pt = svg.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    var q = pt.matrixTransform(svg.getScreenCTM().inverse());
    var d = toDegrees(q.x, q.y);
    set(d.lat, d.lng);
  });
  function typed() {
    var la = number(lat.value);
    var ln = number(lng.value);
    if (la !== null && ln !== null) { draw(la, ln); }
  }
  lat.addEventListener("change", typed);
  lng.addEventListener("change", typed);
  typed();

  var tools = fig.querySelector("[data-js]");
  var button = document.getElementById("b-locate");
  if (tools && button && navigator.geolocation) {
    tools.hidden = false;
    button.addEventListener("click", function () {
      say(fig.getAttribute("data-msg-locating"));
      navigator.geolocation.getCurrentPosition(function (pos) {
        var la = pos.coords.latitude;
        var ln = pos.coords.longitude;
        set(la, ln);
        var q = toMap(la, ln);
        if (q.x < 0 || q.y < 0 || q.x > svg.viewBox.baseVal.width || q.y > svg.viewBox.baseVal.height) {
          say(fig.getAttribute("data-msg-outside"));
        }
      }, function () {
        say(fig.getAttribute("data-msg-failed"));
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }
})();
