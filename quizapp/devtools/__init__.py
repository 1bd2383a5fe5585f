"""Developer tools, apart from the product: synthetic data for benchmarks and demos (``quizapp dev synth``).
Only the CLI, the bench and the tests import this package; product code never does."""
