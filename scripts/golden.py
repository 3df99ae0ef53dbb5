"""Golden tables: freeze the smoke-profile tables of the recommendation studies, and compare a new run
with them. Refactors must keep these numbers (or explain each change).

    python scripts/golden.py freeze   # run the four studies at `smoke`, write tests/golden/
    python scripts/golden.py check    # run them again and compare (what tests/test_golden.py does)

Timing and memory columns (and the cost/efficiency tables) are left out: they change run to run.
Numbers are compared exactly on the machine kind that froze them (CPU model, flags, torch version);
floating-point results legitimately differ across CPUs, so elsewhere the comparison is skipped."""
import csv, hashlib, json, platform, re, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT/'tests'/'golden'
STUDIES = ('rec_baselines', 'imvae', 'macd', 'slmrec')
SKIP_TABLES = re.compile(r'cost|efficiency')
VOLATILE = re.compile(r's_per_epoch|_s$|_s_|seconds|per_s|rss|mem|gpu|wall|time', re.I)

def fingerprint() -> str:
    "The machine kind whose floating-point results the golden files hold."
    import torch
    info = Path('/proc/cpuinfo').read_text() if Path('/proc/cpuinfo').exists() else platform.processor()
    model = next((l.split(':', 1)[1].strip() for l in info.splitlines() if l.startswith('model name')), platform.machine())
    flags = next((l.split(':', 1)[1].split() for l in info.splitlines() if l.startswith('flags')), [])
    return f"{model} | flags {hashlib.sha256(' '.join(sorted(flags)).encode()).hexdigest()[:12]} | torch {torch.__version__}"

def stable_table(path: Path) -> list[list[str]]:
    "A table's rows without its timing/memory columns."
    rows = list(csv.reader(path.open(newline='')))
    if not rows: return rows
    keep = [i for i, h in enumerate(rows[0]) if not VOLATILE.search(h)]
    return [[r[i] if i < len(r) else '' for i in keep] for r in rows]

def tables_of(run_dir: Path) -> dict:
    return {p.name: stable_table(p) for p in sorted((Path(run_dir)/'tables').glob('*.csv')) if not SKIP_TABLES.search(p.stem)}

def run_smoke(study: str, outputs: Path) -> Path:
    from maskrec.runner import run_study
    r = run_study(study, 'smoke', outputs=outputs, progress=False)
    assert r.status == 'success', f'{study} smoke run {r.status}: see {r.run_dir}'
    return Path(r.run_dir)

def freeze(outputs: Path):
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for s in STUDIES:
        (GOLDEN/f'{s}.json').write_text(json.dumps(tables_of(run_smoke(s, outputs)), indent=0) + '\n')
    (GOLDEN/'MACHINE').write_text(fingerprint() + '\n')

def compare(study: str, run_dir: Path) -> list[str]:
    "Differences between a run's tables and the golden ones, as readable lines (empty: identical)."
    gold, new = json.loads((GOLDEN/f'{study}.json').read_text()), tables_of(run_dir)
    out = [f'{study}: table {t} missing' for t in gold if t not in new] + [f'{study}: new table {t}' for t in new if t not in gold]
    for t in gold.keys() & new.keys():
        g, n = gold[t], new[t]
        if g[:1] != n[:1]: out.append(f'{study}/{t}: header {g[:1]} -> {n[:1]}'); continue
        for i, (a, b) in enumerate(zip(g, n)):
            if a != b: out += [f'{study}/{t} row {i}: {h}: {x} -> {y}' for h, x, y in zip(g[0], a, b) if x != y]
        if len(g) != len(n): out.append(f'{study}/{t}: {len(g)} rows -> {len(n)}')
    return out

if __name__ == '__main__':
    cmd = sys.argv[1] if len(sys.argv) > 1 else 'check'
    with tempfile.TemporaryDirectory() as d:
        if cmd == 'freeze': freeze(Path(d)); print('frozen:', fingerprint())
        else:
            diffs = [l for s in STUDIES for l in compare(s, run_smoke(s, Path(d)))]
            print('\n'.join(diffs) or 'identical'); sys.exit(1 if diffs else 0)
