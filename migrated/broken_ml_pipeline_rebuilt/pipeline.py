"""The churn model rebuilt as a Luigi pipeline: validated, honest, tracked, versioned.

The DAG, one task per step, each writing its outputs atomically under --state-root::

    RawSnapshots (the CSV export, not produced here)
      -> ValidateSnapshots   clean.parquet + validation.json (every repair counted)
      -> SplitByTime         train.parquet, test.parquet, split.json (no shared rows)
      -> TrainModel          models/churn-<sha>.joblib + .json, a model card per run,
                             an MLflow run in <state-root>/mlflow.db
    BrokenMetric             what legacy_scripts/broken_ml_pipeline.py reports
      -> EvaluateModel       evaluation.json and evaluation.md, honest beside broken
    ChurnPipeline            the root

Run it from anywhere:

    python migrated/broken_ml_pipeline_rebuilt/pipeline.py --state-root runs/churn

It exits non-zero when a task fails (see luigi.cfg). The model files are named by
their content hash and never overwritten; re-running with the same data and seed
finds every output in place and does nothing.
"""

from __future__ import annotations

import datetime
import json
import os
import pickle
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import joblib
import luigi
import luigi.configuration
import luigi.retcodes
import pandas as pd
import sklearn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import churn_steps as steps  # noqa: E402

LEGACY = HERE.parent.parent / "legacy_scripts"
luigi.configuration.add_config_path(str(HERE / "luigi.cfg"))


def write_json(target: luigi.LocalTarget, document: dict) -> None:
    """Write a JSON document atomically through the target."""
    with target.temporary_path() as temporary:
        Path(temporary).write_text(json.dumps(document, indent=2, default=str) + "\n")


def write_parquet(target: luigi.LocalTarget, frame: pd.DataFrame) -> None:
    """Write a frame as Parquet atomically through the target."""
    with target.temporary_path() as temporary:
        frame.to_parquet(temporary, index=False)


class RawSnapshots(luigi.ExternalTask):
    """The monthly snapshot export the broken script read."""

    data_dir = luigi.Parameter(default=str(LEGACY / "data"))

    def output(self):
        return luigi.LocalTarget(str(Path(self.data_dir) / "churn_snapshots.csv"))


class ValidateSnapshots(luigi.Task):
    """Load with pinned dtypes, repair and count known faults, validate the schema."""

    data_dir = luigi.Parameter(default=str(LEGACY / "data"))
    state_root = luigi.Parameter(default="runs/churn_rebuilt")

    def requires(self):
        return RawSnapshots(data_dir=self.data_dir)

    def output(self):
        root = Path(self.state_root)
        return {
            "clean": luigi.LocalTarget(str(root / "clean.parquet")),
            "report": luigi.LocalTarget(str(root / "validation.json")),
        }

    def run(self):
        raw = pd.read_csv(self.input().path, dtype=steps.DTYPES)
        clean, counts = steps.clean(raw)
        write_parquet(self.output()["clean"], steps.add_features(clean))
        write_json(self.output()["report"], counts)


class SplitByTime(luigi.Task):
    """Train on the earlier months, test on the last ones."""

    data_dir = luigi.Parameter(default=str(LEGACY / "data"))
    state_root = luigi.Parameter(default="runs/churn_rebuilt")
    test_months = luigi.IntParameter(default=steps.TEST_MONTHS)

    def requires(self):
        return ValidateSnapshots(data_dir=self.data_dir, state_root=self.state_root)

    def output(self):
        root = Path(self.state_root) / f"split-{self.test_months}"
        return {
            "train": luigi.LocalTarget(str(root / "train.parquet")),
            "test": luigi.LocalTarget(str(root / "test.parquet")),
            "summary": luigi.LocalTarget(str(root / "split.json")),
        }

    def run(self):
        frame = pd.read_parquet(self.input()["clean"].path)
        split = steps.split_by_time(frame, self.test_months)
        shared = steps.row_overlap(split)
        if shared:
            raise ValueError(f"{shared} test rows also appear in train")
        write_parquet(self.output()["train"], split.train)
        write_parquet(self.output()["test"], split.test)
        write_json(
            self.output()["summary"],
            {
                "cutoff": split.cutoff,
                "train_rows": len(split.train),
                "test_rows": len(split.test),
                "train_churn_rate": round(float(split.train[steps.TARGET].mean()), 4),
                "test_churn_rate": round(float(split.test[steps.TARGET].mean()), 4),
                "test_rows_in_train": shared,
            },
        )


