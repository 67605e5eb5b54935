/* The accountability map, enhanced: zoom buttons over the server's picture, and filters that redraw
   it without reloading the page. Without this file the picture scrolls in its box and the filter
   form reloads the page; with it, a changed filter fetches the re-drawn picture and its text
   (?partial=1) and swaps them in, keeping the address shareable with history.replaceState. */
(function () {
  "use strict";

  var STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];

  function setUpZoom(figure) {
    var tools = figure.querySelector(".registry-map__tools");
    var svg = figure.querySelector(".registry-map__svg svg");
    if (!tools || !svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    var natural = svg.viewBox.baseVal.width;
    var box = figure.querySelector(".registry-map__svg");
    tools.hidden = false;
    function current() { return svg.getBoundingClientRect().width / natural; }
    function apply(scale) {
      svg.style.width = Math.round(natural * scale) + "px";
      svg.style.maxWidth = "none";
      figure.setAttribute("data-zoom", scale.toFixed(2));
    }
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) { return; }
      var scale = current();
      var action = button.getAttribute("data-zoom");
      if (action === "in") {
        apply(STEPS.find(function (step) { return step > scale + 0.01; }) || STEPS[STEPS.length - 1]);
      } else if (action === "out") {
        apply(STEPS.slice().reverse().find(function (step) { return step < scale - 0.01; }) || STEPS[0]);
      } else if (action === "fit") {
        apply(Math.min(1, box.clientWidth / natural));
      } else {
        apply(1);
      }
    });
  }

  function setUpFilters(form) {
    var status = form.querySelector(".registry-map-filters__status");
    var pending = null;
    function query() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) { params.append(name, value); });
      return params;
    }
    function refresh() {
      var params = query();
      var address = form.action + "?" + params.toString();
      params.set("partial", "1");
      if (pending) { pending.abort(); }
      pending = new AbortController();
      if (status) { status.textContent = "Updating the map…"; }
      fetch(form.action + "?" + params.toString(), { credentials: "same-origin", signal: pending.signal })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#map-result");
          var old = document.getElementById("map-result");
          if (!fresh || !old) { throw new Error("no map in the answer"); }
          old.replaceWith(fresh);
          fresh.querySelectorAll("[data-module=registry-map]").forEach(setUpZoom);
          window.history.replaceState(null, "", address);
          var download = document.querySelector(".registry-map-download");
          if (download) { download.href = download.href.split("?")[0] + "?" + query().toString(); }
          if (status) { status.textContent = "Map updated."; }
        })
        .catch(function (error) {
          if (error.name === "AbortError") { return; }
          if (status) { status.textContent = "The map could not be updated: use the Update map button."; }
        });
    }
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  }

  document.querySelectorAll("[data-module=registry-map]").forEach(setUpZoom);
  document.querySelectorAll("[data-module=registry-map-filters]").forEach(setUpFilters);
})();
