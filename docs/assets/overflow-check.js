// maskrec site check (used by the test suite through maskrec.docs.overflow_report).
// Inert on a normal visit. With "?overflow-check" in the URL it lists the tables, code blocks,
// images and HTML outputs that reach past the content column without a scrolling box of their
// own, or that a box clips, as JSON in <pre id="mr-overflow-report">.
(function () {
  if (!/[?&]overflow-check\b/.test(location.search)) return;
  function describe(e) {
    return { tag: e.tagName.toLowerCase(), cls: String(e.className || '').slice(0, 40), text: (e.textContent || '').trim().slice(0, 60) };
  }
  function run() {
    var box = document.querySelector('.md-content__inner') || document.body;
    var right = box.getBoundingClientRect().right + 1, bad = [], n = 0;
    box.querySelectorAll('table, pre, img, .mr-output').forEach(function (e) {
      var r = e.getBoundingClientRect();
      if (!r.width) return;
      n++;
      for (var a = e; a && a !== box.parentElement; a = a.parentElement) {
        var s = getComputedStyle(a).overflowX;
        if (s === 'auto' || s === 'scroll') {
          if (a.getBoundingClientRect().right > right) { var d = describe(e); d.why = 'scroll box wider than the page'; bad.push(d); }
          return;
        }
        if ((s === 'hidden' || s === 'clip') && a.scrollWidth > a.clientWidth + 1) { var d2 = describe(e); d2.why = 'clipped'; bad.push(d2); return; }
      }
      if (r.right > right) { var d3 = describe(e); d3.why = 'runs past the content column'; bad.push(d3); }
    });
    var out = document.createElement('pre');
    out.id = 'mr-overflow-report';
    out.textContent = JSON.stringify({ checked: n, overflowing: bad, right: Math.round(right) });
    document.body.appendChild(out);
  }
  window.addEventListener('load', function () { setTimeout(run, 300); });
})();