class TrainModel(luigi.Task):
    """Fit the pipeline, track the run in MLflow, save a content-addressed model."""

    data_dir = luigi.Parameter(default=str(LEGACY / "data"))
    state_root = luigi.Parameter(default="runs/churn_rebuilt")
    test_months = luigi.IntParameter(default=steps.TEST_MONTHS)
    seed = luigi.IntParameter(default=7)

    def requires(self):
        return SplitByTime(
            data_dir=self.data_dir,
            state_root=self.state_root,
            test_months=self.test_months,
        )

    def output(self):
        card = f"model-card-split{self.test_months}-seed{self.seed}.json"
        return luigi.LocalTarget(str(Path(self.state_root) / "models" / card))

    def run(self):
        import mlflow

        train = pd.read_parquet(self.input()["train"].path)
        test = pd.read_parquet(self.input()["test"].path)
        split = steps.Split(train=train, test=test, cutoff="")
        model, search = steps.train(split, self.seed)

        # the artifact: named by its content, written once, never replaced
        payload = pickle.dumps(model)
        digest = steps.content_hash(payload)
        models = Path(self.state_root) / "models"
        artifact = luigi.LocalTarget(str(models / f"churn-{digest}.joblib"))
        if not artifact.exists():
            with artifact.temporary_path() as temporary:
                joblib.dump(model, temporary)

        metadata = {
            "artifact": Path(artifact.path).name,
            "content_sha256_12": digest,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "training_data_sha256_12": steps.frame_hash(train),
            "training_rows": len(train),
            "features": steps.CATEGORICAL + steps.NUMERIC,
            "excluded": [steps.TARGET, steps.ENTITY, steps.TIME_COLUMN]
            + steps.POST_OUTCOME,
            "seed": self.seed,
            "hyperparameters": search["chosen"],
            "cv_roc_auc_grouped_by_customer": search["cv_roc_auc"],
            "versions": {
                "python": platform.python_version(),
                "scikit-learn": sklearn.__version__,
                "pandas": pd.__version__,
            },
        }

        mlflow.set_tracking_uri(f"sqlite:///{Path(self.state_root).resolve()}/mlflow.db")
        experiment = "churn-rebuilt"
        if mlflow.get_experiment_by_name(experiment) is None:
            artifacts = (Path(self.state_root).resolve() / "mlruns").as_uri()
            mlflow.create_experiment(experiment, artifact_location=artifacts)
        mlflow.set_experiment(experiment)
        with mlflow.start_run(run_name=f"seed-{self.seed}") as run:
            mlflow.log_params({"seed": self.seed, **search["chosen"]})
            mlflow.log_metric("cv_roc_auc", search["cv_roc_auc"])
            mlflow.set_tags(
                {
                    "model_sha256_12": digest,
                    "training_data_sha256_12": metadata["training_data_sha256_12"],
                }
            )
            metadata["mlflow_run_id"] = run.info.run_id

        sidecar = luigi.LocalTarget(str(models / f"churn-{digest}.json"))
        if not sidecar.exists():
            write_json(sidecar, metadata)
        write_json(self.output(), metadata)


class BrokenMetric(luigi.Task):
    """Run the legacy script in a scratch copy and keep the accuracy it prints."""

    state_root = luigi.Parameter(default="runs/churn_rebuilt")
    legacy_dir = luigi.Parameter(default=str(LEGACY))

    def output(self):
        return luigi.LocalTarget(str(Path(self.state_root) / "broken_metric.json"))

    def run(self):
        legacy = Path(self.legacy_dir)
        with tempfile.TemporaryDirectory() as scratch:
            shutil.copytree(legacy / "data", Path(scratch) / "data")
            shutil.copy(legacy / "broken_ml_pipeline.py", scratch)
            finished = subprocess.run(
                [sys.executable, "broken_ml_pipeline.py"],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
                env={**os.environ, "HOME": scratch},
            )
        found = re.search(r"accuracy: ([0-9.]+)", finished.stdout)
        if found is None:
            raise ValueError("the legacy script printed no 'accuracy: ...' line")
        write_json(
            self.output(),
            {
                "accuracy": float(found.group(1)),
                "measured_on": "the training rows, after oversampling before the split",
            },
        )


