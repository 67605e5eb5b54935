/* The interactive accountability map: Cytoscape.js with a dagre layered layout, drawn over the
   server's SVG, which stays as the fallback when scripts or the canvas are unavailable. The text
   list below the map is the keyboard route: each item's button highlights the arrow and shows
   its clause. Checkboxes filter without reloading; the same form still works without scripts. */
(function () {
  "use strict";

  var root = document.querySelector("[data-module=registry-map]");
  if (!root || !window.cytoscape || !root.dataset.graphUrl) { return; }
  if (window.cytoscapeDagre) { window.cytoscape.use(window.cytoscapeDagre); }

  var canvas = root.querySelector(".registry-map__canvas");
  var fallback = root.querySelector(".registry-map__svg");
  var detail = root.querySelector(".registry-map__detail");
  var form = document.querySelector(".registry-map-filters");
  var cy = null;
  var edgesById = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function showDetail(edge) {
    detail.replaceChildren();
    detail.appendChild(el("h2", { "class": "govuk-heading-s" }, edge.sentence));
    if (edge.change) {
      detail.appendChild(el("p", { "class": "govuk-body" }, "A draft would " + (edge.change === "added" ? "add" : "remove") + " this arrow."));
    }
    if (edge.clause) {
      var quote = el("blockquote", { "class": "registry-map__clause" });
      quote.appendChild(el("p", { "class": "govuk-body" }, edge.clause.text));
      detail.appendChild(quote);
      var link = el("a", { "class": "govuk-link", href: edge.clause.url },
        "Read clause " + (edge.clause.reference || "") + (edge.protocol ? " in " + edge.protocol.title + ", version " + edge.protocol.version : ""));
      var para = el("p", { "class": "govuk-body" });
      para.appendChild(link);
      detail.appendChild(para);
    } else {
      detail.appendChild(el("p", { "class": "govuk-body" }, "No protocol clause states this arrow: it comes from the membership records."));
    }
    detail.hidden = false;
  }

  function chosen(name) {
    if (!form) { return null; }
    var boxes = form.querySelectorAll("input[name=" + name + "]");
    var values = {};
    boxes.forEach(function (box) { if (box.checked) { values[box.value] = true; } });
    return values;
  }

  function applyFilters() {
    var kinds = chosen("kind");
    var protocols = chosen("protocol");
    function visible(edge) {
      return (!kinds || kinds[edge.kind]) && (!protocols || !edge.protocol || protocols[edge.protocol.slug]);
    }
    if (cy) {
      cy.batch(function () {
        cy.edges().forEach(function (e) { e.style("display", visible(e.data("edge")) ? "element" : "none"); });
      });
    }
    document.querySelectorAll(".registry-map-text li[data-edge-id]").forEach(function (item) {
      var edge = edgesById[item.dataset.edgeId];
      if (edge) { item.hidden = !visible(edge); }
    });
  }

  function styles(graph) {
    var list = [
      { selector: "node", style: {
        "label": "data(label)", "shape": "round-rectangle", "background-color": "#f3f2f1",
        "border-width": 2, "border-color": "#0b0c0c", "text-valign": "center", "text-halign": "center",
        "font-size": 13, "font-family": "Arial, sans-serif", "color": "#0b0c0c", "width": "label", "height": 34,
        "padding": "10px", "font-weight": "bold" } },
      { selector: "node[type = 'post']", style: { "background-color": "#ffffff", "border-width": 1.5, "border-color": "#505a5f", "font-weight": "normal" } },
      { selector: "edge", style: {
        "curve-style": "bezier", "width": 2, "target-arrow-shape": "triangle", "arrow-scale": 1.1,
        "label": "data(label)", "font-size": 10, "text-rotation": "autorotate", "text-background-color": "#ffffff",
        "text-background-opacity": 1, "text-background-padding": "1px", "font-family": "Arial, sans-serif" } },
      { selector: "edge[!directed]", style: { "target-arrow-shape": "none" } },
      { selector: "edge[change = 'added']", style: { "width": 4 } },
      { selector: "edge[change = 'removed']", style: { "line-style": "dotted", "opacity": 0.7 } },
      { selector: "edge:selected, edge.highlighted", style: { "width": 5, "z-index": 10, "underlay-color": "#ffdd00", "underlay-opacity": 0.8, "underlay-padding": 4 } }
    ];
    graph.kinds.forEach(function (kind) {
      var style = { "line-color": kind.colour, "target-arrow-color": kind.colour, "color": kind.colour };
      if (kind.dash) {
        style["line-style"] = "dashed";
        style["line-dash-pattern"] = kind.dash.split(" ").map(Number);
      }
      list.push({ selector: "edge[kind = '" + kind.kind + "']", style: style });
    });
    return list;
  }

  function draw(graph) {
    var elements = [];
    graph.nodes.forEach(function (node) {
      elements.push({ group: "nodes", data: { id: node.id, label: node.label, type: node.type, name: node.name } });
    });
    graph.edges.forEach(function (edge) {
      edgesById[edge.id] = edge;
      elements.push({ group: "edges", data: {
        id: edge.id, source: edge.source, target: edge.target, kind: edge.kind, label: edge.label,
        directed: edge.directed, change: edge.change || "", edge: edge } });
    });
    canvas.hidden = false;
    fallback.hidden = true;
    cy = window.cytoscape({
      container: canvas, elements: elements, style: styles(graph),
      layout: { name: window.cytoscapeDagre ? "dagre" : "breadthfirst", rankDir: "BT", nodeSep: 50, rankSep: 110, edgeSep: 20 },
      wheelSensitivity: 0.3, minZoom: 0.3, maxZoom: 2.5
    });
    cy.on("tap", "edge", function (event) { showDetail(event.target.data("edge")); });
    // Exposed so tests (and people in the console) can find where an arrow was drawn.
    root.registryMap = cy;
    cy.one("layoutstop", function () { canvas.setAttribute("data-ready", "true"); });
    if (cy.nodes().length) { canvas.setAttribute("data-ready", "true"); }
    document.querySelectorAll(".registry-map-text__show").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var edge = edgesById[button.dataset.edgeId];
        if (!edge) { return; }
        cy.edges().removeClass("highlighted");
        cy.getElementById(edge.id).addClass("highlighted");
        showDetail(edge);
        root.scrollIntoView({ block: "start" });
        detail.focus();
      });
    });
    if (form) {
      form.querySelectorAll("input[name=kind], input[name=protocol]").forEach(function (box) {
        box.addEventListener("change", applyFilters);
      });
    }
    applyFilters();
  }

  // The interactive map starts from everything; the checkboxes filter on the page.
  var url = root.dataset.graphUrl.replace(/([?&])(filtered|kind|protocol)=[^&]*/g, "$1");
  fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(draw)
    .catch(function () { canvas.hidden = true; fallback.hidden = false; });
})();
