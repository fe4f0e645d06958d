"""The roadmap: its sections, their items and the exercises that prove each item.

This module is the one place that links the roadmap to the workbook. Each item keeps
the exact wording of the roadmap note the learner tracks in Obsidian, an Obsidian
block id (``wb-03-04``: section 3, item 4; ``wb-review-02`` for the final review) and
the ids of the exercises (``NN.K``) that prove it. An item with no exercises belongs
to a section whose notebook is not written yet; commands show it as not available
and never tick it. The final review items are proved by notebook 12's capstone
exercises.
"""

from __future__ import annotations

from dataclasses import dataclass

FINAL_REVIEW = 13
"""The section number under which the final review checklist is kept."""

CAPSTONE_SECTION = 12
"""The notebook whose exercises prove the final review items."""


@dataclass(frozen=True)
class Section:
    """One heading of the roadmap note."""

    number: int
    emoji: str
    title: str
    notebook: str

    @property
    def note_name(self) -> str:
        """The file name (without ``.md``) of the section's note in ``checklists/``.

        Obsidian file names cannot hold ``/``, so ``CI/CD`` becomes ``CI-CD``.
        """
        title = self.title.replace("/", "-")
        if self.number == FINAL_REVIEW:
            return title
        return f"{self.number:02d} {title}"

    @property
    def heading(self) -> str:
        """The heading text exactly as the roadmap note writes it."""
        if self.number == FINAL_REVIEW:
            return f"{self.emoji} {self.title}"
        return f"{self.emoji} {self.number}. {self.title}"

    @property
    def label(self) -> str:
        """The heading without its emoji, for tables and pictures."""
        if self.number == FINAL_REVIEW:
            return self.title
        return f"{self.number}. {self.title}"

    @property
    def notebook_section(self) -> int:
        """The section whose notebook holds the exercises proving these items."""
        return CAPSTONE_SECTION if self.number == FINAL_REVIEW else self.number


@dataclass(frozen=True)
class RoadmapItem:
    """One task of the roadmap and the exercises that prove it."""

    section: int
    index: int
    text: str
    block_id: str
    exercises: tuple[str, ...]

    @property
    def available(self) -> bool:
        """Whether any exercise proves this item yet."""
        return bool(self.exercises)


SECTIONS: tuple[Section, ...] = (
    Section(1, "🧱", "Foundational Concepts", "01_foundations"),
    Section(2, "🔁", "Data Engineering Pipelines", "02_data_engineering"),
    Section(3, "🧪", "ML Pipeline Architecture", "03_ml_pipeline_architecture"),
    Section(4, "⚙️", "Tools for Building Pipelines", "04_pipeline_tools"),
    Section(5, "🧰", "Containerization & Orchestration", "05_containers_kubernetes"),
    Section(6, "🧬", "Modular & Reusable Design", "06_modular_design"),
    Section(7, "🛡️", "Versioning, Testing & CI/CD", "07_versioning_testing_cicd"),
    Section(8, "🔍", "Monitoring, Logging, and Observability", "08_monitoring"),
    Section(9, "🛠️", "Handling Failures and Recovery", "09_failure_handling"),
    Section(10, "🌐", "Cloud-Native Pipelines", "10_cloud_native"),
    Section(11, "🔐", "Security & Governance", "11_security_governance"),
    Section(12, "🧠", "Real-World Project Practice", "12_real_world_projects"),
    Section(FINAL_REVIEW, "🧭", "Final Review Checklist", "12_real_world_projects"),
)

