"""Shared set-up for the maskrec test suite (run it with `make test`)."""
import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

def pytest_configure(config):
    # two xdist workers share two cores: one thread each
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    os.environ.setdefault('MKL_NUM_THREADS', '1')
    os.environ.setdefault('PYTHONUNBUFFERED', '1')
    os.environ.setdefault('MPLBACKEND', 'Agg')
    m = os.environ.get('MASKREC_DATA_MIRROR')
    if m and not Path(m).is_absolute(): os.environ['MASKREC_DATA_MIRROR'] = str((ROOT/m).resolve())

@pytest.fixture(scope='session')
def mirror():
    m = os.environ.get('MASKREC_DATA_MIRROR')
    if not m or not Path(m).is_dir():
        pytest.fail('These tests read the real datasets: set MASKREC_DATA_MIRROR to the offline mirror '
                    '(e.g. ../shared/data) or run on a machine that can download them.')
    return Path(m)
