from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark references and data generator; installed only when BENCH_REFERENCES=1 (`make bench`)."""

    name = "bench"
    verbose_name = "Benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
