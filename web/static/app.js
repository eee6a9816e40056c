// Keyboard shortcuts and bulk selection for the triage queue. Every action
// is an ordinary form, so the pages work without this file.
(function () {
  'use strict';

  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  var current = -1;

  function setCurrent(i) {
    if (i < 0 || i >= rows.length) {
      return;
    }
    if (current >= 0) {
      rows[current].classList.remove('current');
    }
    current = i;
    rows[i].classList.add('current');
    rows[i].scrollIntoView({ block: 'nearest' });
    var link = rows[i].querySelector('a.item-link');
    if (link) {
      link.focus({ preventScroll: true });
    }
  }

  function typing(el) {
    return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
  }

  function updateCount() {
    var out = document.getElementById('selected-count');
    if (out) {
      out.textContent = String(document.querySelectorAll('input.pick:checked').length);
    }
  }

  function rowAction(key) {
    var row = rows[current];
    if (!row) {
      return false;
    }
    switch (key) {
      case 'i':
        var include = row.querySelector('button.do-include');
        if (include) {
          include.click();
        }
        return true;
      case 'x':
        var reason = row.querySelector('input.reason-input');
        if (reason) {
          reason.focus();
          reason.select();
        }
        return true;
      case 'e':
        var details = row.querySelector('details.edit');
        if (details) {
          details.open = true;
          var heading = details.querySelector('input.heading-input');
          if (heading) {
            heading.focus();
          }
        }
        return true;
      case 'm':
        var pick = row.querySelector('input.pick');
        if (pick) {
          pick.checked = !pick.checked;
          updateCount();
        }
        return true;
    }
    return false;
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) {
      return;
    }
    if (typing(e.target)) {
      if (e.key === 'Escape') {
        e.target.blur();
      }
      return;
    }
    var handled = false;
    if (e.key === 'j') {
      setCurrent(current < 0 ? 0 : Math.min(current + 1, rows.length - 1));
      handled = rows.length > 0;
    } else if (e.key === 'k') {
      setCurrent(Math.max(current - 1, 0));
      handled = rows.length > 0;
    } else if (current < 0 && rows.length > 0 && 'ixem'.indexOf(e.key) >= 0) {
      setCurrent(0);
      handled = rowAction(e.key);
    } else {
      handled = rowAction(e.key);
    }
    if (handled) {
      e.preventDefault();
    }
  });

  rows.forEach(function (row, i) {
    row.addEventListener('click', function () {
      if (current >= 0) {
        rows[current].classList.remove('current');
      }
      current = i;
      row.classList.add('current');
    });
  });

  document.addEventListener('change', function (e) {
    if (e.target && e.target.classList && e.target.classList.contains('pick')) {
      updateCount();
    }
  });
  updateCount();
})();
