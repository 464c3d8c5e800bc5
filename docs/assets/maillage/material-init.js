/* Maillage — replaces the inline scripts of Material for MkDocs' templates, so the
 * site can forbid inline scripts (Content-Security-Policy: script-src 'self').
 * Loaded in <head>, before Material's bundle, which expects these globals. */
(function () {
  "use strict";
  var current = document.currentScript;
  var scope = (current && current.getAttribute("data-md-scope")) || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (value) {
    return Array.prototype.reduce.call(value, function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      return JSON.parse(storage.getItem(base.pathname + "." + key));
    } catch (e) {
      return null;
    }
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (e) {
      /* storage unavailable (private browsing): ignore */
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    /* Content tabs: restore the last selected tab, open the tab named in the URL. */
    var tabs = window.__md_get("__tabs");
    if (Array.isArray(tabs)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        if (!labels) return;
        tabs.some(function (tab) {
          return Array.prototype.some.call(labels.getElementsByTagName("label"), function (label) {
            if (label.innerText.trim() !== tab) return false;
            var input = document.getElementById(label.htmlFor);
            if (input) input.checked = true;
            return true;
          });
        });
      });
    }
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
  });
})();
