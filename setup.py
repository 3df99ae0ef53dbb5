# Packaging for the nbdev-exported library in lib/maskrec (settings.ini is the single source of metadata).
from configparser import ConfigParser
from pathlib import Path
import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here/'settings.ini', encoding='utf-8')
c = cfg['DEFAULT']
reqs = [l.strip() for l in (here/'requirements.txt').read_text().splitlines()
        if l.strip() and not l.startswith(('#', '-'))] if (here/'requirements.txt').exists() else []
setuptools.setup(
    name=c['lib_name'], version=c['version'], description=c['description'],
    author=c['author'], author_email=c['author_email'], license='Apache-2.0', url=c['git_url'],
    python_requires=f">={c['min_python']}",
    package_dir={'': 'lib'}, packages=setuptools.find_packages('lib'),
    include_package_data=True, zip_safe=False,
    install_requires=[],  # pinned set: requirements.txt (pip) or environment.yml (conda)
    entry_points={'console_scripts': [c['console_scripts']],
                  'nbdev': [f"{c['lib_name']}={c['lib_name']}._modidx:d"]},
)
