/* Maillage — "Quel service pour ma commune ?" (/commune/).
 *
 * Reads commune/secteurs.json (sectorised structures and the communes they cover)
 * and annuaire/communes.json (names and postal codes for the autocomplete). The
 * chosen commune is kept in the URL (?commune=50147). Text is inserted with
 * textContent only.
 */
(function () {
  'use strict';

  var root = document.getElementById('maillage-commune');
  if (!root) return;

  var $ = function (id) { return document.getElementById(id); };
  var ui = { form: $('mc-form'), input: $('mc-commune'), datalist: $('mc-communes'), compte: $('mc-compte'), liste: $('mc-liste') };
  var config = readConfig();
  var racine = config.racine || '../';
  var sectors = null;
  var communes = [];

  function readConfig() {
    var node = document.getElementById('maillage-config');
    if (!node) return {};
    try { return JSON.parse(node.textContent); } catch (e) { return {}; }
  }

  function fold(text) {
    return String(text).toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae')
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) throw new Error(url + ' : ' + response.status);
      return response.json();
    });
  }

  function communeLabel(c) {
    var name = c[1] + (c[5] ? ' (commune déléguée de ' + c[5] + ')' : '');
    return c[2].length ? name + ' (' + c[2][0] + ')' : name;
  }

  function findCommune(text) {
    var value = fold(text);
    if (!value) return null;
    var i;
    for (i = 0; i < communes.length; i++) if (fold(communeLabel(communes[i])) === value) return communes[i];
    if (/^\d[\dab]\d{3}$/.test(value)) {
      for (i = 0; i < communes.length; i++) if (communes[i][2].indexOf(value) >= 0) return communes[i];
      for (i = 0; i < communes.length; i++) if (fold(communes[i][0]) === value && !communes[i][5]) return communes[i];
    }
    var key = value.replace(/[^a-z0-9]+/g, ' ').trim();
    for (i = 0; i < communes.length; i++) if (fold(communes[i][1]).replace(/[^a-z0-9]+/g, ' ').trim() === key) return communes[i];
    return null;
  }

  function byInsee(insee) {
    for (var i = 0; i < communes.length; i++) if (communes[i][0] === insee && !communes[i][5]) return communes[i];
    return null;
  }

  function serviceItem(s) {
    var item = el('li', 'mc-service');
    item.dataset.id = s.i;
    var title = el('h2');
    var link = el('a', null, s.n);
    link.href = racine + s.u;
    title.appendChild(link);
    item.appendChild(title);
    var kind = s.c + (s.a ? ' · ' + s.a : '') + (s.g ? ' · ' + s.g[0] + '–' + s.g[1] + ' ans' : '');
    item.appendChild(el('p', 'mc-categorie', kind));
    if (s.x) item.appendChild(el('p', 'mc-alerte', 'Temporairement indisponible.'));
    if (s.ad) item.appendChild(el('p', 'mc-adresse', s.ad));
    if (s.tel) {
      var phone = el('p', 'mc-tel');
      phone.appendChild(document.createTextNode('Téléphone : '));
      var tel = el('a', null, s.tel);
      tel.href = 'tel:' + s.tel.replace(/[^\d+]/g, '');
      phone.appendChild(tel);
      item.appendChild(phone);
    }
    if (s.o) {
      var how = el('p', 'mc-orientation');
      how.appendChild(el('strong', null, 'Comment orienter un enfant : '));
      how.appendChild(document.createTextNode(s.o));
      item.appendChild(how);
    }
    if (s.adm) {
      var adm = el('p', 'mc-admission');
      adm.appendChild(el('strong', null, 'Admission : '));
      adm.appendChild(document.createTextNode(s.adm));
      item.appendChild(adm);
    }
    if (s.doc && s.doc.length) {
      var docs = el('p', 'mc-documents');
      docs.appendChild(el('strong', null, 'Documents à fournir : '));
      docs.appendChild(document.createTextNode(s.doc.join(', ')));
      item.appendChild(docs);
    }
    if (s.f) item.appendChild(el('p', 'mc-frais', 'Frais : ' + s.f));
    return item;
  }

  function show(commune) {
    ui.liste.textContent = '';
    if (!commune) {
      ui.compte.textContent = ui.input.value.trim()
        ? 'Commune introuvable : choisissez-la dans la liste proposée.'
        : 'Choisissez une commune pour voir les services qui la couvrent.';
      writeUrl(null);
      return;
    }
    var indices = sectors.c[commune[0]] || [];
    var name = commune[5] ? commune[1] + ' (' + commune[5] + ')' : commune[1];
    ui.compte.textContent = indices.length
      ? indices.length + (indices.length > 1 ? ' services sectorisés couvrent ' : ' service sectorisé couvre ') + name + '.'
      : "Aucun service sectorisé n'est enregistré pour " + name + '.';
    var fragment = document.createDocumentFragment();
    indices.forEach(function (i) { fragment.appendChild(serviceItem(sectors.s[i])); });
    ui.liste.appendChild(fragment);
    writeUrl(commune[0]);
  }

  function writeUrl(insee) {
    var params = new URLSearchParams(location.search);
    if (insee) params.set('commune', insee); else params.delete('commune');
    var query = params.toString();
    try { history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash); } catch (e) { /* ignore */ }
  }

  function start(loaded) {
    sectors = loaded[0];
    communes = loaded[1];
    var fragment = document.createDocumentFragment();
    communes.forEach(function (c) {
      var option = document.createElement('option');
      option.value = communeLabel(c);
      fragment.appendChild(option);
    });
    ui.datalist.appendChild(fragment);
    ui.form.addEventListener('submit', function (event) {
      event.preventDefault();
      show(findCommune(ui.input.value));
    });
    ui.input.addEventListener('change', function () { show(findCommune(ui.input.value)); });
    ui.input.addEventListener('input', function () {
      var c = findCommune(ui.input.value);
      if (c) show(c);
    });
    var insee = new URLSearchParams(location.search).get('commune');
    var initial = insee ? byInsee(insee) : null;
    if (initial) ui.input.value = communeLabel(initial);
    if (initial || !insee) show(initial);
    else ui.compte.textContent = 'Commune introuvable : choisissez-la dans la liste proposée.';
    root.dataset.etat = 'pret';
  }

  var base = location.pathname.replace(/[^/]*$/, '');
  function resolve(url) { return /^(\/|https?:)/.test(url) ? url : base + url; }
  Promise.all([
    fetchJSON(resolve(root.dataset.secteurs || 'secteurs.json')),
    fetchJSON(resolve(root.dataset.communes || '../annuaire/communes.json'))
  ]).then(start).catch(function () {
    ui.compte.textContent = "La liste des services n'a pas pu être chargée. Réessayez plus tard.";
    root.dataset.etat = 'erreur';
  });
})();
