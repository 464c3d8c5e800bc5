/* Maillage — "Quel service pour ma commune ?" (/commune/).
 *
 * Reads commune/secteurs.json (sectorised structures and the communes they cover) and the
 * commune lists of the place resolver (communes.js). The chosen commune is kept in the URL
 * (?commune=50147). Text is inserted with textContent only.
 */
(function () {
  'use strict';
  var shared = window.MaillageCommunes;
  var el = shared.el, readConfig = shared.readConfig, communeLabel = shared.label;

  var root = document.getElementById('maillage-commune');
  if (!root) return;

  var $ = function (id) { return document.getElementById(id); };
  var ui = { form: $('mc-form'), input: $('mc-commune'), choix: $('mc-choix'), compte: $('mc-compte'), liste: $('mc-liste') };
  var config = readConfig();
  var racine = config.racine || '../';
  var sectors = null;
  var base = location.pathname.replace(/[^/]*$/, '');
  function resolveUrl(url) { return /^(\/|https?:)/.test(url) ? url : base + url; }
  var communesUrl = resolveUrl(root.dataset.communes || '../annuaire/communes.json');
  var places = new shared.Places([communesUrl, communesUrl.replace(/communes\.json$/, 'communes-voisines.json'),
    communesUrl.replace(/communes\.json$/, 'communes-france.json')]);
  var NOT_FOUND = 'Commune introuvable : vérifiez l\'orthographe, ou tapez son code postal.';

  /* A service and the site the family would go to (`site`: index in s.l, the nearest to the commune). */
  function serviceItem(s, site) {
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
    var lieu = s.l[site] || s.l[0];
    if (lieu[1]) item.appendChild(el('p', 'mc-adresse', (lieu[0] ? lieu[0] + ' — ' : '') + lieu[1]));
    if (s.l.length > 1) {
      var others = s.l.length - 1;
      item.appendChild(el('p', 'mc-autres', others > 1 ? 'Autres lieux : ' + others + ', voir la fiche.'
        : 'Autre lieu : voir la fiche.'));
    }
    if (lieu[2]) {
      var phone = el('p', 'mc-tel');
      phone.appendChild(document.createTextNode('Téléphone : '));
      var tel = el('a', null, lieu[2]);
      tel.href = 'tel:' + lieu[2].replace(/[^\d+]/g, '');
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

  function show(commune, message) {
    ui.liste.textContent = '';
    if (!commune) {
      ui.compte.textContent = message || (ui.input.value.trim() ? NOT_FOUND
        : 'Choisissez une commune pour voir les services qui la couvrent.');
      writeUrl(null);
      return;
    }
    var indices = sectors.c[commune[0]];
    var name = shared.shortName(commune);
    if (!indices) {
      var dep = commune[0].slice(0, 2) === '97' ? commune[0].slice(0, 3) : commune[0].slice(0, 2);
      ui.compte.textContent = name + ' (' + dep + ') n\'est pas une commune du département : aucun service de ' +
        'cet annuaire ne la couvre.';
      writeUrl(commune[0]);
      return;
    }
    ui.compte.textContent = indices.length
      ? indices.length + (indices.length > 1 ? ' services sectorisés couvrent ' : ' service sectorisé couvre ') + name + '.'
      : "Aucun service sectorisé n'est enregistré pour " + name + '.';
    var fragment = document.createDocumentFragment();
    indices.forEach(function (x) {
      var pair = Array.isArray(x) ? x : [x, 0];
      fragment.appendChild(serviceItem(sectors.s[pair[0]], pair[1]));
    });
    ui.liste.appendChild(fragment);
    writeUrl(commune[0]);
  }

  /* After Entrée on a phone, the answer may be below the screen: bring its first line into view. */
  function reveal() {
    var box = ui.compte.getBoundingClientRect();
    if (box.bottom > window.innerHeight) ui.compte.scrollIntoView({ block: 'start' });
  }

  function writeUrl(insee) {
    var params = new URLSearchParams(location.search);
    if (insee) params.set('commune', insee); else params.delete('commune');
    var query = params.toString();
    try { history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash); } catch (e) { /* ignore */ }
  }

  function choose(commune) {
    ui.input.value = communeLabel(commune);
    shared.choiceList(ui.choix, null);
    show(commune);
  }

  /* Entrée or a change: the commune, a choice between several, or « introuvable ». */
  function submit() {
    var text = ui.input.value;
    if (!text.trim()) { shared.choiceList(ui.choix, null); show(null); return; }
    places.resolveAll(text).then(function (result) {
      if (ui.input.value !== text) return;
      if (result.status === 'found') { shared.choiceList(ui.choix, null); show(result.commune); reveal(); return; }
      if (result.status === 'choice') {
        // Show the main commune at once, and offer the others.
        show(result.communes[0]);
        reveal();
        shared.choiceList(ui.choix, result.communes, choose, (result.postal ? 'Le code postal ' + result.postal +
          ' correspond à ' + result.communes.length + ' communes' : result.communes.length + ' communes portent ce nom') +
          ' : choisissez celle de l\'enfant.');
        return;
      }
      shared.choiceList(ui.choix, null);
      show(null, NOT_FOUND);
    });
  }

  function start(loaded) {
    sectors = loaded[0];
    places.add(0, loaded[1]);
    new shared.Combobox(ui.input, places, { onChoose: choose, maxTier: 1 });
    ui.form.addEventListener('submit', function (event) {
      event.preventDefault();
      submit();
    });
    ui.input.addEventListener('change', submit);
    ui.input.addEventListener('input', function () {
      // While typing, only an unambiguous commune shows its services.
      var result = places.resolve(ui.input.value, { typos: false });
      if (result.status === 'found') { shared.choiceList(ui.choix, null); show(result.commune); }
    });
    var insee = new URLSearchParams(location.search).get('commune');
    var initial = insee ? places.byInsee(insee) : null;
    if (initial || !insee) {
      if (initial) ui.input.value = communeLabel(initial);
      show(initial);
      root.dataset.etat = 'pret';
      return;
    }
    // A commune outside the département (a link from elsewhere): look in the other lists.
    Promise.all([places.load(1), places.load(2)]).then(function () {
      var found = places.byInsee(insee);
      if (found) ui.input.value = communeLabel(found);
      show(found, NOT_FOUND);
      root.dataset.etat = 'pret';
    });
  }

  Promise.all([
    shared.fetchJSON(resolveUrl(root.dataset.secteurs || 'secteurs.json')),
    shared.fetchJSON(communesUrl)
  ]).then(start).catch(function () {
    ui.compte.textContent = "La liste des services n'a pas pu être chargée. Réessayez plus tard.";
    root.dataset.etat = 'erreur';
  });
})();
