"""Every notebook's own tests, executed the way nbdev_test runs them (study notebooks at their smoke
defaults), two at a time; the executed copies then become the offline documentation site."""
import json, os
from pathlib import Path
import pytest
from conftest import ROOT
from maskrec.docs import notebooks, execute_all, build_site, find_chromium, screenshot

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
def site(executed, tmp_path_factory):
    return OUT/'site', build_site(OUT/'executed', OUT/'site', outputs=OUT/'outputs')

def test_site_has_a_page_per_notebook_and_no_errors(site):
    path, rec = site
    assert set(rec['notebooks']) == {p.relative_to(ROOT/'nbs').as_posix() for p in NBS}
    for rel, n in rec['notebooks'].items():
        assert n['executed'] and (path/n['page']).exists() or rel == 'index.ipynb', rel
        assert not n['error_cells'], f'{rel}: cells {n["error_cells"]} errored'
    assert 'index.html' in rec['pages']
    page = (path/rec['notebooks']['00_core.ipynb']['page']).read_text()
    assert 'seed_everything' in page and 'mr-nav' in page and '#| export' not in page
    from maskrec.runner import load_studies
    for s in load_studies():   # each study page shows the tables and figures of this suite's smoke run
        html = (path/f'study_{s}.html').read_text()
        assert 'No successful run yet' not in html and '<table' in html and '<img' in html, s

def test_site_screenshots(site, tmp_path):
    path, rec = site
    if not find_chromium(): pytest.skip("Debian's chromium is not installed (make test installs it where apt works)")
    from maskrec.runner import load_studies
    shots = [screenshot((path/'index.html').as_uri(), OUT/'screenshots'/'index.png')]
    study = next(iter(load_studies()), None)
    if study: shots.append(screenshot((path/f'study_{study}.html').as_uri(), OUT/'screenshots'/f'study_{study}.png'))
    for s in shots:
        data = s.read_bytes()
        assert data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 10_000, s   # a real, non-blank picture
