"""Documentation counts for the library notebooks (issue #29): export cells over 60 lines, public
functions and classes without a docstring, `show_doc` cells, and code cells with committed outputs.

    python scripts/doc_stats.py [NOTEBOOK ...]     # default: every library notebook in nbs/
"""
import ast, json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def stats(nb_path: Path) -> dict:
    nb = json.loads(nb_path.read_text())
    code = [c for c in nb['cells'] if c['cell_type'] == 'code']
    src = lambda c: ''.join(c['source'])
    export = [c for c in code if src(c).lstrip().startswith('#| export') or '\n#| export' in src(c)]
    long_cells = [(c.get('id'), len(src(c).splitlines())) for c in export if len(src(c).splitlines()) > 60]
    nodoc, defs = [], 0
    for c in export:
        try: tree = ast.parse('\n'.join(l for l in src(c).splitlines() if not l.startswith(('%', '!'))))
        except SyntaxError: continue
        for n in ast.walk(tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs += 1
                if ast.get_docstring(n) is None: nodoc.append(n.name)
    return dict(notebook=nb_path.name, export_cells=len(export), over_60=long_cells, defs=defs, no_docstring=nodoc,
                show_doc=sum('show_doc(' in src(c) for c in code), with_outputs=sum(bool(c.get('outputs')) for c in code),
                code_cells=len(code))

if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT/'nbs').glob('[0-9]*.ipynb'))
    tot = dict(export_cells=0, over_60=0, defs=0, no_docstring=0, show_doc=0, with_outputs=0, code_cells=0)
    print(f"{'notebook':28} {'export':>6} {'>60':>4} {'defs':>5} {'no doc':>6} {'show_doc':>8} {'outputs':>11}")
    for p in paths:
        s = stats(p)
        print(f"{s['notebook']:28} {s['export_cells']:6} {len(s['over_60']):4} {s['defs']:5} {len(s['no_docstring']):6} "
              f"{s['show_doc']:8} {s['with_outputs']:5}/{s['code_cells']:<5}")
        for k in tot: tot[k] += len(s[k]) if isinstance(s[k], list) else s[k]
    print(f"{'total':28} {tot['export_cells']:6} {tot['over_60']:4} {tot['defs']:5} {tot['no_docstring']:6} {tot['show_doc']:8} "
          f"{tot['with_outputs']:5}/{tot['code_cells']:<5}")
    if len(paths) == 1:
        s = stats(paths[0]); print('over 60 lines:', s['over_60']); print('no docstring:', ', '.join(s['no_docstring']))
