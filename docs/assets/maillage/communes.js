/* Maillage — what the directory and the commune lookup share: text folding, DOM helpers,
 * reading the JSON config block, the place resolver and its accessible autocomplete.
 *
 * Communes are rows [insee, name, [postal codes], lat, lon, commune nouvelle] in three
 * lists, read in order: annuaire/communes.json (the département, most populated first;
 * delegated communes last, with their commune nouvelle's name), communes-voisines.json
 * (neighbouring départements) and communes-france.json (the rest of France). The last two
 * are downloaded only when a typed place is not found in the lists before.
 *
 * One resolver for every place field (« Près de la commune », /commune/) and for the
 * directory's search box: accents, case, hyphens and apostrophes do not count; « St » and
 * « Ste » are « Saint(e) »; a leading article may be left out (« Haye » is « La Haye »);
 * a name whose first words are unique in the département is enough (« Villedieu »);
 * delegated communes lead to their commune nouvelle (« Cherbourg-Octeville »); a postal
 * code shared by several communes offers a choice; small typos are forgiven
 * (« Coutance », « Granvile »).
 */
(function () {
  'use strict';

  function fold(text) {
    return String(text).toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae')
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function readConfig() {
    var node = document.getElementById('maillage-config');
    if (!node) return {};
    try { return JSON.parse(node.textContent); } catch (e) { return {}; }
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) throw new Error(url + ' : ' + response.status);
      return response.json();
    });
  }

  // --- names ---------------------------------------------------------------------------------

  var ABBREVIATIONS = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };
  var ARTICLES = { le: 1, la: 1, les: 1, l: 1 };

  /* Words of a name or a question: folded, split on anything but letters and digits. */
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  }

  /* Comparison key of a commune name (same rule as maillage.core.gazetteer.normalise_name). */
  function keyOf(list) {
    var w = list.map(function (x) { return ABBREVIATIONS[x] || x; });
    if (w.length > 1 && ARTICLES[w[0]]) w = w.slice(1);
    return w.join(' ');
  }

  function normalise(text) { return keyOf(words(text)); }

  /* Damerau–Levenshtein distance (adjacent transpositions), stopping above `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = null;
    var previous = [];
    var i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      var current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
            a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) value = Math.min(value, previous2[j - 2] + 1);
        current.push(value);
        if (value < best) best = value;
      }
      if (best > limit) return limit + 1;
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  /* How many typos a word of this length may carry. */
  function tolerance(length) { return length >= 9 ? 2 : length >= 5 ? 1 : 0; }

  // --- display -------------------------------------------------------------------------------

  function inDepartement(places, c) { return places.tierOf(c) === 0; }

  /* « Granville (50400) », « Cherbourg-Octeville (commune déléguée de Cherbourg-en-Cotentin) (50100) ». */
  function label(c) {
    var name = c[1] + (c[5] ? ' (commune déléguée de ' + c[5] + ')' : '');
    return c[2].length ? name + ' (' + c[2][0] + ')' : name;
  }

  /* The name to say in a sentence: the commune nouvelle follows a delegated commune. */
  function shortName(c) { return c[5] ? c[1] + ' (' + c[5] + ')' : c[1]; }

  // « de » before a place name, as French writes it: du Teilleul, des Pieux, de La Haye, d'Avranches.
  function deName(name) {
    if (/^Le /.test(name)) return 'du ' + name.slice(3);
    if (/^Les /.test(name)) return 'des ' + name.slice(4);
    if (/^[AEIOUYÉÈÊÂÎÔ]/.test(name)) return "d'" + name;  // before H, « de » (h aspiré is common in names)
    return 'de ' + name;
  }

  // --- the lists of communes --------------------------------------------------------------------

  /* Tiers: 0 the département, 1 its neighbours, 2 the rest of France. */
  function Places(urls) {
    this.urls = urls;
    this.tiers = [];
    this.loading = [];
    this.byKey = {};
    this.byPostal = {};
    this.rows = [];
    this.tierStart = [];
  }

  Places.prototype.add = function (tier, rows) {
    if (this.tiers[tier]) return;
    this.tiers[tier] = rows;
    // Rebuild in tier order (a later tier may arrive first).
    this.rows = [];
    this.byKey = {};
    this.byPostal = {};
    this.tierStart = [];
    this.keys = [];
    for (var t = 0; t < this.tiers.length; t++) {
      this.tierStart[t] = this.rows.length;
      var list = this.tiers[t] || [];
      for (var i = 0; i < list.length; i++) {
        var c = list[i];
        var index = this.rows.length;
        this.rows.push(c);
        var key = normalise(c[1]);
        this.keys.push(key);
        (this.byKey[key] = this.byKey[key] || []).push(index);
        for (var p = 0; p < c[2].length; p++) (this.byPostal[c[2][p]] = this.byPostal[c[2][p]] || []).push(index);
      }
    }
    this.tierStart[this.tiers.length] = this.rows.length;
  };

  Places.prototype.tierOf = function (c) {
    var index = this.rows.indexOf(c);
    for (var t = 0; t < this.tiers.length; t++) if (index < this.tierStart[t + 1]) return t;
    return this.tiers.length;
  };

  Places.prototype.loaded = function (tier) { return !!this.tiers[tier]; };

  /* Load a tier (0, 1 or 2); resolves once its rows are in. */
  Places.prototype.load = function (tier) {
    var self = this;
    if (this.tiers[tier]) return Promise.resolve(true);
    if (!this.loading[tier]) {
      this.loading[tier] = fetchJSON(this.urls[tier]).then(function (rows) {
        self.add(tier, rows);
        return true;
      }).catch(function () { self.add(tier, []); return false; });
    }
    return this.loading[tier];
  };

  /* The commune (never a delegated row) with this INSEE code. */
  Places.prototype.byInsee = function (insee) {
    for (var i = 0; i < this.rows.length; i++) if (this.rows[i][0] === insee && !this.rows[i][5]) return this.rows[i];
    return null;
  };

  function distinct(places, indices, maxTier) {
    var seen = {};
    var out = [];
    indices.forEach(function (i) {
      if (maxTier !== undefined && i >= places.tierStart[maxTier + 1]) return;
      var c = places.rows[i];
      if (seen[c[0]]) return;
      seen[c[0]] = 1;
      out.push(c);
    });
    return out;
  }

  /* The rows that a key names: exactly, by its first whole words, or with a small typo
   * (this.how says which: 'exact', 'prefix' or 'typo').
   * Each step only within the first tier that answers: a commune of the département
   * wins over a namesake elsewhere. Returns rows (one per INSEE code), best first. */
  Places.prototype.matchKey = function (key, options) {
    options = options || {};
    if (!key) return [];
    var maxTier = options.maxTier === undefined ? this.tiers.length - 1 : options.maxTier;
    var self = this;
    for (var t = 0; t <= maxTier && t < this.tiers.length; t++) {
      var start = this.tierStart[t];
      var end = this.tierStart[t + 1];
      var exact = (this.byKey[key] || []).filter(function (i) { return i >= start && i < end; });
      this.how = 'exact';
      if (exact.length) return distinct(this, exact);
      this.how = 'prefix';
      if (options.prefix !== false) {
        var prefix = [];
        var withSpace = key + ' ';
        for (var i = start; i < end; i++) if (this.keys[i].lastIndexOf(withSpace, 0) === 0) prefix.push(i);
        var rows = distinct(this, prefix);
        if (rows.length === 1 || (rows.length && options.several)) return rows;
        if (rows.length > 1) return options.several ? rows : [];
      }
      var limit = options.typos === false ? 0 : tolerance(key.replace(/ /g, '').length);
      this.how = 'typo';
      if (limit) {
        var best = limit + 1;
        var found = [];
        for (var k = start; k < end; k++) {
          var d = distance(key, self.keys[k], Math.min(limit, best));
          if (d < best) { best = d; found = [k]; } else if (d === best && d <= limit) found.push(k);
        }
        var near = distinct(this, found);
        if (near.length === 1 || (near.length && options.several)) return near;
        if (near.length > 1) return [];
      }
    }
    return [];
  };

  /* What a place field means. { status: 'found', commune } | { status: 'choice', communes, postal }
   * | { status: 'none', more: true } (search again after loading the next tier) | { status: 'none' }.
   * options.typos === false: no typo tolerance (while a person is still typing). */
  Places.prototype.resolve = function (text, options) {
    var value = String(text || '').trim();
    if (!value) return { status: 'empty' };
    var postal = null;
    var m = /^(.*?)\s*\((\d[\dab]\d{3})\)\s*$/i.exec(value);
    if (m) { value = m[1]; postal = m[2]; }
    // A label picked in the list: « X (commune déléguée de Y) ».
    value = value.replace(/\s*\(commune déléguée de [^)]*\)\s*$/i, '');
    var compact = fold(value).replace(/\s+/g, '');
    var rows;
    if (/^\d[\dab]\d{3}$/.test(compact)) {
      rows = distinct(this, this.byPostal[compact] || []);
      var firstTier = rows.length ? this.tierOf(rows[0]) : 0;
      rows = rows.filter(function (c) { return this.tierOf(c) === firstTier; }, this);
      if (!rows.length) {
        var code = compact.toUpperCase();
        var byCode = this.byInsee(code);
        if (byCode) return { status: 'found', commune: byCode };
      }
      if (rows.length === 1) return { status: 'found', commune: rows[0] };
      if (rows.length > 1) return { status: 'choice', communes: rows, postal: compact };
      return this.tiers.length < this.urls.length ? { status: 'none', more: true } : { status: 'none' };
    }
    var key = normalise(value);
    rows = this.matchKey(key, { several: true, typos: !(options && options.typos === false) });
    if (postal) {
      var withPostal = rows.filter(function (c) { return c[2].indexOf(postal) >= 0; });
      if (withPostal.length) rows = withPostal;
    }
    if (rows.length === 1) return { status: 'found', commune: rows[0] };
    if (rows.length > 1) {
      // A delegated commune and its commune nouvelle are one place.
      var codes = {};
      rows.forEach(function (c) { codes[c[0]] = 1; });
      if (Object.keys(codes).length === 1) return { status: 'found', commune: rows[0] };
      return { status: 'choice', communes: rows.slice(0, 12) };
    }
    return this.tiers.length < this.urls.length ? { status: 'none', more: true } : { status: 'none' };
  };

  /* Resolve, loading the next lists while nothing is found (up to `maxTier`). */
  Places.prototype.resolveAll = function (text, maxTier) {
    var self = this;
    var top = maxTier === undefined ? this.urls.length - 1 : maxTier;
    function attempt() {
      var result = self.resolve(text);
      if (result.status !== 'none') return Promise.resolve(result);
      var next = self.tiers.length;
      for (var t = 0; t <= top; t++) if (!self.tiers[t]) { next = t; break; }
      if (next > top || next >= self.urls.length) return Promise.resolve({ status: 'none' });
      return self.load(next).then(attempt);
    }
    return attempt();
  };

  /* Suggestions for an autocomplete: communes whose name (or one of its words) starts with
   * what was typed, or whose postal code does; at most `limit`, the likeliest first. */
  Places.prototype.suggest = function (text, limit) {
    limit = limit || 8;
    var value = fold(text).trim();
    var out = [];
    var seen = {};
    var self = this;
    function push(i) {
      var c = self.rows[i];
      var id = c[0] + '|' + c[1];
      if (seen[id]) return;
      seen[id] = 1;
      out.push(c);
    }
    if (!value) return out;
    if (/^\d{2,5}$/.test(value)) {
      for (var i = 0; i < this.rows.length && out.length < limit; i++) {
        var codes = this.rows[i][2];
        for (var p = 0; p < codes.length; p++) if (codes[p].lastIndexOf(value, 0) === 0) { push(i); break; }
      }
      return out;
    }
    var key = normalise(value);
    if (!key) return out;
    var passes = [
      function (k) { return k === key; },
      function (k) { return k.lastIndexOf(key, 0) === 0; },
      function (k) { return k.indexOf(' ' + key) >= 0; }
    ];
    for (var pass = 0; pass < passes.length && out.length < limit; pass++) {
      for (var j = 0; j < this.keys.length && out.length < limit; j++) if (passes[pass](this.keys[j])) push(j);
    }
    if (out.length < limit && key.length >= 4) {
      this.matchKey(key, { several: true, prefix: false }).forEach(function (c) {
        if (out.length < limit) push(self.rows.indexOf(c));
      });
    }
    return out;
  };

  // --- the autocomplete (WAI-ARIA combobox with a listbox popup) ----------------------------------

  var comboboxes = 0;

  /* input: a text input; places: a Places; options.onChoose(commune) when one is chosen,
   * options.onInput(text) on other typing. Keys: ↓/↑ move in the list, Entrée chooses,
   * Échap closes it. */
  function Combobox(input, places, options) {
    var self = this;
    comboboxes += 1;
    this.input = input;
    this.places = places;
    this.options = options || {};
    this.items = [];
    this.active = -1;
    var id = input.id + '-liste';
    var wrapper = input.parentNode;
    wrapper.classList.add('ma-combobox');
    this.list = el('ul', 'ma-suggestions');
    this.list.id = id;
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Communes proposées');
    this.list.hidden = true;
    wrapper.appendChild(this.list);
    this.status = el('span', 'ma-invisible');
    this.status.setAttribute('role', 'status');
    wrapper.appendChild(this.status);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', id);
    input.setAttribute('autocomplete', 'off');
    input.removeAttribute('list');
    input.addEventListener('input', function () { self.refresh(); });
    input.addEventListener('keydown', function (event) { self.key(event); });
    input.addEventListener('blur', function () { setTimeout(function () { self.close(); }, 150); });
    this.list.addEventListener('mousedown', function (event) { event.preventDefault(); });
    this.list.addEventListener('click', function (event) {
      var option = event.target.closest ? event.target.closest('[role="option"]') : null;
      if (option) self.choose(Number(option.dataset.rang));
    });
  }

  Combobox.prototype.refresh = function () {
    var self = this;
    var text = this.input.value;
    this.items = this.places.suggest(text, 8);
    if (this.items.length < 3 && fold(text).trim().length >= 3) {
      // Nothing (or little) in the département: look in the neighbouring départements.
      for (var t = 1; t < this.places.urls.length && t <= (this.options.maxTier || 1); t++) {
        if (!this.places.loaded(t)) {
          this.places.load(t).then(function () { if (self.input.value === text) self.refresh(); });
          break;
        }
      }
    }
    this.render();
  };

  Combobox.prototype.render = function () {
    var self = this;
    this.list.textContent = '';
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    var exact = this.items.length === 1 && label(this.items[0]) === this.input.value;
    if (!this.items.length || exact || document.activeElement !== this.input) {
      this.close();
      return;
    }
    this.items.forEach(function (c, i) {
      var option = el('li', 'ma-suggestion');
      option.id = self.list.id + '-' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.dataset.rang = String(i);
      option.appendChild(el('span', 'ma-suggestion-nom', c[1]));
      var detail = (c[2].length ? c[2][0] : '') + (c[5] ? ' · commune déléguée de ' + c[5] : '');
      if (self.places.tierOf(c) > 0) detail += ' · ' + (c[0].slice(0, 2) === '97' ? c[0].slice(0, 3) : c[0].slice(0, 2));
      if (detail) option.appendChild(el('span', 'ma-suggestion-detail', ' ' + detail));
      self.list.appendChild(option);
    });
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.status.textContent = this.items.length + (this.items.length > 1 ? ' communes proposées' : ' commune proposée') +
      ' : flèches haut et bas pour choisir.';
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  };

  Combobox.prototype.move = function (step) {
    if (this.list.hidden) { this.refresh(); if (this.list.hidden) return; }
    var n = this.items.length;
    this.active = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
    var options = this.list.children;
    for (var i = 0; i < options.length; i++) options[i].setAttribute('aria-selected', i === this.active ? 'true' : 'false');
    var current = options[this.active];
    this.input.setAttribute('aria-activedescendant', current.id);
    if (current.scrollIntoView) current.scrollIntoView({ block: 'nearest' });
  };

  Combobox.prototype.choose = function (index) {
    var c = this.items[index];
    if (!c) return;
    this.input.value = label(c);
    this.close();
    if (this.options.onChoose) this.options.onChoose(c);
  };

  Combobox.prototype.key = function (event) {
    if (event.key === 'ArrowDown') { event.preventDefault(); this.move(1); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); this.move(-1); }
    else if (event.key === 'Enter' && !this.list.hidden && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === 'Enter') {
      this.close();  // the form is submitted with what was typed: the suggestions must not cover its answer
    } else if (event.key === 'Escape') {
      if (!this.list.hidden) { event.preventDefault(); this.close(); }
    }
  };

  /* A choice between communes (a postal code shared by several): buttons under the field. */
  function choiceList(container, communes, onChoose, intro) {
    container.textContent = '';
    if (!communes || !communes.length) { container.hidden = true; return; }
    container.appendChild(el('p', 'ma-choix-intro', intro));
    var list = el('ul', 'ma-choix-liste');
    communes.forEach(function (c) {
      var item = el('li');
      var button = el('button', 'ma-lien', label(c));
      button.type = 'button';
      button.addEventListener('click', function () { onChoose(c); });
      item.appendChild(button);
      list.appendChild(item);
    });
    container.appendChild(list);
    container.hidden = false;
  }

  window.MaillageCommunes = {
    fold: fold, el: el, readConfig: readConfig, fetchJSON: fetchJSON, words: words, keyOf: keyOf,
    normalise: normalise, distance: distance, tolerance: tolerance, label: label, shortName: shortName, deName: deName,
    inDepartement: inDepartement, Places: Places, Combobox: Combobox, choiceList: choiceList
  };
})();
