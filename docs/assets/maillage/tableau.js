/* Maillage — sortable, filterable tables, without dependencies.
 * Progressive enhancement: a <table data-maillage-tableau> is plain HTML; this script
 * adds a filter box above it and turns each column header into a sort button.
 * Cells may carry data-sort (e.g. an ISO date) to sort on something other than their text.
 * A header with data-filtre="Libellé" gets a drop-down filter of the values of its column
 * (cells may list several values in data-valeurs, separated by "|"). */
(function () {
  "use strict";
  var collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function enhance(table, number) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var rows = Array.prototype.slice.call(body.rows);
    var status = document.createElement("p");
    status.className = "maillage-tableau-statut";
    status.setAttribute("role", "status");

    var label = document.createElement("label");
    var id = "maillage-filtre-" + number;
    label.setAttribute("for", id);
    label.textContent = "Filtrer le tableau ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "maillage-filtre";
    input.setAttribute("placeholder", "intitulé, partie, statut…");
    var wrapper = document.createElement("div");
    wrapper.className = "maillage-tableau-outils";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    var anchor = table.parentNode.classList.contains("maillage-tableau-conteneur") ? table.parentNode : table;
    anchor.parentNode.insertBefore(wrapper, anchor);

    function values(row, index) {
      var cell = row.cells[index];
      if (!cell) return [];
      if (cell.hasAttribute("data-valeurs")) return cell.getAttribute("data-valeurs").split("|").filter(Boolean);
      return [cell.textContent.trim()];
    }

    var selects = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var title = th.getAttribute("data-filtre");
      if (!title) return;
      var seen = {};
      rows.forEach(function (row) { values(row, index).forEach(function (v) { seen[v] = true; }); });
      var select = document.createElement("select");
      select.id = id + "-" + index;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "Tous";
      select.appendChild(all);
      Object.keys(seen).sort(collator.compare).forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      var selectLabel = document.createElement("label");
      selectLabel.setAttribute("for", select.id);
      selectLabel.textContent = title + " ";
      var group = document.createElement("span");
      group.className = "maillage-tableau-choix";
      group.appendChild(selectLabel);
      group.appendChild(select);
      wrapper.insertBefore(group, status);
      select.addEventListener("change", filter);
      selects.push({ select: select, index: index });
    });

    var texts = rows.map(function (row) { return fold(row.textContent); });
    function filter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var active = selects.filter(function (s) { return s.select.value; });
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; }) &&
          active.every(function (s) { return values(row, s.index).indexOf(s.select.value) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length || active.length ? shown + " ligne(s) sur " + rows.length : "";
    }
    input.addEventListener("input", filter);

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "maillage-tri";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var va = cellValue(a, index), vb = cellValue(b, index);
          if (va === "" && vb !== "") return 1;   /* empty cells last */
          if (vb === "" && va !== "") return -1;
          var order = collator.compare(va, vb);
          return ascending ? order : -order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  /* A table wider than the screen scrolls in its own container: the keyboard must reach
   * it (a focusable region named after its caption), the page itself never scrolls sideways.
   * On long pages, a container is measured when it comes near the screen (measuring forces
   * a layout of what the browser had skipped). */
  function checkScroll(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    if (wide && !box.dataset.maillageDefile) {
      if (!box.hasAttribute("tabindex")) {  // (a container of the page may already be a named region)
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau (défilement horizontal)");
        box.dataset.maillageRegion = "1";
      }
      box.dataset.maillageDefile = "1";
      // Say it: on a phone nothing else shows that more columns are there.
      var hint = document.createElement("p");
      hint.className = "maillage-defile-aide";
      hint.textContent = "\u2194 Faites glisser le tableau pour voir toutes ses colonnes.";
      box.parentNode.insertBefore(hint, box);
    } else if (!wide && box.dataset.maillageDefile) {
      if (box.dataset.maillageRegion) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.maillageRegion;
      }
      delete box.dataset.maillageDefile;
      var previous = box.previousElementSibling;
      if (previous && previous.className === "maillage-defile-aide") previous.parentNode.removeChild(previous);
    }
  }

  function scrollable() {
    var containers = document.querySelectorAll(".maillage-tableau-conteneur, .pilotage-tableau, .md-typeset__scrollwrap");
    if (!window.IntersectionObserver) { Array.prototype.forEach.call(containers, checkScroll); return; }
    var seen = [];
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        seen.push(entry.target);
        checkScroll(entry.target);
      });
    }, { rootMargin: "300px 0px" });
    Array.prototype.forEach.call(containers, function (box) {
      // A table laid out only near the screen (content-visibility: auto, on long pages) is
      // measured then; the others at once.
      if (getComputedStyle(box).contentVisibility === "auto") observer.observe(box);
      else { seen.push(box); checkScroll(box); }
    });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { seen.forEach(checkScroll); }, 200);
    });
  }

  function init() {
    document.querySelectorAll("table[data-maillage-tableau]").forEach(enhance);
    scrollable();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
