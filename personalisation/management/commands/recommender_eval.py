import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from personalisation.baskets import baskets_read
from personalisation.evaluation import recommenders_evaluate


class Command(BaseCommand):
    help = (
        "Score the recommenders on past baskets (one basket a line, items "
        "comma-separated): HR@k and NDCG@k with one item of each held-out "
        "basket hidden, against the popularity baseline."
    )

    def add_arguments(self, parser):
        parser.add_argument("--baskets", required=True, type=Path)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("-k", type=int, default=10, help="list length")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        path, k = options["baskets"], options["k"]
        if k < 1:
            raise CommandError("-k must be at least 1.")
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            baskets = baskets_read(path=path)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from None
        if not baskets:
            raise CommandError(f"{path} holds no basket.")
        figures, counts = recommenders_evaluate(
            baskets=baskets, seed=options["seed"], k=k
        )
        if not counts["cases"]:
            raise CommandError(
                "No held-out basket has two items or more: nothing to score."
            )
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(_table(figures, counts, k))


def _table(figures: dict, counts: dict, k: int) -> str:
    results = figures["results"]
    baseline = results["popularity"][f"ndcg@{k}"] or None
    lines = [
        f"{counts['train']} training baskets, {counts['cases']} held-out cases",
        "",
        f"| recommender | HR@{k} | NDCG@{k} | NDCG vs popularity |",
        "|---|---:|---:|---:|",
    ]
    for name, scores in results.items():
        ndcg = scores[f"ndcg@{k}"]
        ratio = f"{ndcg / baseline:.3f}x" if baseline else "-"
        served = " (served)" if name == figures["served"] else ""
        lines.append(
            f"| {name}{served} | {scores[f'hr@{k}']:.4f} | {ndcg:.4f} | {ratio} |"
        )
    return "\n".join(lines)
