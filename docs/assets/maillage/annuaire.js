/* Maillage — the directory (/annuaire/): search, facets, distance, map, URL state, print, CSV.
 *
 * Vanilla ES2019, no build step. Reads annuaire/index.json (built by
 * maillage.site.directory) and annuaire/communes.json. Record text is never inserted
 * as HTML: only textContent and createElement.
 */
(function () {
  'use strict';
  var shared = window.MaillageCommunes;
  var fold = shared.fold, el = shared.el, readConfig = shared.readConfig, communeLabel = shared.label;
  function findCommune(text) { return shared.find(communes, text); }
  function communeByInsee(insee) { return shared.byInsee(communes, insee); }
  function fillDatalist(datalist) { shared.fillDatalist(datalist, communes); }

  var root = document.getElementById('maillage-annuaire');
  if (!root) return;

  var PAGE_SIZE = 200;
  var PRINT_LIMIT = 5000;
  var FACET_VISIBLE = 8;
  var DEBOUNCE_MS = 150;
  var STOP_WORDS = { de: 1, du: 1, des: 1, la: 1, le: 1, les: 1, l: 1, d: 1, et: 1, a: 1, au: 1, aux: 1, en: 1, pour: 1, sur: 1 };
  var collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
  var $ = function (id) { return document.getElementById(id); };

  var config = readConfig();
  var racine = config.racine || '../';

  var ui = {
    form: $('ma-form'), q: $('ma-q'), lieu: $('ma-lieu'), datalist: $('ma-communes'), geoloc: $('ma-geoloc'),
    rayon: $('ma-rayon'), lieuEtat: $('ma-lieu-etat'), age: $('ma-age'), facettes: $('ma-facettes'),
    compte: $('ma-compte'), liste: $('ma-liste'), plus: $('ma-plus'), carte: $('ma-carte'),
    imprimer: $('ma-imprimer'), csv: $('ma-csv'), filtres: $('ma-filtres'), filtresN: $('ma-filtres-n'),
    effacer: $('ma-effacer'), puces: $('ma-puces'), voirCarte: $('ma-voir-carte')
  };
  // Same breakpoints as annuaire.css: filters as a left column, list and map side by side.
  var WIDE = window.matchMedia('(min-width: 1220px)');
  var NARROW = window.matchMedia('(max-width: 899.98px)');

  var data = null; // index.json
  var records = []; // index records, with precomputed fields
  var communes = []; // communes.json rows
  var search = null; // MiniSearch
  var facets = [];
  var state = { q: '', age: null, place: null, rayon: null, selected: {} };
  var results = [];
  var shown = 0;
  var map = null;
  var cluster = null;
  var highlight = null;
  var timings = [];

  // --- helpers -----------------------------------------------------------------------------

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  function haversineKm(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad;
    var dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function formatKm(km) {
    return (km < 10 ? km.toFixed(1) : String(Math.round(km))).replace('.', ',') + '\u00a0km';
  }

  function plural(n, one, many) { return n + ' ' + (n > 1 ? many : one); }

  function label(vocabulary, id) {
    var voc = data.voc[vocabulary] || {};
    return Object.prototype.hasOwnProperty.call(voc, id) ? voc[id] : id;
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) throw new Error(url + ' : ' + response.status);
      return response.json();
    });
  }

  // --- facets ------------------------------------------------------------------------------

  function defineFacets() {
    var communeNames = {};
    records.forEach(function (r) { r.l.forEach(function (p) { communeNames[p[2]] = p[3]; }); });
    var yesNo = { oui: 'Oui', non: 'Non' };
    function voc(name) { return function (v) { return label(name, v); }; }
    function from(map) { return function (v) { return map[v] || v; }; }
    return [
      { key: 'type', short: true, legend: 'Type de fiche', label: voc('k'), values: function (r) { return [r.k]; } },
      { key: 'profession', legend: 'Profession', label: voc('p'), values: function (r) { return r.k === 'p' ? [r.c] : []; } },
      { key: 'categorie', legend: 'Catégorie de structure', label: voc('c'), values: function (r) { return r.k === 's' ? [r.c] : []; } },
      { key: 'specialite', legend: 'Spécialité', label: voc('s'), values: function (r) { return r.s || []; } },
      { key: 'territoire', legend: 'Territoire', label: voc('t'), values: function (r) { return r.t || []; } },
      { key: 'commune', legend: 'Commune', label: from(communeNames), values: function (r) { return r._communes; } },
      { key: 'nouveaux', short: true, legend: 'Nouveaux patients', label: voc('np'), values: function (r) { return r.np ? [r.np] : []; } },
      { key: 'sante', legend: 'Santé protégée', label: voc('sp'), values: function (r) { return r.sp ? [r.sp] : []; } },
      { key: 'modalite', legend: 'Modalités de consultation', label: voc('m'), values: function (r) { return r.m || []; } },
      { key: 'secteur', short: true, legend: 'Secteur de conventionnement (CPAM)', label: voc('se'), values: function (r) { return r.se ? [r.se] : []; } },
      { key: 'tiers', short: true, legend: 'Tiers payant', label: from(yesNo), values: function (r) { return r.tp === 1 ? ['oui'] : r.tp === 0 ? ['non'] : []; } },
      { key: 'langue', short: true, legend: 'Langues parlées', label: voc('la'), values: function (r) { return r.la || []; } },
      { key: 'pmr', legend: 'Accessibilité', label: from({ oui: 'Accessible en fauteuil roulant' }), values: function (r) { return r.w === 1 ? ['oui'] : []; } }
    ];
  }

  function buildFacetControls() {
    facets.forEach(function (facet, index) {
      var counts = {};
      records.forEach(function (r) {
        var values = r._f[index];
        for (var i = 0; i < values.length; i++) counts[values[i]] = (counts[values[i]] || 0) + 1;
      });
      var values = Object.keys(counts).sort(function (a, b) { return collator.compare(facet.label(a), facet.label(b)); });
      facet.options = {};
      facet.order = values;
      facet.expanded = false;
      var fieldset = el('fieldset', 'ma-facette');
      fieldset.id = 'ma-f-' + facet.key;
      fieldset.appendChild(el('legend', null, facet.legend));
      var list = el('ul', facet.short ? 'ma-options ma-options-court' : 'ma-options');
      values.forEach(function (value, n) {
        var id = 'ma-f-' + facet.key + '-' + n;
        var item = el('li');
        var box = el('input');
        box.type = 'checkbox';
        box.id = id;
        box.name = facet.key;
        box.value = value;
        box.dataset.facet = facet.key;
        var lab = el('label');
        lab.htmlFor = id;
        lab.appendChild(document.createTextNode(facet.label(value) + ' '));
        var count = el('span', 'ma-n', '(' + counts[value] + ')');
        lab.appendChild(count);
        item.appendChild(box);
        item.appendChild(lab);
        list.appendChild(item);
        facet.options[value] = { item: item, box: box, count: count };
      });
      fieldset.appendChild(list);
      var more = el('button', 'ma-lien ma-voir-tout');
      more.type = 'button';
      more.hidden = true;
      more.setAttribute('aria-expanded', 'false');
      more.setAttribute('aria-controls', fieldset.id);
      more.addEventListener('click', function () {
        facet.expanded = !facet.expanded;
        more.setAttribute('aria-expanded', facet.expanded ? 'true' : 'false');
        refreshFacetVisibility(facet);
      });
      fieldset.appendChild(more);
      facet.fieldset = fieldset;
      facet.more = more;
      if (!values.length) fieldset.hidden = true;
      ui.facettes.appendChild(fieldset);
    });
  }

  function refreshFacetVisibility(facet) {
    var visible = 0;
    var hiddenByLimit = 0;
    facet.order.forEach(function (value) {
      var option = facet.options[value];
      var available = option.n > 0 || option.box.checked;
      var show = available && (facet.expanded || visible < FACET_VISIBLE || option.box.checked);
      if (available && !show) hiddenByLimit++;
      if (show) visible++;
      option.item.hidden = !show;
    });
    facet.fieldset.hidden = visible === 0;
    facet.more.hidden = !(hiddenByLimit > 0 || facet.expanded);
    facet.more.textContent = facet.expanded ? 'Afficher moins' : 'Afficher les ' + hiddenByLimit + ' autres';
  }

  // --- search ------------------------------------------------------------------------------

  function processTerm(term) {
    var t = fold(term);
    if (!t || STOP_WORDS[t]) return null;
    return t;
  }

  function buildSearch() {
    /* global MiniSearch */
    search = new MiniSearch({
      idField: 'id',
      fields: ['nom', 'type', 'specialites', 'lieux'],
      processTerm: processTerm,
      searchOptions: { prefix: true, fuzzy: 0.15, maxFuzzy: 2, combineWith: 'AND', boost: { nom: 2, type: 1.5 }, processTerm: processTerm }
    });
    search.addAll(records.map(function (r, index) {
      return {
        id: index,
        nom: r.n + (r.a ? ' ' + r.a : ''),
        type: label(r.k === 'p' ? 'p' : 'c', r.c),
        specialites: (r.s || []).map(function (s) { return label('s', s); }).join(' '),
        lieux: r.l.map(function (p) { return p[5]; }).concat((r.t || []).map(function (t) { return label('t', t); })).join(' ')
      };
    }));
  }

  // --- place -------------------------------------------------------------------------------

  function setPlace(place) {
    state.place = place;
    records.forEach(function (r) {
      r._d = null;
      if (!place) return;
      for (var i = 0; i < r.l.length; i++) {
        var d = haversineKm(place.lat, place.lon, r.l[i][0], r.l[i][1]);
        if (r._d === null || d < r._d) { r._d = d; r._near = i; }
      }
    });
    // The result count says the order; this line is for progress and errors only.
    ui.lieuEtat.textContent = '';
  }

  function placeFromCommune(c) {
    return { lat: c[3], lon: c[4], label: c[1], insee: c[0] };
  }

  function onPlaceInput(final) {
    var text = ui.lieu.value;
    if (!text.trim()) {
      if (state.place) { setPlace(null); update(); }
      return;
    }
    var c = findCommune(text);
    if (c) {
      if (!state.place || state.place.insee !== c[0] || state.place.label !== c[1]) {
        setPlace(placeFromCommune(c));
        update();
      }
    } else if (final) {
      ui.lieuEtat.textContent = 'Commune introuvable : choisissez-la dans la liste proposée.';
    }
  }

  function locate() {
    if (!navigator.geolocation) {
      ui.lieuEtat.textContent = 'Votre navigateur ne permet pas de vous localiser.';
      return;
    }
    ui.lieuEtat.textContent = 'Localisation en cours…';
    navigator.geolocation.getCurrentPosition(function (position) {
      ui.lieu.value = '';
      setPlace({ lat: position.coords.latitude, lon: position.coords.longitude, label: 'votre position', insee: null });
      update();
    }, function () {
      ui.lieuEtat.textContent = 'Position indisponible : saisissez plutôt une commune.';
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  }

  // --- filtering ---------------------------------------------------------------------------

  function compute() {
    var base;
    var scores = null;
    if (state.q.trim()) {
      scores = {};
      base = search.search(state.q).map(function (hit) { scores[hit.id] = hit.score; return records[hit.id]; });
    } else {
      base = records;
    }
    var age = state.age;
    var radius = state.place && state.rayon ? state.rayon : null;
    var selected = facets.map(function (f) { return state.selected[f.key] || null; });
    var counts = facets.map(function () { return {}; });
    var out = [];
    for (var i = 0; i < base.length; i++) {
      var r = base[i];
      if (age !== null && !(r.g && r.g[0] <= age && age <= r.g[1])) continue;
      if (radius !== null && !(r._d !== null && r._d <= radius)) continue;
      var failing = -1;
      var failures = 0;
      for (var f = 0; f < facets.length && failures < 2; f++) {
        if (!selected[f]) continue;
        var values = r._f[f];
        var ok = false;
        for (var v = 0; v < values.length; v++) if (selected[f][values[v]]) { ok = true; break; }
        if (!ok) { failures++; failing = f; }
      }
      if (failures === 0) {
        out.push(r);
        for (f = 0; f < facets.length; f++) addCounts(counts[f], r._f[f]);
      } else if (failures === 1) {
        addCounts(counts[failing], r._f[failing]);
      }
    }
    if (state.place) {
      out.sort(function (a, b) { return (a._d - b._d) || collator.compare(a.n, b.n); });
    } else if (scores) {
      out.sort(function (a, b) { return (scores[b._index] - scores[a._index]) || collator.compare(a.n, b.n); });
    }
    return { results: out, counts: counts };
  }

  function addCounts(target, values) {
    for (var v = 0; v < values.length; v++) target[values[v]] = (target[values[v]] || 0) + 1;
  }

  // --- rendering ---------------------------------------------------------------------------

  function renderCounts(counts) {
    facets.forEach(function (facet, f) {
      facet.order.forEach(function (value) {
        var option = facet.options[value];
        option.n = counts[f][value] || 0;
        option.count.textContent = '(' + option.n + ')';
      });
      refreshFacetVisibility(facet);
    });
  }

  function renderCount() {
    var total = records.length;
    var n = results.length;
    var text = n === 0 ? 'Aucun résultat' : plural(n, 'résultat', 'résultats');
    text += ' sur ' + plural(total, 'fiche', 'fiches');
    if (shown < n) text += ' (' + shown + ' affichés)';
    if (state.place) text += ', du plus proche au plus éloigné de ' + state.place.label;
    ui.compte.textContent = text + '.';
  }

  function recordItem(r) {
    var item = el('li', 'ma-fiche');
    item.dataset.id = r.i;
    var near = state.place && r._near ? r._near : 0;
    var head = el('p', 'ma-titre');
    var link = el('a', 'ma-nom', r.n);
    link.href = racine + r.u;
    head.appendChild(link);
    if (r.a && r.a !== r.n) head.appendChild(el('span', 'ma-sigle', ' (' + r.a + ')'));
    if (r._d !== null && r._d !== undefined) {
      head.appendChild(document.createTextNode(' '));
      head.appendChild(el('span', 'ma-distance', formatKm(r._d)));
    }
    item.appendChild(head);
    var meta = el('p', 'ma-meta');
    meta.appendChild(el('span', 'ma-type', label(r.k === 'p' ? 'p' : 'c', r.c)));
    if (r.l[near]) {
      meta.appendChild(document.createTextNode(' · '));
      meta.appendChild(el('span', 'ma-commune', r.l[near][3]));
    }
    item.appendChild(meta);
    var badges = el('ul', 'ma-badges');
    function badge(text, kind) { badges.appendChild(el('li', 'ma-badge' + (kind ? ' ma-badge-' + kind : ''), text)); }
    if (r.x) badge('Temporairement indisponible', 'alerte');
    if (r.np) badge('Nouveaux patients : ' + label('np', r.np).toLowerCase(), 'np-' + r.np);
    if (r.sp) badge('Santé protégée : ' + label('sp', r.sp).toLowerCase(), 'sp');
    if (r.g) badge(r.g[0] + '–' + r.g[1] + ' ans', 'age');
    if (r.se) badge(label('se', r.se));
    if (r.tp === 1) badge('Tiers payant');
    if (r.w === 1) badge('Accessible en fauteuil roulant');
    if (badges.children.length) item.appendChild(badges);
    var places = el('ul', 'ma-lieux');
    var order = r.l.map(function (p, i) { return i; });
    if (near) { order.splice(near, 1); order.unshift(near); }
    order.forEach(function (i) {
      var p = r.l[i];
      var li = el('li', 'ma-lieu');
      li.appendChild(el('span', 'ma-adresse', p[5]));
      if (p[4]) {
        li.appendChild(document.createTextNode(' '));
        var tel = el('a', 'ma-tel', p[4]);
        tel.href = 'tel:' + p[4].replace(/[^\d+]/g, '');
        li.appendChild(tel);
      }
      places.appendChild(li);
    });
    item.appendChild(places);
    return item;
  }

  // --- active filters: summary count and removable chips -----------------------------------

  function activeFilters() {
    var out = [];
    facets.forEach(function (facet) {
      var sel = state.selected[facet.key];
      if (!sel) return;
      facet.order.forEach(function (value) {
        if (!sel[value]) return;
        out.push({ text: facet.label(value), name: facet.legend + ' : ' + facet.label(value), facet: true,
          remove: function () {
            facet.options[value].box.checked = false;
            delete sel[value];
            if (!Object.keys(sel).length) delete state.selected[facet.key];
          } });
      });
    });
    if (state.age !== null) {
      out.push({ text: plural(state.age, 'an', 'ans'), name: "Âge de l'enfant : " + plural(state.age, 'an', 'ans'),
        remove: function () { state.age = null; ui.age.value = ''; } });
    }
    if (state.place) {
      out.push({ text: 'Près de ' + state.place.label, name: 'Près de ' + state.place.label,
        remove: function () { ui.lieu.value = ''; setPlace(null); } });
    }
    if (state.rayon) {
      out.push({ text: 'Moins de ' + state.rayon + ' km', name: 'Rayon : ' + state.rayon + ' km',
        remove: function () { state.rayon = null; ui.rayon.value = ''; } });
    }
    return out;
  }

  function renderActive() {
    var active = activeFilters();
    var inPanel = active.filter(function (a) { return a.facet; }).length;
    ui.filtresN.textContent = inPanel ? '(' + inPanel + ' actif' + (inPanel > 1 ? 's)' : ')') : '';
    ui.puces.textContent = '';
    active.forEach(function (a, index) {
      var li = el('li');
      var button = el('button', 'ma-puce');
      button.type = 'button';
      button.setAttribute('aria-label', 'Retirer le filtre « ' + a.name + ' »');
      button.appendChild(el('span', null, a.text));
      var cross = el('span', 'ma-puce-x', '×');
      cross.setAttribute('aria-hidden', 'true');
      button.appendChild(cross);
      button.addEventListener('click', function () {
        a.remove();
        update();
        // Keep the keyboard where it was: the next chip, else the filters' summary.
        var chips = ui.puces.querySelectorAll('button');
        (chips[Math.min(index, chips.length - 1)] || ui.filtres.querySelector('summary')).focus();
      });
      li.appendChild(button);
      ui.puces.appendChild(li);
    });
    ui.puces.hidden = active.length === 0;
    ui.effacer.disabled = active.length === 0;
  }

  function clearFilters() {
    facets.forEach(function (facet) {
      facet.order.forEach(function (value) { facet.options[value].box.checked = false; });
    });
    state.selected = {};
    state.age = null;
    ui.age.value = '';
    state.rayon = null;
    ui.rayon.value = '';
    ui.lieu.value = '';
    setPlace(null);
    update();
  }

  function renderList(limit) {
    var fragment = document.createDocumentFragment();
    var end = Math.min(limit, results.length);
    for (var i = shown; i < end; i++) fragment.appendChild(recordItem(results[i]));
    ui.liste.appendChild(fragment);
    shown = end;
    ui.plus.hidden = shown >= results.length;
    if (!ui.plus.hidden) ui.plus.textContent = 'Afficher plus de résultats (' + (results.length - shown) + ' restants)';
  }

  function update() {
    if (!data) return;
    var start = performance.now();
    var computed = compute();
    results = computed.results;
    renderCounts(computed.counts);
    ui.liste.textContent = '';
    shown = 0;
    renderList(PAGE_SIZE);
    renderCount();
    renderActive();
    var elapsed = performance.now() - start;
    timings.push(elapsed);
    if (timings.length > 200) timings.shift();
    root.dataset.rendu = String(timings.length + (Number(root.dataset.rendu) || 0));
    writeUrl();
    scheduleMap();
  }

  // --- map ---------------------------------------------------------------------------------

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function initMap() {
    if (!ui.carte || typeof L === 'undefined') {
      if (ui.carte) ui.carte.hidden = true;
      return;
    }
    try {
      L.Icon.Default.imagePath = racine + 'assets/vendor/leaflet/images/';
      map = L.map(ui.carte, { scrollWheelZoom: false, maxZoom: config.zoom_max || 18 });
      L.tileLayer(config.tuiles, {
        maxZoom: config.zoom_max || 18,
        attribution: escapeHtml(config.attribution || '')
      }).addTo(map);
      cluster = typeof L.markerClusterGroup === 'function'
        ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false })
        : L.layerGroup();
      map.addLayer(cluster);
      highlight = L.layerGroup().addTo(map);
      var lat = 0; var lon = 0;
      communes.forEach(function (c) { lat += c[3]; lon += c[4]; });
      if (communes.length) map.setView([lat / communes.length, lon / communes.length], 9);
      else map.setView([46.6, 2.4], 6);
    } catch (e) {
      map = null;
      ui.carte.hidden = true;
    }
  }

  function popupFor(r) {
    return function () {
      var box = el('div', 'ma-popup');
      var link = el('a', null, r.n);
      link.href = racine + r.u;
      box.appendChild(link);
      box.appendChild(el('div', null, label(r.k === 'p' ? 'p' : 'c', r.c)));
      return box;
    };
  }

  function markersOf(r) {
    if (!r._markers) {
      r._markers = r.l.map(function (p) {
        var marker = L.marker([p[0], p[1]], { title: r.n, alt: r.n });
        marker.bindPopup(popupFor(r));
        return marker;
      });
    }
    return r._markers;
  }

  function onMedia(query, fn) {
    if (query.addEventListener) query.addEventListener('change', fn); else query.addListener(fn);
  }

  /* On phones the map stays in the page but folded behind "Voir la carte" (it costs tiles
   * and a screen of scrolling); Leaflet must measure it again once shown. */
  function showMap(open) {
    root.classList.toggle('ma-carte-ouverte', open);
    ui.voirCarte.setAttribute('aria-expanded', open ? 'true' : 'false');
    ui.voirCarte.textContent = open ? 'Masquer la carte' : 'Voir la carte';
    if (map && open) {
      map.invalidateSize();
      renderMap();
    }
  }

  var mapTimer = null;
  function scheduleMap() {
    if (!map) return;
    clearTimeout(mapTimer);
    mapTimer = setTimeout(renderMap, 0);
  }

  function renderMap() {
    var markers = [];
    var withMarker = 0;
    results.forEach(function (r) {
      var list = markersOf(r);
      if (list.length) withMarker++;
      for (var i = 0; i < list.length; i++) markers.push(list[i]);
    });
    cluster.clearLayers();
    if (cluster.addLayers) cluster.addLayers(markers); else markers.forEach(function (m) { cluster.addLayer(m); });
    ui.carte.dataset.marqueurs = String(markers.length);
    ui.carte.dataset.fiches = String(withMarker);
    // A folded map (phones) has no size to fit: showMap() renders again when it opens.
    if (markers.length && ui.carte.offsetWidth > 0) {
      var bounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
      if (state.place) bounds.extend([state.place.lat, state.place.lon]);
      map.fitBounds(bounds.pad(0.1), { maxZoom: 13, animate: false });
    }
  }

  function highlightRecord(id) {
    if (!map) return;
    highlight.clearLayers();
    if (!id) return;
    var r = null;
    for (var i = 0; i < results.length; i++) if (results[i].i === id) { r = results[i]; break; }
    if (!r) return;
    r.l.forEach(function (p) {
      L.circleMarker([p[0], p[1]], { radius: 16, color: '#c2185b', weight: 3, fill: false, interactive: false }).addTo(highlight);
    });
  }

  function onListHover(event) {
    var item = event.target.closest ? event.target.closest('.ma-fiche') : null;
    highlightRecord(item ? item.dataset.id : null);
  }

  // --- URL state ---------------------------------------------------------------------------

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q.trim()) params.set('q', state.q.trim());
    facets.forEach(function (facet) {
      var sel = state.selected[facet.key];
      if (sel) params.set(facet.key, Object.keys(sel).sort().join(','));
    });
    if (state.age !== null) params.set('age', String(state.age));
    if (state.place && state.place.insee) params.set('pres', state.place.insee);
    if (state.rayon) params.set('rayon', String(state.rayon));
    var query = params.toString();
    var url = location.pathname + (query ? '?' + query : '') + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      try { history.replaceState(null, '', url); } catch (e) { /* file:// or sandboxed */ }
    }
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get('q') || '';
    ui.q.value = state.q;
    facets.forEach(function (facet) {
      var raw = params.get(facet.key);
      if (!raw) return;
      var sel = {};
      raw.split(',').forEach(function (value) {
        if (facet.options[value]) { sel[value] = true; facet.options[value].box.checked = true; }
      });
      if (Object.keys(sel).length) state.selected[facet.key] = sel;
    });
    var age = parseInt(params.get('age'), 10);
    if (!isNaN(age) && age >= 0) { state.age = age; ui.age.value = String(age); }
    var rayon = parseInt(params.get('rayon'), 10);
    if (!isNaN(rayon) && rayon > 0) {
      state.rayon = rayon;
      ui.rayon.value = String(rayon);
      if (ui.rayon.value !== String(rayon)) {
        var option = el('option', null, rayon + ' km');
        option.value = String(rayon);
        ui.rayon.appendChild(option);
        ui.rayon.value = String(rayon);
      }
    }
    var insee = params.get('pres');
    if (insee) {
      var c = communeByInsee(insee);
      if (c) { ui.lieu.value = communeLabel(c); setPlace(placeFromCommune(c)); }
    }
  }

  // --- print and CSV -----------------------------------------------------------------------

  function csvCell(value) {
    var text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[";\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv() {
    var header = ['Nom', 'Type', 'Profession ou catégorie', 'Spécialités', 'Adresse', 'Commune', 'Code INSEE',
      'Téléphone', 'Distance (km)', 'Âges', 'Nouveaux patients', 'Santé protégée', 'Secteur', 'Tiers payant',
      'Langues', 'Fiche'];
    var lines = [header.map(csvCell).join(';')];
    results.forEach(function (r) {
      var p = r.l[state.place && r._near ? r._near : 0] || [];
      var url = new URL(racine + r.u, location.href).href;
      lines.push([
        r.n, label('k', r.k), label(r.k === 'p' ? 'p' : 'c', r.c),
        (r.s || []).map(function (s) { return label('s', s); }).join(', '),
        p[5], p[3], p[2], p[4],
        r._d !== null && r._d !== undefined ? r._d.toFixed(1).replace('.', ',') : '',
        r.g ? r.g[0] + '-' + r.g[1] : '', r.np ? label('np', r.np) : '', r.sp ? label('sp', r.sp) : '',
        r.se ? label('se', r.se) : '', r.tp === 1 ? 'Oui' : r.tp === 0 ? 'Non' : '',
        (r.la || []).map(function (l) { return label('la', l); }).join(', '), url
      ].map(csvCell).join(';'));
    });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  function downloadCsv() {
    var blob = new Blob([toCsv()], { type: 'text/csv;charset=utf-8' });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = 'annuaire-selection.csv';
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function beforePrint() {
    if (shown < results.length) { renderList(Math.min(results.length, PRINT_LIMIT)); renderCount(); }
  }

  // --- wiring ------------------------------------------------------------------------------

  function toggleFacet(event) {
    var box = event.target;
    if (!box || !box.dataset || !box.dataset.facet) return;
    var key = box.dataset.facet;
    var sel = state.selected[key] || {};
    if (box.checked) sel[box.value] = true; else delete sel[box.value];
    if (Object.keys(sel).length) state.selected[key] = sel; else delete state.selected[key];
    update();
  }

  function wire() {
    var typed = debounce(function () { state.q = ui.q.value; update(); }, DEBOUNCE_MS);
    ui.q.addEventListener('input', typed);
    ui.form.addEventListener('submit', function (event) {
      event.preventDefault();
      state.q = ui.q.value;
      onPlaceInput(true);
      update();
      // On a phone, close the keyboard so the results show.
      if (NARROW.matches && document.activeElement && document.activeElement.blur) document.activeElement.blur();
    });
    ui.effacer.addEventListener('click', clearFilters);
    ui.voirCarte.addEventListener('click', function () { showMap(!root.classList.contains('ma-carte-ouverte')); });
    ui.filtres.open = WIDE.matches;
    onMedia(WIDE, function () { ui.filtres.open = WIDE.matches; });
    onMedia(NARROW, function () { if (map) { map.invalidateSize(); scheduleMap(); } });
    ui.facettes.addEventListener('change', toggleFacet);
    ui.age.addEventListener('input', debounce(function () {
      var age = parseInt(ui.age.value, 10);
      state.age = isNaN(age) || age < 0 ? null : age;
      update();
    }, DEBOUNCE_MS));
    ui.lieu.addEventListener('input', debounce(function () { onPlaceInput(false); }, DEBOUNCE_MS));
    ui.lieu.addEventListener('change', function () { onPlaceInput(true); });
    ui.rayon.addEventListener('change', function () {
      var km = parseInt(ui.rayon.value, 10);
      state.rayon = isNaN(km) ? null : km;
      update();
    });
    ui.geoloc.addEventListener('click', locate);
    ui.plus.addEventListener('click', function () {
      var next = ui.liste.children.length;
      renderList(shown + PAGE_SIZE);
      renderCount();
      var first = ui.liste.children[next];
      if (first) { var link = first.querySelector('a'); if (link) link.focus(); }
    });
    ui.imprimer.addEventListener('click', function () { beforePrint(); window.print(); });
    window.addEventListener('beforeprint', beforePrint);
    ui.csv.addEventListener('click', downloadCsv);
    ui.liste.addEventListener('mouseover', onListHover);
    ui.liste.addEventListener('focusin', onListHover);
    ui.liste.addEventListener('mouseleave', function () { highlightRecord(null); });
    ui.liste.addEventListener('focusout', function () { highlightRecord(null); });
  }

  function start(loaded) {
    data = loaded[0];
    communes = loaded[1] || [];
    records = data.r;
    var folders = data.url || { p: 'professionnels/', s: 'structures/' };
    records.forEach(function (r, index) {
      r._index = index;
      r.u = folders[r.k] + r.i + '/';
      r.l.forEach(function (p) { p[5] = p[5] + ', ' + (p[6] ? p[6] + ' ' : '') + p[3]; });
      r._d = null;
      var seen = {};
      r._communes = [];
      r.l.forEach(function (p) { if (!seen[p[2]]) { seen[p[2]] = 1; r._communes.push(p[2]); } });
    });
    facets = defineFacets();
    records.forEach(function (r) { r._f = facets.map(function (f) { return f.values(r); }); });
    buildSearch();
    buildFacetControls();
    fillDatalist(ui.datalist);
    readUrl();
    initMap();
    wire();
    update();
    root.dataset.etat = 'pret';
  }

  window.maillageAnnuaire = {
    timings: timings,
    results: function () { return results.map(function (r) { return r.i; }); }
  };

  var base = location.pathname.replace(/[^/]*$/, '');
  Promise.all([
    fetchJSON(base + (root.dataset.index || 'index.json')),
    fetchJSON(base + (root.dataset.communes || 'communes.json')).catch(function () { return []; })
  ]).then(start).catch(function () {
    ui.compte.textContent = "L'annuaire n'a pas pu être chargé. Réessayez plus tard, ou consultez les données ouvertes.";
    root.dataset.etat = 'erreur';
  });
})();
