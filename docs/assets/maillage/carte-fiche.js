/* Maillage — small maps on record pages.
 *
 * Fills every <div class="maillage-carte"> with a Leaflet map. Markup:
 *   <div class="maillage-carte" data-nom="Nom affiché"
 *        data-points='[[49.0552,-1.44509,"Cabinet des Halles"], …]'></div>
 * or, for a single place, data-lat="49.0552" data-lon="-1.44509" (data-nom labels it).
 * Tiles come from <script type="application/json" id="maillage-config"> when the page
 * has one ({"tuiles", "attribution", "zoom_max"}), else the Plan IGN defaults. When
 * tiles cannot load the markers still show. Leaflet may be on the page already; if not,
 * it is loaded here (assets/vendor/leaflet/) when a map comes near the screen, so a page
 * can list only this script; when Leaflet cannot load, the div is hidden.
 */
(function () {
  'use strict';

  var DEFAULT_TILES = 'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0' +
    '&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png' +
    '&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}';
  var DEFAULT_ATTRIBUTION = '© IGN — Plan IGN';

  function readConfig() {
    var node = document.getElementById('maillage-config');
    if (!node) return {};
    try { return JSON.parse(node.textContent); } catch (e) { return {}; }
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function pointsOf(node) {
    var points = [];
    if (node.dataset.points) {
      try {
        JSON.parse(node.dataset.points).forEach(function (p) {
          if (Array.isArray(p) && isFinite(p[0]) && isFinite(p[1])) points.push([Number(p[0]), Number(p[1]), p[2] || '']);
        });
      } catch (e) { /* ignore a malformed attribute */ }
    }
    if (!points.length && node.dataset.lat && node.dataset.lon) {
      var lat = parseFloat(node.dataset.lat);
      var lon = parseFloat(node.dataset.lon);
      if (isFinite(lat) && isFinite(lon)) points.push([lat, lon, '']);
    }
    return points;
  }

  function scriptBase() {
    var script = document.currentScript;
    return script && script.src ? script.src.replace(/maillage\/carte-fiche\.js(\?.*)?$/, '') : null;
  }

  var assets = scriptBase();

  function hideAll(nodes) {
    Array.prototype.forEach.call(nodes, function (node) { node.hidden = true; });
  }

  /* Leaflet (script and style) from assets/vendor/, once, when a map is about to be seen. */
  function loadLeaflet(nodes) {
    if (!assets) { hideAll(nodes); return; }
    var started = false;
    function load() {
      if (started) return;
      started = true;
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = assets + 'vendor/leaflet/leaflet.css';
      document.head.appendChild(link);
      var script = document.createElement('script');
      script.src = assets + 'vendor/leaflet/leaflet.js';
      script.onload = draw;
      script.onerror = function () { hideAll(nodes); };
      document.head.appendChild(script);
    }
    if (!window.IntersectionObserver) { load(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); load(); }
    }, { rootMargin: '400px 0px' });
    Array.prototype.forEach.call(nodes, function (node) { observer.observe(node); });
  }

  function draw() {
    var nodes = document.querySelectorAll('.maillage-carte');
    if (!nodes.length) return;
    if (typeof L === 'undefined') {
      loadLeaflet(nodes);
      return;
    }
    var config = readConfig();
    if (assets) L.Icon.Default.imagePath = assets + 'vendor/leaflet/images/';
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.dataset.pret) return;
      var points = pointsOf(node);
      if (!points.length) { node.hidden = true; return; }
      if (!node.clientHeight) node.style.height = '300px';
      try {
        var zoomMax = config.zoom_max || 18;
        var map = L.map(node, { scrollWheelZoom: false, maxZoom: zoomMax });
        L.tileLayer(config.tuiles || DEFAULT_TILES, {
          maxZoom: zoomMax,
          attribution: escapeHtml(config.attribution || DEFAULT_ATTRIBUTION)
        }).addTo(map);
        var name = node.dataset.nom || '';
        var latlngs = points.map(function (p) {
          var title = p[2] ? name + ' — ' + p[2] : name;
          var marker = L.marker([p[0], p[1]], { title: title, alt: title }).addTo(map);
          if (title) {
            marker.bindPopup(function () {
              var box = document.createElement('div');
              box.textContent = title;
              return box;
            });
          }
          return marker.getLatLng();
        });
        if (latlngs.length === 1) map.setView(latlngs[0], Math.min(15, zoomMax));
        else map.fitBounds(L.latLngBounds(latlngs).pad(0.2), { maxZoom: 15 });
        node.dataset.pret = '1';
        node.dataset.marqueurs = String(latlngs.length);
      } catch (e) {
        node.hidden = true;
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
