/* Maillage — the directory (/annuaire/): one search box that understands whole questions,
 * filters, distance, map, URL state, print, CSV.
 *
 * Vanilla ES2019, no build step. Reads annuaire/index.json (built by
 * maillage.site.directory) and the commune lists of communes.js. Record text is never
 * inserted as HTML: only textContent and createElement.
 *
 * The search box (and ?q= in the URL) is read as a question (see parseQuery):
 *   - a commune or a postal code becomes "near this commune": results sorted by distance;
 *   - words of the vocabularies (professions, categories, specialties, territories,
 *     languages) with their plurals and synonyms, and the flags staff ask for
 *     (« nouveaux patients », « tiers payant », « secteur 1 », « Santé protégée »,
 *     « PMR », « visio », « domicile »…), become filters;
 *   - « 7 ans » is the child's age, « 20 km » the radius;
 *   - linking words (« de », « qui », « pour », « parle »…) are ignored;
 *   - what is left searches names, place names and descriptions, with typo tolerance
 *     (never inside two-letter fragments).
 * Each understood part shows as a removable chip; removing it removes its words.
 */
(function () {
  'use strict';
  var shared = window.MaillageCommunes;
  var fold = shared.fold, el = shared.el, readConfig = shared.readConfig, communeLabel = shared.label;

  var root = document.getElementById('maillage-annuaire');
  if (!root) return;

  var FIRST_PAGE = 20; // cards rendered at once; more as the list is scrolled
  var NEXT_PAGE = 40;
  var PRINT_LIMIT = 5000;
  var FACET_VISIBLE = 8;
  var DEBOUNCE_MS = 150;
  var FEW = 3; // fewer results than this: say how many there would be without each criterion
  var FAR_KM = 30; // beyond this, the nearest result is said to be far
  var MAX_PHRASE = 6; // words in the longest vocabulary phrase or commune name tried
  // Words that say the child's age: [from, to, chip].
  var TEEN = [12, 17, 'adolescent (12 à 17 ans)'];
  var BABY = [0, 2, 'bébé (0 à 2 ans)'];
  var TITLES = { dr: 1, docteur: 1, docteure: 1, doctoresse: 1, pr: 1, professeur: 1, professeure: 1 };
  var AGE_WORDS = { ado: TEEN, ados: TEEN, adolescent: TEEN, adolescente: TEEN, adolescents: TEEN, adolescentes: TEEN,
    bebe: BABY, bebes: BABY, nourrisson: BABY, nourrissons: BABY };
  // Linking words (« de », « qui », « parle »…), ignored in questions and in the phrases of the
  // vocabularies: the index ships them (maillage.site.directory.SEARCH_FILLERS).
  var FILLERS = {};
  var collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
  var $ = function (id) { return document.getElementById(id); };

  var config = readConfig();
  var racine = config.racine || '../';

  var ui = {
    form: $('ma-form'), q: $('ma-q'), lieu: $('ma-lieu'), geoloc: $('ma-geoloc'), choix: $('ma-lieu-choix'),
    rayon: $('ma-rayon'), lieuEtat: $('ma-lieu-etat'), age: $('ma-age'), facettes: $('ma-facettes'),
    compte: $('ma-compte'), note: $('ma-note'), liste: $('ma-liste'), plus: $('ma-plus'), carte: $('ma-carte'),
    imprimer: $('ma-imprimer'), csv: $('ma-csv'), filtres: $('ma-filtres'), filtresN: $('ma-filtres-n'),
    effacer: $('ma-effacer'), puces: $('ma-puces'), actifs: $('ma-actifs'), voirCarte: $('ma-voir-carte'),
    criteres: $('ma-criteres'), sans: $('ma-sans'), compris: $('ma-compris'), comprisListe: $('ma-compris-liste'), secteurs: $('ma-secteurs'),
    secteursLien: $('ma-secteurs-lien'),
    barre: $('ma-barre')
  };
  // Same breakpoints as annuaire.css: filters as a left column, list and map side by side.
  var WIDE = window.matchMedia('(min-width: 1220px)');
  var NARROW = window.matchMedia('(max-width: 899.98px)');

  var base = location.pathname.replace(/[^/]*$/, '');
  var communesUrl = base + (root.dataset.communes || 'communes.json');
  var places = new shared.Places([communesUrl, communesUrl.replace(/communes\.json$/, 'communes-voisines.json'),
    communesUrl.replace(/communes\.json$/, 'communes-france.json')]);

  var data = null; // index.json
  var records = []; // index records, with precomputed fields
  var search = null; // MiniSearch, built when first needed
  var facets = [];
  var byKey = {};
  var lexicon = null;
  var nameWords = {};
  // q: the search box; selected: filters ticked in the panel; place: the "near" field.
  var state = { q: '', age: null, place: null, rayon: null, selected: {} };
  var parsed = null; // parseQuery(state.q)
  var effective = null; // what the results answer: panel + question
  var sectors = null; // commune/secteurs.json, read when a commune of the département is the place
  var sectorsAsked = false;
  var lastBase = []; // the records the results were filtered from (the text search's hits, or all)
  var results = [];
  var shown = 0;
  var dropped = null; // words of the question that nothing matched (results shown without them)
  var map = null;
  var cluster = null;
  var highlight = null;
  var mapLoading = null;
  var distanceFrom = null;
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

  function idle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 1500 });
    else setTimeout(fn, 50);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadStyle(href) {
    if (document.querySelector('link[href="' + href + '"]')) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }

  // --- facets ------------------------------------------------------------------------------

  function defineFacets() {
    var communeNames = {};
    records.forEach(function (r) { r.l.forEach(function (p) { communeNames[p[2]] = p[3]; }); });
    function voc(name) { return function (v) { return label(name, v); }; }
    function from(map) { return function (v) { return map[v] || v; }; }
    // A chip says what it filters: « Tiers payant : oui », not « Oui ».
    function said(legend, name) { return function (v) { return legend + ' : ' + label(name, v).toLowerCase(); }; }
    return [
      { key: 'type', voc: 'k', short: true, legend: 'Type de fiche', label: voc('k'), chip: voc('k'), values: function (r) { return [r.k]; } },
      { key: 'profession', voc: 'p', legend: 'Profession', label: voc('p'), values: function (r) { return r.k === 'p' ? [r.c] : []; } },
      { key: 'categorie', voc: 'c', legend: 'Catégorie de structure', label: voc('c'), values: function (r) { return r.k === 's' ? [r.c] : []; } },
      { key: 'specialite', voc: 's', legend: 'Spécialité', label: voc('s'), values: function (r) { return r.s || []; } },
      { key: 'territoire', voc: 't', legend: 'Territoire', label: voc('t'), values: function (r) { return r.t || []; } },
      { key: 'commune', legend: 'Commune', label: from(communeNames), values: function (r) { return r._communes; } },
      { key: 'nouveaux', voc: 'np', short: true, legend: 'Nouveaux patients', label: voc('np'), chip: said('Nouveaux patients', 'np'), values: function (r) { return r.np ? [r.np] : []; } },
      { key: 'sante', voc: 'sp', legend: 'Santé protégée', label: voc('sp'), values: function (r) { return r.sp ? [r.sp] : []; } },
      { key: 'modalite', voc: 'm', legend: 'Modalités de consultation', label: voc('m'), values: function (r) { return r.m || []; } },
      { key: 'secteur', voc: 'se', short: true, legend: 'Secteur de conventionnement (CPAM)', label: voc('se'), values: function (r) { return r.se ? [r.se] : []; } },
      { key: 'tiers', voc: 'tp', short: true, legend: 'Tiers payant', label: voc('tp'), chip: said('Tiers payant', 'tp'), values: function (r) { return r.tp === 1 ? ['oui'] : r.tp === 0 ? ['non'] : []; } },
      { key: 'langue', voc: 'la', short: true, legend: 'Langues parlées', label: voc('la'), values: function (r) { return r.la || []; } },
      { key: 'pmr', voc: 'w', legend: 'Accessibilité', label: voc('w'), values: function (r) { return r.w === 1 ? ['oui'] : []; } }
    ];
  }

  /* « Profession : Orthophoniste », but « Nouveaux patients : oui », not the legend twice. */
  function named(facet, text) {
    return shared.fold(text).indexOf(shared.fold(facet.legend)) === 0 ? text : facet.legend + ' : ' + text;
  }

  function chipText(facet, value) { return facet.chip ? facet.chip(value) : facet.label(value); }

  /* Each facet: its fieldset, and a checkbox per value created when first shown. */
  function buildFacetControls() {
    facets.forEach(function (facet, index) {
      var seen = facet.seen;
      delete facet.seen;
      facet.index = index;
      facet.all = Object.keys(seen).sort(function (a, b) { return collator.compare(facet.label(a), facet.label(b)); });
      facet.options = {};
      facet.counts = {};
      facet.shownOrder = '';
      facet.expanded = false;
      var fieldset = el('fieldset', 'ma-facette');
      fieldset.id = 'ma-f-' + facet.key;
      fieldset.appendChild(el('legend', null, facet.legend));
      facet.list = el('ul', facet.short ? 'ma-options ma-options-court' : 'ma-options');
      fieldset.appendChild(facet.list);
      var more = el('button', 'ma-lien ma-voir-tout');
      more.type = 'button';
      more.hidden = true;
      more.setAttribute('aria-expanded', 'false');
      more.setAttribute('aria-controls', fieldset.id);
      more.addEventListener('click', function () {
        facet.expanded = !facet.expanded;
        more.setAttribute('aria-expanded', facet.expanded ? 'true' : 'false');
        renderFacet(facet);
      });
      fieldset.appendChild(more);
      facet.fieldset = fieldset;
      facet.more = more;
      if (!facet.all.length) fieldset.hidden = true;
      ui.facettes.appendChild(fieldset);
    });
  }

  function optionOf(facet, value) {
    var option = facet.options[value];
    if (option) return option;
    var id = 'ma-f-' + facet.key + '-' + facet.all.indexOf(value);
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
    var count = el('span', 'ma-n');
    lab.appendChild(count);
    item.appendChild(box);
    item.appendChild(lab);
    option = facet.options[value] = { item: item, box: box, count: count, n: -1 };
    return option;
  }

  /* Values ordered by count (selected first), the first FACET_VISIBLE shown; the others,
   * zero counts included, behind "Afficher les N autres". */
  function renderFacet(facet) {
    var sel = effective.selected[facet.key] || {};
    var counts = facet.counts;
    var ordered = facet.all.slice().sort(function (a, b) {
      return ((sel[b] ? 1 : 0) - (sel[a] ? 1 : 0)) || ((counts[b] || 0) - (counts[a] || 0)) ||
        collator.compare(facet.label(a), facet.label(b));
    });
    var visible = [];
    var hidden = 0;
    ordered.forEach(function (value) {
      var first = sel[value] || ((counts[value] || 0) > 0 && visible.length < FACET_VISIBLE);
      if (facet.expanded || first) visible.push(value); else hidden++;
    });
    var order = visible.join('\u0001');
    if (order !== facet.shownOrder) {
      var focused = document.activeElement;
      facet.list.textContent = '';
      visible.forEach(function (value) { facet.list.appendChild(optionOf(facet, value).item); });
      facet.shownOrder = order;
      if (focused && focused.dataset && focused.dataset.facet === facet.key && facet.list.contains(focused)) focused.focus();
    }
    visible.forEach(function (value) {
      var option = optionOf(facet, value);
      var n = counts[value] || 0;
      if (option.n !== n) { option.n = n; option.count.textContent = '(' + n + ')'; }
      option.box.checked = !!sel[value];
    });
    facet.fieldset.hidden = facet.all.length === 0;
    facet.more.hidden = !(hidden > 0 || facet.expanded);
    facet.more.textContent = facet.expanded ? 'Afficher moins' : hidden === 1 ? 'Afficher 1 autre' : 'Afficher les ' + hidden + ' autres';
  }

  // --- the question: vocabulary, places, ages, distances ------------------------------------

  /* Words of a phrase, without linking words, each reduced to a singular-ish stem. */
  function stem(word) {
    if (word.length > 4 && /aux$/.test(word)) return word.slice(0, -1);
    if (word.length > 3 && /[sx]$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function contentWords(text) {
    return shared.words(text).filter(function (w) { return !FILLERS[w]; }).map(stem);
  }

  /* phrase key → { facet, values, text } from the labels, plurals and synonyms of the index. */
  function buildLexicon() {
    var phrases = {};
    var ambiguous = {};
    var singles = [];
    var longest = 1;
    function add(text, entry) {
      var key = contentWords(text).join(' ');
      if (!key) return;
      var known = phrases[key];
      if (known && known.facet === entry.facet && known.values.join() === entry.values.join()) return;
      if (known) { ambiguous[key] = 1; return; }
      phrases[key] = entry;
      longest = Math.max(longest, key.split(' ').length);
      if (key.indexOf(' ') < 0 && key.length >= 5 && !/\d/.test(key)) singles.push(key);
    }
    facets.forEach(function (facet) {
      if (!facet.voc) return;
      var labels = data.voc[facet.voc] || {};
      var plurals = (data.pl || {})[facet.voc] || {};
      var synonyms = (data.syn || {})[facet.voc] || {};
      // Labels of the vocabularies are phrases; short labels of flags (« Oui ») are not.
      var useLabels = ['p', 'c', 's', 't', 'la', 'm', 'se', 'sp'].indexOf(facet.voc) >= 0;
      Object.keys(labels).forEach(function (value) {
        var entry = { facet: facet.key, values: [value], text: chipText(facet, value) };
        if (useLabels) {
          add(labels[value], entry);
          add(labels[value].replace(/\s*\([^)]*\)\s*$/, ''), entry);
          if (plurals[value]) { add(plurals[value], entry); add(plurals[value].replace(/\s*\([^)]*\)\s*$/, ''), entry); }
        }
      });
      Object.keys(synonyms).forEach(function (value) {
        var entry = { facet: facet.key, values: [value], text: chipText(facet, value) };
        synonyms[value].forEach(function (s) { add(s, entry); });
      });
      ((data.any || {})[facet.voc] || []).forEach(function (s) {
        add(s, { facet: facet.key, values: Object.keys(labels), text: facet.legend });
      });
    });
    // Two terms said the same way: neither is guessed (tests/test_search_words.py keeps this list empty).
    Object.keys(ambiguous).forEach(function (key) { delete phrases[key]; });
    singles = singles.filter(function (key) { return phrases[key]; });
    return { phrases: phrases, singles: singles, sounds: singles.map(sound), longest: Math.min(longest, MAX_PHRASE),
      ambiguous: Object.keys(ambiguous).sort() };
  }

  /* People's names: a surname is never read as a place or as a misspelt profession
   * (collected on the first question, not at load). */
  var nameWordsReady = false;
  function collectNameWords() {
    if (nameWordsReady) return;
    nameWordsReady = true;
    records.forEach(function (r) { if (r.k === 'p') shared.words(r.n).forEach(function (w) { nameWords[w] = 1; }); });
  }

  function tokenize(text) {
    var tokens = [];
    var re = /[\p{L}\p{N}]+/gu;
    var m;
    while ((m = re.exec(text)) !== null) {
      var w = fold(m[0]).replace(/[^a-z0-9]/g, '');
      if (w) tokens.push({ w: w, start: m.index, end: m.index + m[0].length });
    }
    return tokens;
  }

  /* A word as French ears spell it: « ph » and « f », « th » and « t », « y » and « i », « k »/« qu » and
   * « c » before a, o, u, a doubled letter and a single one, a silent « h » are the same. */
  function sound(word) {
    return word.replace(/ph/g, 'f').replace(/qu/g, 'k').replace(/c(?=[aou])/g, 'k').replace(/y/g, 'i')
      .replace(/([^cs])h/g, '$1').replace(/^h/, '').replace(/(.)\1+/g, '$1');
  }

  /* A vocabulary phrase over content tokens [i, j), exactly or with a small typo. */
  function phraseAt(content, i, j) {
    var parts = [];
    for (var k = i; k < j; k++) parts.push(stem(content[k].w));
    var key = parts.join(' ');
    var entry = lexicon.phrases[key];
    if (entry) return { entry: entry, exact: true };
    if (j - i !== 1 || key.length < 5 || /\d/.test(key) || nameWords[content[i].w]) return null;
    var limit = shared.tolerance(key.length);
    var best = limit + 1;
    var found = null;
    var heard = sound(key);
    for (var s = 0; s < lexicon.singles.length; s++) {
      // Spelt as it sounds (« ortofoniste », « psichologue ») or with a slip of the finger.
      var d = Math.min(shared.distance(key, lexicon.singles[s], Math.min(best, limit)),
        shared.distance(heard, lexicon.sounds[s], Math.min(best, limit)));
      if (d < best) { best = d; found = lexicon.phrases[lexicon.singles[s]]; }
      else if (d === best && found !== lexicon.phrases[lexicon.singles[s]]) found = null;
    }
    return best <= limit && found ? { entry: found, exact: false } : null;
  }

  /* A commune named by raw tokens [i, j): the département first, then its neighbours. */
  function placeAt(tokens, i, j) {
    var list = [];
    for (var k = i; k < j; k++) list.push(tokens[k].w);
    if (FILLERS[list[0]] && !(list.length > 1 && { le: 1, la: 1, les: 1, l: 1 }[list[0]])) return null;
    var key = shared.keyOf(list);
    if (!key || /^\d/.test(key)) return null;
    var strict = j - i === 1 && nameWords[list[0]]; // a surname is not a place, unless it is exactly one
    // The département: exact, first words unique in it, or a small typo; its neighbours: exact or unique.
    var rows = places.matchKey(key, { maxTier: 0, typos: !strict && key.length >= 5, prefix: !strict });
    if (!rows.length && places.loaded(1)) {
      rows = places.matchKey(key, { maxTier: 1, typos: false, prefix: !strict });
    }
    return rows.length === 1 ? { commune: rows[0], exact: places.how !== 'typo' } : null;
  }

  function placeByPostalCode(code) {
    var result = places.resolve(code);
    if (result.status === 'found') return result.commune;
    if (result.status === 'choice') return result.communes[0];
    return null;
  }

  /* The question, read: { items: [{kind, facet, values, text, spans, …}], words: [leftover words] }. */
  function parseQuery(text) {
    var tokens = tokenize(text);
    if (tokens.length) collectNameWords();
    var used = tokens.map(function () { return false; });
    var items = [];
    function take(i, j) {
      for (var k = i; k < j; k++) used[k] = true;
      return [tokens[i].start, tokens[j - 1].end];
    }
    // Numbers first: ages, distances, postal codes.
    tokens.forEach(function (t, i) {
      var next = tokens[i + 1] ? tokens[i + 1].w : '';
      var m;
      if ((m = /^(\d{1,2})(ans?)$/.exec(t.w)) || (/^\d{1,2}$/.test(t.w) && /^ans?$/.test(next))) {
        var years = parseInt(m ? m[1] : t.w, 10);
        items.push({ kind: 'age', age: years, text: plural(years, 'an', 'ans'), spans: [take(i, m ? i + 1 : i + 2)] });
      } else if (/^\d{1,2}$/.test(t.w) && next === 'mois') {
        items.push({ kind: 'age', age: 0, text: t.w + ' mois', spans: [take(i, i + 2)] });
      } else if ((m = /^(\d{1,3})km$/.exec(t.w)) || (/^\d{1,3}$/.test(t.w) && next === 'km')) {
        var km = parseInt(m ? m[1] : t.w, 10);
        if (km > 0) items.push({ kind: 'rayon', km: km, text: 'Moins de ' + km + ' km', spans: [take(i, m ? i + 1 : i + 2)] });
      } else if (/^(\d{5}|2[ab]\d{3})$/.test(t.w) && !used[i]) {
        var c = placeByPostalCode(t.w);
        if (c) items.push({ kind: 'place', commune: c, text: 'Près ' + shared.deName(shared.shortName(c)), spans: [take(i, i + 1)] });
      }
    });
    // Then, left to right, the longest phrase: a vocabulary term or a commune name.
    var i = 0;
    while (i < tokens.length) {
      if (used[i] || FILLERS[tokens[i].w] && !/^(le|la|les|l)$/.test(tokens[i].w)) { i++; continue; }
      // « docteur Renard », « Dr Lefèvre »: a title before a name, not « médecin généraliste ».
      var following = tokens[i + 1];
      if (TITLES[tokens[i].w] && following && !used[i + 1] && !FILLERS[following.w] && !/^\d/.test(following.w) &&
          !lexicon.phrases[stem(following.w)] && !placeAt(tokens, i + 1, i + 2)) {
        used[i] = true;
        i++;
        continue;
      }
      var ages = AGE_WORDS[tokens[i].w];
      if (ages) {  // « un ado », « un bébé »: the child's age (« maison des ados » is a phrase, taken before)
        items.push({ kind: 'age', age: ages[0], upTo: ages[1], text: ages[2], spans: [take(i, i + 1)] });
        i++;
        continue;
      }
      // Candidates: the longest vocabulary phrase from i (linking words skipped), the
      // longest commune name from i. Exact beats a typo; then the longer; then the vocabulary.
      var content = [];
      var at = [];
      for (var k = i; k < tokens.length && content.length < lexicon.longest; k++) {
        if (used[k]) break;
        if (FILLERS[tokens[k].w]) continue;
        content.push(tokens[k]);
        at.push(k);
      }
      var word = null;
      var article = /^(le|la|les|l)$/.test(tokens[i].w);
      if (article && content.length && AGE_WORDS[content[0].w]) { i++; continue; }  // « les ados »: an age
      for (var n = content.length; n >= 1 && !word && (at[0] === i || article); n--) {
        var found = phraseAt(content, 0, n);
        if (found) word = { end: at[n - 1] + 1, entry: found.entry, exact: found.exact };
      }
      var place = null;
      for (var j = Math.min(tokens.length, i + MAX_PHRASE); j > i && !place; j--) {
        var blocked = false;
        for (var u = i; u < j; u++) if (used[u]) blocked = true;
        if (blocked) continue;
        var named = placeAt(tokens, i, j);
        if (named) place = { end: j, commune: named.commune, exact: named.exact };
      }
      var best = word;
      if (place && (!word || (place.exact && !word.exact) ||
          (place.exact === word.exact && place.end > word.end))) best = place;
      if (!best) { i++; continue; }
      var span = take(i, best.end);
      if (best.commune) {
        items.push({ kind: 'place', commune: best.commune, text: 'Près ' + shared.deName(shared.shortName(best.commune)), spans: [span] });
      } else {
        var e = best.entry;
        var same = null;
        items.forEach(function (it) { if (it.kind === 'facet' && it.facet === e.facet && it.values.join() === e.values.join()) same = it; });
        if (same) same.spans.push(span);
        else items.push({ kind: 'facet', facet: e.facet, values: e.values, text: e.text, spans: [span] });
      }
      i = best.end;
    }
    items.sort(function (a, b) { return a.spans[0][0] - b.spans[0][0]; }); // chips in the order typed
    var leftover = [];
    tokens.forEach(function (t, k) {
      if (used[k] || FILLERS[t.w] || /^\d+$/.test(t.w) || t.w.length < 2) return;
      leftover.push(t.w);
    });
    return { items: items, words: leftover };
  }

  /* The question without the words of one understood part (its chip was removed). */
  function withoutSpans(text, spans) {
    var out = text;
    spans.slice().sort(function (a, b) { return b[0] - a[0]; }).forEach(function (s) {
      out = out.slice(0, s[0]) + ' ' + out.slice(s[1]);
    });
    return out.replace(/\s+/g, ' ').replace(/^[\s,;]+|[\s,;]+$/g, '');
  }

  // --- text search -------------------------------------------------------------------------

  function processTerm(term) {
    var t = fold(term);
    if (!t || t.length < 2 || FILLERS[t]) return null;
    return t;
  }

  function makeSearch() {
    /* global MiniSearch */
    return new MiniSearch({
      idField: 'id',
      fields: ['nom', 'quoi', 'description'],
      processTerm: processTerm,
      searchOptions: {
        combineWith: 'AND', boost: { nom: 3, quoi: 1.5 }, processTerm: processTerm,
        // Never a prefix or a typo inside short fragments (« st », « lo »).
        prefix: function (term) { return term.length >= 3; },
        fuzzy: function (term) { return term.length >= 5 ? 0.2 : false; },
        maxFuzzy: 2
      }
    });
  }

  function searchDocuments() {
    return records.map(function (r, index) {
      return {
        id: index,
        nom: r.n + (r.a ? ' ' + r.a : '') + r.l.map(function (p) { return p[7] ? ' ' + p[7] : ''; }).join(''),
        quoi: label(r.k === 'p' ? 'p' : 'c', r.c) + ' ' + (r.s || []).map(function (s) { return label('s', s); }).join(' '),
        description: r.d || ''
      };
    });
  }

  /* The text index (names, place names, descriptions): built at once when a question needs it… */
  function ensureSearch() {
    if (search || typeof MiniSearch === 'undefined') return search;
    var started = performance.now();
    search = makeSearch();
    search.addAll(searchDocuments());
    root.dataset.indexMs = String(Math.round(performance.now() - started));
    return search;
  }

  /* … or in small steps once the list is shown, leaving the page responsive meanwhile. */
  var searchLater = null;
  function buildSearchLater() {
    if (search || searchLater || typeof MiniSearch === 'undefined') return;
    var started = performance.now();
    var building = makeSearch();
    searchLater = building.addAllAsync(searchDocuments(), { chunkSize: 400 }).then(function () {
      if (!search) {
        search = building;
        root.dataset.indexMs = String(Math.round(performance.now() - started));
      }
    });
  }

  // --- place -------------------------------------------------------------------------------

  function computeDistances(place) {
    var id = place ? place.lat + ',' + place.lon : null;
    if (id === distanceFrom) return;
    distanceFrom = id;
    records.forEach(function (r) {
      r._d = null;
      r._near = 0;
      if (!place) return;
      for (var i = 0; i < r.l.length; i++) {
        var d = haversineKm(place.lat, place.lon, r.l[i][0], r.l[i][1]);
        if (r._d === null || d < r._d) { r._d = d; r._near = i; }
      }
    });
  }

  function placeFromCommune(c) {
    return { lat: c[3], lon: c[4], label: shared.shortName(c), insee: c[5] ? null : c[0], commune: c };
  }

  function setPlace(place) {
    state.place = place;
    ui.lieuEtat.textContent = '';
  }

  function choosePlace(c) {
    ui.lieu.value = communeLabel(c);
    shared.choiceList(ui.choix, null);
    setPlace(placeFromCommune(c));
    update();
  }

  /* The "near" field: live while typing (no typo tolerance), everything on Entrée. */
  function onPlaceInput(final) {
    var text = ui.lieu.value;
    if (!text.trim()) {
      shared.choiceList(ui.choix, null);
      if (state.place && state.place.commune) { setPlace(null); update(); }
      return;
    }
    if (!final) {
      var live = places.resolve(text, { typos: false });
      if (live.status === 'found') applyPlace(live.commune);
      return;
    }
    places.resolveAll(text).then(function (result) {
      if (ui.lieu.value !== text) return;
      if (result.status === 'found') { shared.choiceList(ui.choix, null); applyPlace(result.commune); return; }
      if (result.status === 'choice') {
        applyPlace(result.communes[0]);
        shared.choiceList(ui.choix, result.communes, choosePlace, (result.postal
          ? 'Le code postal ' + result.postal + ' correspond à ' + result.communes.length + ' communes'
          : result.communes.length + ' communes portent ce nom') + ' : les distances sont comptées depuis ' +
          result.communes[0][1] + '. Une autre ?');
        return;
      }
      shared.choiceList(ui.choix, null);
      ui.lieuEtat.textContent = 'Commune introuvable : vérifiez l\'orthographe, ou tapez son code postal.';
    });
  }

  function applyPlace(c) {
    if (state.place && state.place.commune === c) return;
    setPlace(placeFromCommune(c));
    update();
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

  // --- what the results answer -------------------------------------------------------------

  function merge() {
    if (!parsed || parsed.source !== state.q) {
      parsed = parseQuery(state.q);
      parsed.source = state.q;
    }
    var out = { selected: {}, age: state.age, place: state.place, rayon: state.rayon, fromQuestion: {} };
    Object.keys(state.selected).forEach(function (key) {
      out.selected[key] = {};
      Object.keys(state.selected[key]).forEach(function (v) { out.selected[key][v] = true; });
    });
    parsed.items.forEach(function (item) {
      item.ignored = false;
      if (item.kind === 'facet') {
        var sel = out.selected[item.facet] = out.selected[item.facet] || {};
        item.values.forEach(function (v) { sel[v] = true; out.fromQuestion[item.facet + '=' + v] = item; });
      } else if (item.kind === 'place') {
        if (out.placeItem) { item.ignored = 'une commune à la fois'; return; } // distances from the first named
        // The « Près de » field was filled on purpose: it wins, and the chip says so (like the age).
        if (state.place) { item.ignored = 'la commune indiquée à côté l\u2019emporte'; return; }
        out.place = placeFromCommune(item.commune);
        out.placeItem = item;
      } else if (item.kind === 'age') {
        if (state.age !== null) { item.ignored = "l'âge indiqué à côté l'emporte"; return; }
        if (out.ageItem) {
          // « un ado de 15 ans »: the precise age wins over the word, without a word of complaint.
          var precise = out.ageItem.upTo === undefined ? out.ageItem : item.upTo === undefined ? item : null;
          if (!precise) { item.ignored = 'un âge à la fois'; return; }
          // The word gets no chip of its own: the precise age's chip says it all.
          if (precise === out.ageItem) return;
        }
        out.age = item.age;
        out.ageUpTo = item.upTo === undefined ? item.age : item.upTo;
        out.ageItem = item;
      } else if (item.kind === 'rayon') {
        if (state.rayon !== null || out.rayonItem) { item.ignored = 'le rayon choisi à côté l\'emporte'; return; }
        out.rayon = item.km;
        out.rayonItem = item;
      }
    });
    narrowNested(out);
    return out;
  }

  /* « médecin référent Santé protégée »: two words of one filter, one inside the other (« Santé
   * protégée » is any of its roles): both mean the narrower, not either. Unrelated values of one filter
   * (« orthophoniste psychologue ») still mean either. */
  function narrowNested(out) {
    var byFacet = {};
    parsed.items.forEach(function (item) {
      if (item.kind === 'facet') (byFacet[item.facet] = byFacet[item.facet] || []).push(item.values);
    });
    Object.keys(byFacet).forEach(function (key) {
      var sets = byFacet[key].slice().sort(function (a, b) { return a.length - b.length; });
      if (sets.length < 2) return;
      for (var n = 1; n < sets.length; n++) {
        for (var v = 0; v < sets[n - 1].length; v++) if (sets[n].indexOf(sets[n - 1][v]) < 0) return;
      }
      var keep = {};
      sets[0].forEach(function (v) { keep[v] = true; });
      Object.keys(state.selected[key] || {}).forEach(function (v) { keep[v] = true; });  // the panel's own ticks
      out.selected[key] = keep;
    });
  }

  function filterRecords(base, scores) {
    var age = effective.age;
    var upTo = effective.ageUpTo === undefined || effective.ageUpTo === null ? age : effective.ageUpTo;
    var radius = effective.place && effective.rayon ? effective.rayon : null;
    var selected = facets.map(function (f) { return effective.selected[f.key] || null; });
    var counts = facets.map(function () { return {}; });
    var out = [];
    for (var i = 0; i < base.length; i++) {
      var r = base[i];
      if (age !== null && !(r.g && r.g[0] <= upTo && age <= r.g[1])) continue;  // the ages overlap
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
    return { results: out, counts: counts, scores: scores };
  }

  function compute() {
    effective = merge();
    computeDistances(effective.place);
    dropped = null;
    var computed;
    var words = parsed.words;
    if (words.length && ensureSearch()) {
      var scores = {};
      var hits = search.search(words.join(' ')).map(function (hit) { scores[hit.id] = hit.score; return records[hit.id]; });
      computed = filterRecords(hits, scores);
      lastBase = hits;
      if (!computed.results.length && parsed.items.length) {
        // Nothing has these words: answer the rest of the question, and say so.
        dropped = words;
        computed = filterRecords(records, null);
        lastBase = records;
      }
      if (!places.loaded(1)) places.load(1).then(function () { parsed = null; update(); });
    } else {
      computed = filterRecords(records, null);
      lastBase = records;
    }
    var out = computed.results;
    markSectors(out);
    if (effective.place) {
      // Services whose sector covers the commune first (a CMP takes the children of its sector), then by distance.
      out.sort(function (a, b) { return (b._couvre === true) - (a._couvre === true) || (a._d - b._d) ||
        collator.compare(a.n, b.n); });
    } else if (computed.scores) {
      var s = computed.scores;
      out.sort(function (a, b) { return (s[b._index] - s[a._index]) || collator.compare(a.n, b.n); });
    }
    return computed;
  }

  /* r._couvre: true when r is a sectorised service covering the chosen commune, false when its sector
   * is elsewhere, undefined otherwise (not sectorised, no commune, or the sectors not read yet). */
  function markSectors(list) {
    var c = effective.place && effective.place.commune;
    var inside = c && places.tierOf(c) === 0;
    if (inside && !sectors && !sectorsAsked) {
      sectorsAsked = true;
      shared.fetchJSON(racine + 'commune/secteurs.json').then(function (loaded) {
        sectors = { covers: {}, sectorised: {} };
        loaded.s.forEach(function (s) { sectors.sectorised[s.i] = true; });
        Object.keys(loaded.c).forEach(function (insee) {
          sectors.covers[insee] = loaded.c[insee].map(function (x) { return loaded.s[Array.isArray(x) ? x[0] : x].i; });
        });
        root.dataset.secteurs = 'pret';
        update();
      }).catch(function () { root.dataset.secteurs = 'erreur'; });
    }
    var covering = {};
    if (inside && sectors) (sectors.covers[c[0]] || []).forEach(function (id) { covering[id] = true; });
    for (var i = 0; i < list.length; i++) {
      var r = list[i];
      r._couvre = inside && sectors && sectors.sectorised[r.i] ? covering[r.i] === true : undefined;
    }
  }

  function addCounts(target, values) {
    for (var v = 0; v < values.length; v++) target[values[v]] = (target[values[v]] || 0) + 1;
  }

  // --- rendering ---------------------------------------------------------------------------

  function renderCounts(counts) {
    facets.forEach(function (facet, f) {
      facet.counts = counts[f];
      renderFacet(facet);
    });
  }

  function renderCount() {
    var total = records.length;
    var n = results.length;
    var text = n === 0 ? 'Aucun résultat' : plural(n, 'résultat', 'résultats');
    text += ' sur ' + plural(total, 'fiche', 'fiches');
    if (effective.place) text += ', du plus proche au plus éloigné ' + shared.deName(effective.place.label);
    ui.compte.textContent = text + '.';
    // Near a commune of the département, services may be sectorised: say where to check.
    var c = effective.place && effective.place.commune;
    var sectorised = c && places.tierOf(c) === 0 && !effective.selected.profession;
    ui.secteurs.hidden = !sectorised;
    if (sectorised) {
      ui.secteursLien.href = racine + 'commune/?commune=' + encodeURIComponent(c[0]);
      ui.secteursLien.textContent = 'Quels services sectorisés (CMP, CMPP, PMI…) couvrent ' + shared.shortName(c) + ' ?';
    }
    var nearest = null;  // (the first result may be a service of the commune's sector, not the nearest)
    if (effective.place) results.forEach(function (r) { if (r._d !== null && (nearest === null || r._d < nearest)) nearest = r._d; });
    var far = nearest !== null && nearest > FAR_KM;
    ui.note.textContent = (dropped
      ? 'Aucune fiche ne contient « ' + dropped.join(' ') + ' » : voici les résultats sans ' +
        (dropped.length > 1 ? 'ces mots.' : 'ce mot.')
      : '') + (far ? (dropped ? ' ' : '') + 'Attention : aucun résultat à moins de ' + FAR_KM + '\u00a0km ; le plus proche est à ' +
        formatKm(nearest) + '.' : '');
  }

  // The visitor's date, AAAA-MM-JJ (temporary information is shown while current).
  var today = (function () {
    var d = new Date();
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  })();

  function recordItem(r) {
    var item = el('li', 'ma-fiche');
    item.dataset.id = r.i;
    var near = effective.place && r._near ? r._near : 0;
    var head = el('p', 'ma-titre');
    var link = el('a', 'ma-nom', r.n);
    link.href = racine + r.u;
    head.appendChild(link);
    if (r.a && r.a !== r.n) head.appendChild(el('span', 'ma-sigle', ' (' + r.a + ')'));
    if (effective.place && r._d !== null && r._d !== undefined) {
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
    if (r._couvre !== undefined) {
      var commune = shared.shortName(effective.place.commune);
      if (r._couvre) badge('Son secteur couvre ' + commune, 'secteur');
      else badge('Hors secteur pour ' + commune, 'hors-secteur');
    }
    (r.tmp || []).forEach(function (t) {  // [from, to, message]: shown while current, from the visitor's date
      if (today >= t[0] && today <= t[1]) badge(t[2], 'alerte');
    });
    if (r.np) badge('Nouveaux patients : ' + label('np', r.np).toLowerCase(), 'np-' + r.np);
    if (r.sp) badge('Santé protégée : ' + label('sp', r.sp).toLowerCase(), 'sp');
    if (r.g) badge(r.g[0] + '–' + r.g[1] + ' ans', 'age');
    if (r.se) badge(label('se', r.se));
    if (r.tp === 1) badge('Tiers payant');
    if (r.w === 1) badge(label('w', 'oui'));
    if (badges.children.length) item.appendChild(badges);
    var placesList = el('ul', 'ma-lieux');
    var order = r.l.map(function (p, i) { return i; });
    if (near) { order.splice(near, 1); order.unshift(near); }
    order.forEach(function (i) {
      var p = r.l[i];
      var li = el('li', 'ma-lieu');
      li.appendChild(el('span', 'ma-adresse', p._adresse));
      if (p[4]) {
        li.appendChild(document.createTextNode(' '));
        var tel = el('a', 'ma-tel', p[4]);
        tel.href = 'tel:' + p[4].replace(/[^\d+]/g, '');
        li.appendChild(tel);
      }
      placesList.appendChild(li);
    });
    item.appendChild(placesList);
    return item;
  }

  // --- active filters: summary count and removable chips -----------------------------------

  function removeFromQuestion(item) {
    state.q = withoutSpans(state.q, item.spans);
    ui.q.value = state.q;
  }

  /* What the results would answer without one criterion (for « Sans … : N résultats »). */
  function withoutValues(e, key, values) {
    var copy = Object.assign({}, e, { selected: Object.assign({}, e.selected) });
    var sel = Object.assign({}, copy.selected[key] || {});
    values.forEach(function (v) { delete sel[v]; });
    if (Object.keys(sel).length) copy.selected[key] = sel; else delete copy.selected[key];
    return copy;
  }
  function withoutAge(e) { return Object.assign({}, e, { age: null, ageUpTo: null }); }
  function withoutRadius(e) { return Object.assign({}, e, { rayon: null }); }

  /* No result: for each criterion, how many results there would be without it, as a button. */
  function renderWithout() {
    ui.sans.textContent = '';
    ui.sans.hidden = true;
    if (results.length >= FEW || !data) return;
    var kept = effective;
    var offers = [];
    activeFilters().forEach(function (a) {
      if (!a.without) return;
      effective = a.without(kept);
      var n = filterRecords(lastBase, null).results.length;
      effective = kept;
      if (n > results.length) offers.push({ a: a, n: n });
    });
    if (!offers.length) return;
    offers.sort(function (x, y) { return y.n - x.n; });
    ui.sans.appendChild(el('p', null, (results.length ? 'Peu de fiches répondent' : 'Aucune fiche ne répond') +
      ' à tous ces critères. Sans l\u2019un d\u2019eux :'));
    var list = el('ul');
    offers.forEach(function (o) {
      var li = el('li');
      var button = el('button', 'ma-lien', 'sans « ' + o.a.name + ' » : ' + plural(o.n, 'résultat', 'résultats'));
      button.type = 'button';
      button.addEventListener('click', function () { o.a.remove(); update(); ui.q.focus(); });
      li.appendChild(button);
      list.appendChild(li);
    });
    ui.sans.appendChild(list);
    ui.sans.hidden = false;
  }

  function activeFilters() {
    var out = [];
    var chipped = {};
    // Parts of the question first, in the order they were typed.
    parsed.items.forEach(function (item) {
      if (item.kind === 'facet') {
        item.values.forEach(function (v) { chipped[item.facet + '=' + v] = true; });
        var facet = byKey[item.facet];
        out.push({ text: item.text, name: named(facet, item.text), question: true,
          without: function (e) { return withoutValues(e, item.facet, item.values); },
          remove: function () {
            removeFromQuestion(item);
            var sel = state.selected[item.facet];
            if (sel) item.values.forEach(function (v) { delete sel[v]; });
            if (sel && !Object.keys(sel).length) delete state.selected[item.facet];
          } });
      } else if (item.ignored) {
        out.push({ text: item.text + ' (non retenu : ' + item.ignored + ')', name: item.text, question: true,
          remove: function () { removeFromQuestion(item); } });
      } else if (item === effective.placeItem || item === effective.ageItem || item === effective.rayonItem) {
        out.push({ text: item.text, name: item.kind === 'place' ? item.text : item.kind === 'age'
          ? "Âge de l'enfant : " + item.text : 'Rayon : ' + item.km + ' km', question: true,
          without: item.kind === 'age' ? withoutAge : item.kind === 'rayon' ? withoutRadius : null,
          remove: function () { removeFromQuestion(item); } });
      }
    });
    facets.forEach(function (facet) {
      var sel = state.selected[facet.key];
      if (!sel) return;
      Object.keys(sel).sort().forEach(function (value) {
        if (chipped[facet.key + '=' + value]) return;
        out.push({ text: chipText(facet, value), name: named(facet, facet.label(value)), facet: true,
          without: function (e) { return withoutValues(e, facet.key, [value]); },
          remove: function () {
            delete sel[value];
            if (!Object.keys(sel).length) delete state.selected[facet.key];
          } });
      });
    });
    if (state.age !== null) {
      out.push({ text: plural(state.age, 'an', 'ans'), name: "Âge de l'enfant : " + plural(state.age, 'an', 'ans'),
        without: withoutAge, remove: function () { state.age = null; ui.age.value = ''; } });
    }
    if (state.place && !effective.placeItem) {
      out.push({ text: 'Près ' + shared.deName(state.place.label), name: 'Près ' + shared.deName(state.place.label),
        remove: function () { ui.lieu.value = ''; shared.choiceList(ui.choix, null); setPlace(null); } });
    }
    if (state.rayon) {
      out.push({ text: 'Moins de ' + state.rayon + ' km', name: 'Rayon : ' + state.rayon + ' km',
        without: withoutRadius, remove: function () { state.rayon = null; ui.rayon.value = ''; } });
    }
    return out;
  }

  function chipButton(a, list, index) {
    var li = el('li');
    var button = el('button', 'ma-puce' + (a.question ? ' ma-puce-question' : ''));
    button.type = 'button';
    button.setAttribute('aria-label', (a.question ? 'Retirer de la recherche « ' : 'Retirer le filtre « ') + a.name + ' »');
    button.appendChild(el('span', null, a.text));
    var cross = el('span', 'ma-puce-x', '×');
    cross.setAttribute('aria-hidden', 'true');
    button.appendChild(cross);
    button.addEventListener('click', function () {
      a.remove();
      update();
      // Keep the keyboard where it was: the next chip of the same row, else the search box.
      var chips = list.querySelectorAll('button');
      (chips[Math.min(index, chips.length - 1)] || (a.question ? ui.q : ui.filtres.querySelector('summary'))).focus();
    });
    li.appendChild(button);
    list.appendChild(li);
  }

  /* What the question was understood as (under the search box), and the other filters
   * (above the results): one chip each, a click removes it. */
  function renderActive() {
    var active = activeFilters();
    var understood = active.filter(function (a) { return a.question; });
    var others = active.filter(function (a) { return !a.question; });
    var inPanel = others.filter(function (a) { return a.facet; }).length;
    ui.filtresN.textContent = inPanel ? '(' + inPanel + ' actif' + (inPanel > 1 ? 's)' : ')') : '';
    ui.comprisListe.textContent = '';
    understood.forEach(function (a, index) { chipButton(a, ui.comprisListe, index); });
    ui.compris.hidden = understood.length === 0;
    ui.puces.textContent = '';
    others.forEach(function (a, index) { chipButton(a, ui.puces, index); });
    ui.actifs.hidden = others.length === 0;
    ui.puces.hidden = others.length === 0;
    ui.effacer.disabled = others.length === 0;
    // On paper the chips are gone: one line says what the printed list answers.
    var words = (parsed.words || []).filter(function (w) { return !dropped || dropped.indexOf(w) < 0; });
    var criteria = (words.length ? ['« ' + words.join(' ') + ' »'] : []).concat(active.map(function (a) { return a.name; }));
    ui.criteres.textContent = (criteria.length ? 'Critères : ' + criteria.join(' ; ') + '.'
      : 'Critères : aucun (tout l\u2019annuaire).') + ' Liste établie le ' + new Date().toLocaleDateString('fr-FR',
      { day: 'numeric', month: 'long', year: 'numeric' }) + '.';
  }

  /* « Effacer les filtres »: the panel, the place, the radius and the age; the question stays. */
  function clearFilters() {
    state.selected = {};
    state.age = null;
    ui.age.value = '';
    state.rayon = null;
    ui.rayon.value = '';
    ui.lieu.value = '';
    shared.choiceList(ui.choix, null);
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
    renderList(FIRST_PAGE);
    renderCount();
    renderActive();
    renderWithout();
    var elapsed = performance.now() - start;
    timings.push(elapsed);
    if (timings.length > 200) timings.shift();
    root.dataset.rendu = String(1 + (Number(root.dataset.rendu) || 0));
    root.dataset.question = state.q || '';  // the question the list now answers
    writeUrl();
    scheduleMap();
  }

  /* After a filter change, the first result is in view (on a phone, the filters fold). */
  function showResults() {
    if (NARROW.matches && ui.filtres.open) ui.filtres.open = false;
    var header = document.querySelector('.md-header');
    var headerBottom = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    var first = (ui.liste.firstElementChild || ui.compte).getBoundingClientRect();
    if (NARROW.matches) {
      // One column: the count, the chips and the first result, under the header.
      if (first.top < headerBottom || first.bottom > window.innerHeight) {
        window.scrollBy(0, ui.barre.getBoundingClientRect().top - headerBottom - 4);
      }
    } else {
      var bar = ui.barre.getBoundingClientRect().bottom; // sticky under the header
      if (first.top < bar || first.bottom > window.innerHeight) window.scrollBy(0, first.top - bar - 8);
    }
  }

  // --- map (Leaflet, loaded when the map is shown) ------------------------------------------

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function mapVisible() { return ui.carte && !ui.carte.hidden && ui.carte.offsetWidth > 0; }

  function ensureMap() {
    if (map || !ui.carte || !mapVisible()) return;
    if (!mapLoading) {
      var vendor = racine + 'assets/vendor/';
      loadStyle(vendor + 'leaflet/leaflet.css');
      loadStyle(vendor + 'leaflet.markercluster/MarkerCluster.css');
      loadStyle(vendor + 'leaflet.markercluster/MarkerCluster.Default.css');
      mapLoading = loadScript(vendor + 'leaflet/leaflet.js')
        .then(function () { return loadScript(vendor + 'leaflet.markercluster/leaflet.markercluster.js'); })
        .then(function () { initMap(); renderMap(); })
        .catch(function () { ui.carte.hidden = true; });
    }
  }

  function initMap() {
    if (typeof L === 'undefined') {
      ui.carte.hidden = true;
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
      var communes = places.tiers[0] || [];
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
   * and a screen of scrolling); Leaflet loads when it is first shown. */
  function showMap(open) {
    root.classList.toggle('ma-carte-ouverte', open);
    ui.voirCarte.setAttribute('aria-expanded', open ? 'true' : 'false');
    ui.voirCarte.textContent = open ? 'Masquer la carte' : 'Voir la carte';
    if (!open) return;
    if (map) { map.invalidateSize(); renderMap(); } else ensureMap();
  }

  var mapTimer = null;
  function scheduleMap() {
    if (!map) return;
    clearTimeout(mapTimer);
    mapTimer = setTimeout(renderMap, 0);
  }

  function renderMap() {
    if (!map) return;
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
      if (effective.place) bounds.extend([effective.place.lat, effective.place.lon]);
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

  // --- URL state, and the place in the list when coming back --------------------------------

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q.trim()) params.set('q', state.q.trim());
    facets.forEach(function (facet) {
      var sel = state.selected[facet.key];
      if (sel && Object.keys(sel).length) params.set(facet.key, Object.keys(sel).sort().join(','));
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
      raw.split(',').forEach(function (value) { if (facet.all.indexOf(value) >= 0) sel[value] = true; });
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
      var c = places.byInsee(insee);
      if (c) { ui.lieu.value = communeLabel(c); setPlace(placeFromCommune(c)); }
    }
  }

  var SCROLL_KEY = 'maillage-annuaire-defilement';

  function saveScroll() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ url: location.pathname + location.search, y: window.scrollY,
        shown: shown }));
    } catch (e) { /* storage unavailable */ }
  }

  /* Back from a record page: the same cards, scrolled to where they were. */
  function restoreScroll() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || 'null'); } catch (e) { saved = null; }
    var navigation = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    if (!saved || saved.url !== location.pathname + location.search) return;
    if (navigation && navigation.type !== 'back_forward' && navigation.type !== 'reload') return;
    if (saved.shown > shown) renderList(saved.shown);
    window.scrollTo(0, saved.y);
  }

  // --- print and CSV -----------------------------------------------------------------------

  function csvCell(value) {
    var text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[";\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* As maillage.core.french.ages_fr words it (« 2-16 » would become a date in a spreadsheet). */
  function agesText(min, max) {
    var unit = '\u00a0an' + (max > 1 ? 's' : '');
    return min === 0 ? 'de la naissance à ' + max + unit : 'de ' + min + ' à ' + max + unit;
  }

  function toCsv() {
    var header = ['Nom', 'Type', 'Profession ou catégorie', 'Spécialités', 'Adresse', 'Commune', 'Code INSEE',
      'Téléphone', 'Distance (km)', 'Âges', 'Nouveaux patients', 'Santé protégée', 'Secteur', 'Tiers payant',
      'Langues', 'Fiche'];
    var lines = [header.map(csvCell).join(';')];
    results.forEach(function (r) {
      var p = r.l[effective.place && r._near ? r._near : 0] || [];
      var url = new URL(racine + r.u, location.href).href;
      lines.push([
        r.n, label('k1', r.k), label(r.k === 'p' ? 'p' : 'c', r.c),
        (r.s || []).map(function (s) { return label('s', s); }).join(', '),
        p._adresse, p[3], p[2], p[4],
        effective.place && r._d !== null && r._d !== undefined ? r._d.toFixed(1).replace('.', ',') : '',
        r.g ? agesText(r.g[0], r.g[1]) : '', r.np ? label('np', r.np) : '', r.sp ? label('sp', r.sp) : '',
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
    if (box.checked) {
      sel[box.value] = true;
    } else {
      delete sel[box.value];
      var item = effective.fromQuestion[key + '=' + box.value];
      if (item) {
        // Unticking a value the question asked for: its words go, the rest of the group stays ticked.
        removeFromQuestion(item);
        item.values.forEach(function (v) { if (v !== box.value) sel[v] = true; });
      }
    }
    if (Object.keys(sel).length) state.selected[key] = sel; else delete state.selected[key];
    update();
    showResults();
  }

  function wire() {
    var typed = debounce(function () { state.q = ui.q.value; update(); }, DEBOUNCE_MS);
    ui.q.addEventListener('input', typed);
    ui.form.addEventListener('submit', function (event) {
      event.preventDefault();
      state.q = ui.q.value;
      update();
      if (document.activeElement === ui.lieu) onPlaceInput(true);
      // On a phone, close the keyboard so the results show.
      if (NARROW.matches && document.activeElement && document.activeElement.blur) document.activeElement.blur();
    });
    ui.effacer.addEventListener('click', function () { clearFilters(); ui.q.focus(); });
    ui.voirCarte.addEventListener('click', function () { showMap(!root.classList.contains('ma-carte-ouverte')); });
    ui.filtres.open = WIDE.matches;
    onMedia(WIDE, function () { ui.filtres.open = WIDE.matches; });
    onMedia(NARROW, function () { if (map) { map.invalidateSize(); scheduleMap(); } else ensureMap(); });
    ui.facettes.addEventListener('change', toggleFacet);
    ui.age.addEventListener('input', debounce(function () {
      var age = parseInt(ui.age.value, 10);
      state.age = isNaN(age) || age < 0 ? null : age;
      update();
    }, DEBOUNCE_MS));
    new shared.Combobox(ui.lieu, places, { onChoose: choosePlace, maxTier: 1 });
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
      renderList(shown + NEXT_PAGE);
      var first = ui.liste.children[next];
      if (first) { var link = first.querySelector('a'); if (link) link.focus(); }
    });
    if (window.IntersectionObserver) {
      // More cards as the end of the list comes near (the button stays for the keyboard).
      new IntersectionObserver(function (entries) {
        if (entries[0].isIntersecting && !ui.plus.hidden) renderList(shown + NEXT_PAGE);
      }, { rootMargin: '600px 0px' }).observe(ui.plus);
    }
    ui.imprimer.addEventListener('click', function () { beforePrint(); window.print(); });
    window.addEventListener('beforeprint', beforePrint);
    window.addEventListener('pagehide', saveScroll);
    ui.liste.addEventListener('click', function (event) { if (event.target.closest && event.target.closest('a')) saveScroll(); });
    ui.csv.addEventListener('click', downloadCsv);
    ui.liste.addEventListener('mouseover', onListHover);
    ui.liste.addEventListener('focusin', onListHover);
    ui.liste.addEventListener('mouseleave', function () { highlightRecord(null); });
    ui.liste.addEventListener('focusout', function () { highlightRecord(null); });
  }

  function start(loaded) {
    var started = performance.now();
    root.dataset.telecharge = String(Math.round(started));
    data = loaded[0];
    places.add(0, loaded[1] || []);
    records = data.r;
    (data.mots || []).forEach(function (w) { FILLERS[w] = 1; });
    // A place's commune is left out of the index when communes.json names it the same way.
    var communeNames = {};
    (loaded[1] || []).forEach(function (c) { if (!c[5]) communeNames[c[0]] = c[1]; });
    var folders = data.url || { p: 'professionnels/', s: 'structures/' };
    records.forEach(function (r, index) {
      r._index = index;
      r.u = folders[r.k] + r.i + '/';
      r.l.forEach(function (p) {
        if (!p[3]) p[3] = communeNames[p[2]] || '';
        p._adresse = p[5] + ', ' + (p[6] ? p[6] + ' ' : '') + p[3];
      });
      r._d = null;
      var seen = {};
      r._communes = [];
      r.l.forEach(function (p) { if (!seen[p[2]]) { seen[p[2]] = 1; r._communes.push(p[2]); } });
    });
    facets = defineFacets();
    facets.forEach(function (f) { byKey[f.key] = f; });
    facets.forEach(function (f) { f.seen = {}; });
    records.forEach(function (r) {
      r._f = new Array(facets.length);
      for (var f = 0; f < facets.length; f++) {
        var values = r._f[f] = facets[f].values(r);
        for (var v = 0; v < values.length; v++) facets[f].seen[values[v]] = 1;
      }
    });
    lexicon = buildLexicon();
    buildFacetControls();
    readUrl();
    wire();
    update();
    restoreScroll();
    root.dataset.preparation = String(Math.round(performance.now() - started));
    root.dataset.etat = 'pret';
    if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
    // The map where it is shown (wide screens), once the list is on screen; the text index when idle.
    idle(function () { ensureMap(); buildSearchLater(); });
  }

  window.maillageAnnuaire = {
    timings: timings,
    results: function () { return results.map(function (r) { return r.i; }); },
    understood: function () {
      return parsed ? parsed.items.map(function (i) { return i.kind + ':' + (i.facet ? i.facet + '=' + i.values.join('|') : i.commune ? i.commune[0] : i.age !== undefined ? i.age : i.km); }) : [];
    },
    leftover: function () { return parsed ? parsed.words.slice() : []; },
    ambiguous: function () { return lexicon ? lexicon.ambiguous.slice() : []; }
  };

  Promise.all([
    shared.fetchJSON(base + (root.dataset.index || 'index.json')),
    shared.fetchJSON(communesUrl).catch(function () { return []; })
  ]).then(start).catch(function (error) {
    ui.compte.textContent = "L'annuaire n'a pas pu être chargé. Réessayez plus tard, ou consultez les données ouvertes.";
    root.dataset.etat = 'erreur';
    if (window.console) console.warn(error);
  });
})();
