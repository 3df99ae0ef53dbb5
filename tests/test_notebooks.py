"""Every notebook's own tests, through nbdev_test (study notebooks run at their smoke defaults)."""
import os, subprocess, time
from pathlib import Path
import pytest
from conftest import ROOT, BIN

def _notebooks():
    nbs = ROOT/'nbs'
    return sorted(p for p in nbs.rglob('*.ipynb')
                  if not any(part.startswith(('_', '.')) for part in p.relative_to(nbs).parts))

# the slowest first, so that two workers finish together
_ORDER = lambda p: (0 if 'studies' in p.parts else 1, p.name)

@pytest.mark.parametrize('nb', sorted(_notebooks(), key=_ORDER), ids=lambda p: str(p.relative_to(ROOT/'nbs')))
def test_notebook(nb, mirror):
    t0 = time.perf_counter()
    r = subprocess.run([str(BIN/'nbdev_test'), '--path', str(nb)], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    out = '\n'.join(l for l in (r.stdout + r.stderr).splitlines() if '[IPKernelApp]' not in l)
    assert r.returncode == 0, f'{nb.name} failed its tests:\n{out[-6000:]}'
    print(f'{nb.name}: {time.perf_counter() - t0:.1f}s')
