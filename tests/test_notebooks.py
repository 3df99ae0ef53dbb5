"""Every notebook's own tests, executed the way nbdev_test runs them (study notebooks at their smoke
defaults), two at a time; the executed copies then become the offline documentation site
(mkdocs-material), which headless Chromium looks at."""
import json, os
from pathlib import Path
import pytest
from conftest import ROOT
from maskrec.docs import (notebooks, execute_all, build_site, find_chromium, screenshot, overflow_report, SiteError,
                          page_path, TRACKS)

NBS = notebooks(ROOT/'nbs')
OUT = ROOT/'_docs'

@pytest.fixture(scope='session')
def executed(mirror):
    workers = int(os.environ.get('MASKREC_TEST_WORKERS', '2'))
    import shutil
    shutil.rmtree(OUT/'outputs', ignore_errors=True)   # the study pages show this suite's smoke runs
    return execute_all(NBS, out=OUT/'executed', workers=workers, study_outputs=OUT/'outputs')

@pytest.mark.parametrize('nb', NBS, ids=lambda p: str(p.relative_to(ROOT/'nbs')))
def test_notebook(nb, executed):
    rec = executed[nb.relative_to(ROOT/'nbs').as_posix()]
    assert rec['ok'], f"{nb.name} failed its tests:\n{rec['error'][-6000:]}"

@pytest.fixture(scope='session')
def site(executed):
    return OUT/'site', build_site(OUT/'executed', OUT/'site', outputs=OUT/'outputs')

def test_site_has_a_page_per_notebook_and_no_errors(site):
    path, rec = site
    assert set(rec['notebooks']) == {p.relative_to(ROOT/'nbs').as_posix() for p in NBS}
    for rel, n in rec['notebooks'].items():
        assert n['executed'] and (path/n['page']).exists(), rel
        assert not n['error_cells'], f'{rel}: cells {n["error_cells"]} errored'
    assert rec['external'] == [], f'pages fetch from the network: {rec["external"]}'
    assert (path/'search'/'search_index.js').exists()          # search works from file:// (offline plugin)
    index = (path/'index.html').read_text()
    import re
    tabs = re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', index)
    assert set(TRACKS.values()) <= set(tabs), f'tracks without a tab: {set(TRACKS.values()) - set(tabs)}'
    page = (path/'core'/'00_core.html').read_text()
    assert 'seed_everything' in page and 'md-sidebar' in page and '#| export' not in page
    api = (path/'api'/'maskrec.core.html').read_text()
    assert 'doc-signature' in api and 'seed_everything' in api                # mkdocstrings signatures
    assert any((path/'methods').glob('*.html')), 'no method documents on the site'
    from maskrec.runner import load_studies
    for s in load_studies():   # each results page shows the tables and figures of this suite's smoke run
        html = (path/'results'/f'{s}.html').read_text()
        smoke = html.split('id="profile-smoke"')[1].split('id="profile-cpu"')[0]
        assert 'No successful run' not in smoke and '<table' in smoke and '<img' in smoke, s
        assert '>nan<' not in html and "{'" not in html, f'{s}: nan cells or dict reprs on the results page'

def test_site_refuses_notebooks_never_executed(tmp_path, capsys):
    with pytest.raises(SiteError, match='never executed'): build_site(tmp_path/'nothing', tmp_path/'site')
    assert not (tmp_path/'site').exists()
    from maskrec.cli import main
    assert main(['docs', '--no-execute', '--executed', str(tmp_path/'nothing'), '--out', str(tmp_path/'site')]) == 2
    assert '--allow-unexecuted' in capsys.readouterr().err and not (tmp_path/'site').exists()

@pytest.fixture(scope='session')
def chromium():
    if not find_chromium(): pytest.skip("Debian's chromium is not installed (make test installs it where apt works)")

PAGES = {'index': 'index.html', 'library': page_path('11_faces.masks.ipynb')[:-3] + '.html',
         'study': page_path('studies/masked_lfw.ipynb')[:-3] + '.html', 'results': 'results/masked_lfw.html'}

def test_site_screenshots(site, chromium):
    path, rec = site
    for name, page in PAGES.items():
        data = screenshot((path/page).as_uri(), OUT/'screenshots'/f'{name}.png').read_bytes()
        assert data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 10_000, name   # a real, non-blank picture

def test_no_table_or_code_block_overflows(site, chromium, tmp_path):
    path, rec = site
    # the check itself finds what sticks out (a control page with a clipped block and a wide table)
    (tmp_path/'overflow-check.js').write_text((ROOT/'docs'/'assets'/'overflow-check.js').read_text())
    (tmp_path/'p.html').write_text('<div class="md-content__inner" style="width:300px"><table style="width:900px"><tr><td>x</td></tr></table>'
                                   '<div style="overflow:hidden"><pre>' + 'long line ' * 40 + '</pre></div></div><script src="overflow-check.js"></script>')
    control = overflow_report((tmp_path/'p.html').as_uri())
    assert {o['why'] for o in control['overflowing']} == {'runs past the content column', 'clipped'}, control
    pages = [*PAGES.values(), 'results/macd.html', 'api/maskrec.rec.imvae.html', page_path('20_rec.data.ipynb')[:-3] + '.html']
    for page in pages:
        rep = overflow_report((path/page).as_uri())
        assert rep['checked'] > 0 and rep['overflowing'] == [], (page, rep)
