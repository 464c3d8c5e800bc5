/* Maillage — what the directory and the commune lookup share: text folding, DOM helpers,
 * reading the JSON config block, and finding a commune typed by a person.
 * Communes are rows of annuaire/communes.json: [insee, name, [postal codes], lat, lon, parent name]. */
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

  function label(c) {
    var name = c[1] + (c[5] ? ' (commune déléguée de ' + c[5] + ')' : '');
    return c[2].length ? name + ' (' + c[2][0] + ')' : name;
  }

  function fillDatalist(datalist, communes) {
    var fragment = document.createDocumentFragment();
    communes.forEach(function (c) {
      var option = document.createElement('option');
      option.value = label(c);
      fragment.appendChild(option);
    });
    datalist.appendChild(fragment);
  }

  /* A commune from what was typed: its label, a postal code, an INSEE code or its name. */
  function find(communes, text) {
    var value = fold(text).trim();
    if (!value) return null;
    var i;
    for (i = 0; i < communes.length; i++) if (fold(label(communes[i])) === value) return communes[i];
    if (/^\d[\dab]\d{3}$/.test(value)) {
      for (i = 0; i < communes.length; i++) if (communes[i][2].indexOf(value) >= 0) return communes[i];
      for (i = 0; i < communes.length; i++) if (fold(communes[i][0]) === value && !communes[i][5]) return communes[i];
    }
    var key = value.replace(/[^a-z0-9]+/g, ' ').trim();
    for (i = 0; i < communes.length; i++) {
      if (fold(communes[i][1]).replace(/[^a-z0-9]+/g, ' ').trim() === key) return communes[i];
    }
    return null;
  }

  function byInsee(communes, insee) {
    for (var i = 0; i < communes.length; i++) if (communes[i][0] === insee && !communes[i][5]) return communes[i];
    return null;
  }

  window.MaillageCommunes = {
    fold: fold, el: el, readConfig: readConfig, label: label, fillDatalist: fillDatalist, find: find,
    byInsee: byInsee
  };
})();