class EvaluateModel(luigi.Task):
    """Score the test months and put the honest metric beside the broken one."""

    data_dir = luigi.Parameter(default=str(LEGACY / "data"))
    state_root = luigi.Parameter(default="runs/churn_rebuilt")
    test_months = luigi.IntParameter(default=steps.TEST_MONTHS)
    seed = luigi.IntParameter(default=7)

    def requires(self):
        return {
            "model": TrainModel(
                data_dir=self.data_dir,
                state_root=self.state_root,
                test_months=self.test_months,
                seed=self.seed,
            ),
            "split": SplitByTime(
                data_dir=self.data_dir,
                state_root=self.state_root,
                test_months=self.test_months,
            ),
            "broken": BrokenMetric(state_root=self.state_root),
        }

    def output(self):
        root = Path(self.state_root) / f"evaluation-split{self.test_months}-seed{self.seed}"
        return {
            "json": luigi.LocalTarget(str(root / "evaluation.json")),
            "markdown": luigi.LocalTarget(str(root / "evaluation.md")),
        }

    def run(self):
        import mlflow

        card = json.loads(Path(self.input()["model"].path).read_text())
        model = joblib.load(Path(self.input()["model"].path).parent / card["artifact"])
        train = pd.read_parquet(self.input()["split"]["train"].path)
        test = pd.read_parquet(self.input()["split"]["test"].path)
        honest = steps.evaluate(model, steps.Split(train=train, test=test, cutoff=""))
        broken = json.loads(Path(self.input()["broken"].path).read_text())

        mlflow.set_tracking_uri(f"sqlite:///{Path(self.state_root).resolve()}/mlflow.db")
        with mlflow.start_run(run_id=card["mlflow_run_id"]):
            mlflow.log_metrics({f"test_{k}": v for k, v in honest.items()})

        report = {"model": card["artifact"], "honest": honest, "broken": broken}
        write_json(self.output()["json"], report)
        rows = [
            ("accuracy", f"{broken['accuracy']:.3f}", f"{honest['accuracy']:.3f}"),
            ("majority-class accuracy", "not reported", f"{honest['majority_baseline_accuracy']:.3f}"),
            ("balanced accuracy", "not reported", f"{honest['balanced_accuracy']:.3f}"),
            ("ROC AUC", "not reported", f"{honest['roc_auc']:.3f}"),
        ]
        lines = [
            "# Churn model: the broken metric beside the honest one",
            "",
            f"Model `{card['artifact']}`, tested on {honest['test_rows']} rows from the "
            f"last {self.test_months} months (churn rate {honest['churn_rate']:.1%}).",
            "",
            "| metric | broken script | rebuilt pipeline |",
            "| --- | --- | --- |",
            *(f"| {name} | {old} | {new} |" for name, old, new in rows),
            "",
            f"The broken script measured {broken['measured_on']}.",
        ]
        with self.output()["markdown"].temporary_path() as temporary:
            Path(temporary).write_text("\n".join(lines) + "\n")


class ChurnPipeline(luigi.WrapperTask):
    """The root: everything the rebuilt pipeline produces."""

    data_dir = luigi.Parameter(default=str(LEGACY / "data"))
    state_root = luigi.Parameter(default="runs/churn_rebuilt")
    seed = luigi.IntParameter(default=7)

    def requires(self):
        return EvaluateModel(
            data_dir=self.data_dir, state_root=self.state_root, seed=self.seed
        )


if __name__ == "__main__":
    luigi.retcodes.run_with_retcodes(
        ["ChurnPipeline", "--local-scheduler", *sys.argv[1:]]
    )
