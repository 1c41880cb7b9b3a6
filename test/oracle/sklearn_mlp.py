"""Reports the test accuracy an off-the-shelf MLP reaches on edgeprop's splits.

This is an oracle for the numbers in test/core/real-data.test.ts, not a
dependency of edgeprop; CI does not run it. It reads the rows of
test/fixtures/splits.json (written by test/reference/write-splits.ts), so
both sides train and test on the very same samples, and writes
test/oracle/sklearn_mlp.json.

Run with Debian's scikit-learn (apt-get install python3-sklearn):
    /usr/bin/python3 test/oracle/sklearn_mlp.py
"""
import csv
import json
import pathlib
import platform

import numpy
import sklearn
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
HIDDEN_UNITS = {"iris": 16, "digits": 32}
SEEDS = range(10)


def load(name):
    """Reads a fixture CSV: number columns, then the label column."""
    with open(FIXTURES / f"{name}.csv", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    x = numpy.array([[float(cell) for cell in row[:-1]] for row in rows])
    y = numpy.array([row[-1] for row in rows])
    return x, y


def accuracy(name, split, seed):
    """Trains one MLPClassifier on the training rows; scores the test rows."""
    x, y = load(name)
    train, test = split["train"], split["test"]
    scaler = StandardScaler().fit(x[train])
    model = MLPClassifier(
        hidden_layer_sizes=(HIDDEN_UNITS[name],),
        activation="relu",
        solver="adam",
        max_iter=2000,
        random_state=seed,
    )
    model.fit(scaler.transform(x[train]), y[train])
    return float(model.score(scaler.transform(x[test]), y[test]))


def main():
    """Scores each dataset over ten seeds and writes the summary JSON."""
    splits = json.loads((FIXTURES / "splits.json").read_text())
    report = {
        "about": "sklearn MLPClassifier on test/fixtures/splits.json; "
        "StandardScaler fit on the training rows; relu hidden layer; adam "
        "with sklearn's defaults (learning_rate_init 0.001, alpha 1e-4, "
        "batch_size min(200, n)); max_iter 2000; random_state 0..9",
        "sklearn": sklearn.__version__,
        "python": platform.python_version(),
        "splitSeed": splits["seed"],
    }
    for name in ("iris", "digits"):
        scores = [accuracy(name, splits[name], seed) for seed in SEEDS]
        report[name] = {
            "hiddenUnits": HIDDEN_UNITS[name],
            "trainRows": len(splits[name]["train"]),
            "testRows": len(splits[name]["test"]),
            "accuracies": [round(score, 4) for score in scores],
            "mean": round(sum(scores) / len(scores), 4),
            "min": round(min(scores), 4),
            "max": round(max(scores), 4),
        }
        print(name, report[name])
    (HERE / "sklearn_mlp.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
