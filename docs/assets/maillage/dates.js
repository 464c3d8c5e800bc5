/* Maillage — wording that depends on the date, recomputed from the visitor's date.
 *
 * The pages are built with the wording right for the day of the build (and stay right
 * without JavaScript that day). A page read later says what is true today:
 *   - [data-maillage-du] / [data-maillage-au] (AAAA-MM-JJ, both included, either may be
 *     missing): the element is shown only between those dates (a deadline within the next
 *     quarter, a convention past its end, temporary information, a freshness warning);
 *   - [data-maillage-relatif="AAAA-MM-JJ"]: « aujourd'hui », « demain », « dans 12 jours »,
 *     « il y a 3 jours » (the same wording as maillage.core.french.days_from);
 *   - [data-maillage-vide]: shown when the list named by its value (an id) shows no item.
 * No network, no state: the visitor's clock only.
 */
(function () {
  "use strict";

  function day(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 : null;
  }

  function today() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000;
  }

  function plural(n, word) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") + "\u00a0" + word + (n >= 2 ? "s" : "");
  }

  function relative(target, now) {
    var delta = target - now;
    if (delta === 0) return "aujourd'hui";
    if (delta === 1) return "demain";
    if (delta === -1) return "hier";
    return delta > 0 ? "dans " + plural(delta, "jour") : "il y a " + plural(-delta, "jour");
  }

  function update() {
    var now = today();
    document.querySelectorAll("[data-maillage-du], [data-maillage-au]").forEach(function (el) {
      var from = day(el.getAttribute("data-maillage-du"));
      var to = day(el.getAttribute("data-maillage-au"));
      el.hidden = (from !== null && now < from) || (to !== null && now > to);
    });
    document.querySelectorAll("[data-maillage-relatif]").forEach(function (el) {
      var target = day(el.getAttribute("data-maillage-relatif"));
      if (target !== null) el.textContent = relative(target, now);
    });
    document.querySelectorAll("[data-maillage-vide]").forEach(function (el) {
      var list = document.getElementById(el.getAttribute("data-maillage-vide"));
      if (!list) return;
      var shown = Array.prototype.some.call(list.children, function (item) { return !item.hidden; });
      el.hidden = shown;
      list.hidden = !shown;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  // Material's instant navigation replaces the page content without a new load.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(update);
  }
})();
