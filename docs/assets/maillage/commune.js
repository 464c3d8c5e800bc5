/* Maillage — "Quel service pour ma commune ?" (/commune/).
 *
 * Reads commune/secteurs.json (sectorised structures and the communes they cover)
 * and annuaire/communes.json (names and postal codes for the autocomplete). The
 * chosen commune is kept in the URL (?commune=50147). Text is inserted with
 * textContent only.
 */
(function () {
  'use strict';
  var shared = window.MaillageCommunes;
  var fold = function (text) { return shared.fold(text).trim(); };
  var el = shared.el, readConfig = shared.readConfig, communeLabel = shared.label;
  function findCommune(text) { return shared.find(communes, text); }
  function byInsee(insee) { return shared.byInsee(communes, insee); }


  var root = document.getElementById('maillage-commune');
  if (!root) return;

  var $ = function (id) { return document.getElementById(id); };
  var ui = { form: $('mc-form'), input: $('mc-commune'), datalist: $('mc-communes'), compte: $('mc-compte'), liste: $('mc-liste') };
  var config = readConfig();
  var racine = config.racine || '../';
  var sectors = null;
  var communes = [];

  function fetchJSON(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) throw new Error(url + ' : ' + response.status);
      return response.json();
    });
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
    shared.fillDatalist(ui.datalist, communes);
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