# Each entry: (task wording, exercise ids proving it). Sections whose notebook is not
# written yet list no exercises.
_ITEMS: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    1: (
        ("Understand what a pipeline is (data → transform → output)", ("01.1",)),
        ("Learn use cases: data pipelines, ML pipelines, ETL pipelines", ("01.2",)),
        ("Understand batch vs streaming pipelines", ("01.3",)),
        ("Study pipeline components: sources, processors, sinks", ("01.4",)),
        ("Understand DAGs (Directed Acyclic Graphs)", ("01.5",)),
    ),
    2: (
        ("Extract data from multiple sources (APIs, DBs, files)", ("02.1",)),
        ("Transform: data cleaning, filtering, aggregating", ("02.2",)),
        ("Load data into storage systems (data lakes, warehouses)", ("02.3",)),
        ("Learn ETL vs ELT strategies", ("02.4",)),
        ("Automate jobs with cron, Airflow, or Prefect", ("02.5",)),
    ),
    3: (
        ("Ingest raw data", ("03.1",)),
        ("Validate, clean, and preprocess data", ("03.1",)),
        ("Feature engineering and selection", ("03.2",)),
        ("Train model (with experiment tracking)", ("03.3",)),
        ("Evaluate and validate model", ("03.4",)),
        ("Package and version model", ("03.4",)),
        ("Deploy model", ("03.4",)),
        ("Monitor model (drift, decay, performance)", ("03.5",)),
    ),
    4: (
        ("Apache Airflow (orchestration)", ()),
        ("Prefect, Dagster (modern alternatives)", ()),
        ("Luigi (Python-native pipelines)", ()),
        ("Kubeflow Pipelines (K8s-native ML pipelines)", ()),
        ("MLflow (tracking + packaging)", ()),
        ("DVC (data + model versioning)", ()),
        ("TensorFlow Extended (TFX)", ()),
    ),
    5: (
        ("Dockerize each pipeline component", ()),
        ("Use Kubernetes for container orchestration", ()),
        ("Write Helm charts for deploying ML pipelines", ()),
        ("Scale workloads using resource quotas", ()),
    ),
    6: (
        ("Create reusable data transformation modules", ()),
        ("Parameterize pipeline steps (via config files)", ()),
        ("Handle different data types/sources with abstraction", ()),
        ("Use templates and code generators for common patterns", ()),
    ),
    7: (
        ("Version data (DVC, LakeFS) and models (MLflow, Git tags)", ()),
        ("Test pipeline steps (unit + integration tests)", ()),
        ("Create CI/CD pipelines for pipeline updates", ()),
        ("Use GitHub Actions / GitLab CI to automate pipeline deployment", ()),
        ("Track pipeline metadata and logs", ()),
    ),
    8: (
        ("Add logging to each pipeline step (`logging` module or `structlog`)", ()),
        ("Monitor pipeline execution time, failure rates", ()),
        ("Use Prometheus + Grafana for dashboards", ()),
        ("Track model metrics, drift, and concept decay", ()),
    ),
    9: (
        ("Implement retry policies for transient failures", ()),
        ("Use checkpoints and idempotent steps", ()),
        ("Log all inputs/outputs for audit", ()),
        ("Use message queues (Kafka, RabbitMQ) for decoupling steps", ()),
    ),
    10: (
        ("Build pipelines on AWS (Glue, Step Functions, SageMaker)", ()),
        ("Use Azure Data Factory / ML Pipelines", ()),
        ("Implement GCP pipelines (Dataflow, Vertex AI)", ()),
        ("Secure cloud pipelines (IAM, Secrets Manager, encryption)", ()),
    ),
    11: (
        ("Implement access control on pipeline components", ()),
        ("Secure secrets (environment vars, vaults)", ()),
        ("Audit logs of data transformations", ()),
        ("Validate PII handling, ensure compliance (GDPR, HIPAA)", ()),
    ),
    12: (
        ("Build a data-to-dashboard pipeline (e.g., CSV → ETL → Dashboard)", ()),
        ("Build an end-to-end ML training + deploy pipeline", ()),
        ("Build a real-time alerting pipeline using streaming data", ()),
        ("Migrate an existing script to a DAG-based orchestrated pipeline", ()),
        ("Rebuild a broken ML pipeline using modular, production-grade tools", ()),
    ),
    FINAL_REVIEW: (
        ("Can you design an end-to-end data/ML pipeline?", ()),
        ("Have you implemented retry, logging, and monitoring?", ()),
        ("Can you scale your pipeline using Docker/K8s?", ()),
        ("Do you track experiments, version data and automate deployment?", ()),
        ("Is your pipeline secure, tested, and cloud-deployable?", ()),
    ),
}


def block_id_for(section: int, index: int) -> str:
    """Return the Obsidian block id of an item, e.g. ``wb-03-04``."""
    if section == FINAL_REVIEW:
        return f"wb-review-{index:02d}"
    return f"wb-{section:02d}-{index:02d}"


def get_section(number: int) -> Section:
    """Return the section numbered ``number`` (13 is the final review).

    Raises:
        KeyError: if there is no such section.
    """
    for section in SECTIONS:
        if section.number == number:
            return section
    raise KeyError(number)


def section_items(section: int) -> list[RoadmapItem]:
    """Return the items of one section in roadmap order (empty if none).

    Args:
        section: 1 to 12, or :data:`FINAL_REVIEW` for the final review checklist.
    """
    return [
        RoadmapItem(
            section=section,
            index=index,
            text=text,
            block_id=block_id_for(section, index),
            exercises=exercises,
        )
        for index, (text, exercises) in enumerate(_ITEMS.get(section, ()), start=1)
    ]


def final_review_items() -> list[RoadmapItem]:
    """Return the final review checklist's items."""
    return section_items(FINAL_REVIEW)


def all_items() -> list[RoadmapItem]:
    """Return every item: sections 1 to 12, then the final review."""
    return [item for section in SECTIONS for item in section_items(section.number)]
