"""lib/ and README.md are generated: they must match the notebooks."""
import filecmp, shutil, subprocess
from pathlib import Path
from conftest import ROOT, BIN

def _tree(d: Path):
    return {p.relative_to(d).as_posix() for p in d.rglob('*.py') if '__pycache__' not in p.parts}

def test_lib_in_sync_with_notebooks(tmp_path):
    shutil.copy(ROOT/'settings.ini', tmp_path)
    shutil.copytree(ROOT/'nbs', tmp_path/'nbs', ignore=shutil.ignore_patterns('.ipynb_checkpoints'))
    r = subprocess.run([str(BIN/'nbdev_export')], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    fresh, ours = tmp_path/'lib'/'maskrec', ROOT/'lib'/'maskrec'
    assert _tree(fresh) == _tree(ours), f'modules differ: only exported {_tree(fresh) - _tree(ours)}, only committed {_tree(ours) - _tree(fresh)}'
    stale = [f for f in sorted(_tree(fresh)) if not filecmp.cmp(fresh/f, ours/f, shallow=False)]
    assert not stale, f'lib/ is out of sync with nbs/ for {stale}: run `make export` (nbdev_export) and commit'

def test_readme_in_sync_with_index():
    from maskrec.docs import render_readme
    assert (ROOT/'README.md').read_text() == render_readme(ROOT/'nbs'/'index.ipynb'), \
        'README.md is stale: run `maskrec readme` (or `make export`) and commit'

def test_ci_runs_the_readme_test_command():
    readme, ci = (ROOT/'README.md').read_text(), (ROOT/'.ci'/'run').read_text()
    assert 'make test' in readme and '\nmake test' in ci
