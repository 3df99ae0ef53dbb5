"""Refactors keep the numbers: the rec studies' smoke tables equal the frozen golden ones
(`scripts/golden.py`; timing and memory columns excluded). A changed number is a bug fixed (then
refreeze with `python scripts/golden.py freeze` and say which, in the commit) or a regression."""
import importlib.util
import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location('golden', ROOT/'scripts'/'golden.py')
golden = importlib.util.module_from_spec(spec); spec.loader.exec_module(golden)

@pytest.mark.parametrize('study', golden.STUDIES)
def test_smoke_tables_match_golden(study, mirror, tmp_path):
    frozen_on = (golden.GOLDEN/'MACHINE').read_text().strip()
    if frozen_on != golden.fingerprint():
        pytest.skip(f'golden tables were frozen on another machine kind ({frozen_on}); floats differ across CPUs')
    diffs = golden.compare(study, golden.run_smoke(study, tmp_path))
    assert not diffs, 'smoke tables moved:\n' + '\n'.join(diffs[:40])
