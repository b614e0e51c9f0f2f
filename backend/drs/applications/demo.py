"""The demo application every new installation starts with: a least-squares fit of a
two-column data file (or of generated data), in stdlib Python, so a new user can launch
one from the Applications page within a minute of signing in."""

from __future__ import annotations

from drs.applications.models import Application
from drs.servers.models import Interpreter

PROGRAM = '''\
"""Least-squares fit of y = a + b*x (+ c*x^2) to two columns of numbers."""
import json
import random
import sys

opts = dict(arg[2:].split("=", 1) for arg in sys.argv[1:])
model = opts["model"]
if opts["data"]:
    with open(opts["data"]) as handle:
        rows = [line.split()[:2] for line in handle if line.strip() and not line.startswith("#")]
    points = [(float(x), float(y)) for x, y in rows]
    print(f"read {len(points)} points from {opts['data']}", flush=True)
else:
    rng = random.Random(int(opts["seed"]))
    noise = float(opts["noise"])
    n = int(opts["points"])
    points = [(i / n, 1.5 + 2.0 * i / n - 0.5 * (i / n) ** 2 + rng.gauss(0, noise)) for i in range(n)]
    print(f"generated {n} points, noise {noise}", flush=True)

degree = 2 if model == "parabola" else 1
# Normal equations (X^T X) c = X^T y, solved by Gaussian elimination.
size = degree + 1
a = [[sum(x ** (i + j) for x, _ in points) for j in range(size)] for i in range(size)]
b = [sum(y * x**i for x, y in points) for i in range(size)]
for col in range(size):
    pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
    a[col], a[pivot], b[col], b[pivot] = a[pivot], a[col], b[pivot], b[col]
    if abs(a[col][col]) < 1e-12:
        sys.exit("the data cannot determine this model (too few distinct x values)")
    for row in range(col + 1, size):
        factor = a[row][col] / a[col][col]
        a[row] = [v - factor * p for v, p in zip(a[row], a[col])]
        b[row] -= factor * b[col]
coefficients = [0.0] * size
for row in reversed(range(size)):
    rest = sum(a[row][k] * coefficients[k] for k in range(row + 1, size))
    coefficients[row] = (b[row] - rest) / a[row][row]
chi2 = sum((y - sum(c * x**i for i, c in enumerate(coefficients))) ** 2 for x, y in points)
fit = {"model": model, "coefficients": coefficients, "chi2": chi2, "points": len(points)}
with open("fit.json", "w") as handle:
    json.dump(fit, handle, indent=2)
print(json.dumps(fit))
'''

PARAMETERS = {
    "type": "object",
    "properties": {
        "data": {
            "type": "string",
            "format": "file",
            "title": "Data file",
            "description": "Two columns, x and y, separated by spaces; # starts a comment. "
            "Leave empty to fit generated data.",
            "x-path": "data.txt",
        },
        "model": {
            "type": "string",
            "title": "Model",
            "enum": ["line", "parabola"],
            "default": "line",
        },
        "points": {
            "type": "integer",
            "title": "Generated points",
            "minimum": 3,
            "maximum": 100000,
            "default": 50,
        },
        "noise": {
            "type": "number",
            "title": "Noise of generated data",
            "minimum": 0,
            "maximum": 10,
            "default": 0.1,
        },
        "seed": {"type": "integer", "title": "Random seed", "default": 1},
    },
}


def ensure_demo_application() -> Application:
    # Its own name: a new admin's first interpreter (the `python3 -u` preset) must not
    # collide with the demo's.
    python3, _ = Interpreter.objects.get_or_create(
        name="python3-demo", defaults={"path": "/usr/bin/env", "arguments": ["python3", "-u"]}
    )
    app, _ = Application.objects.get_or_create(
        name="least-squares-fit",
        defaults={
            "title": "Least-squares fit",
            "description": "Fits a **line** or a **parabola** to a two-column data file "
            "(or to generated data) and writes `fit.json` with the coefficients and "
            "the chi-square.",
            "interpreter": python3,
            "program": PROGRAM,
            "arguments": [
                "--data={data}",
                "--model={model}",
                "--points={points}",
                "--noise={noise}",
                "--seed={seed}",
            ],
            "parameters": PARAMETERS,
            "parameter_order": list(PARAMETERS["properties"]),
            "result_patterns": ["fit.json"],
            "timeout_seconds": 600,
        },
    )
    return app
