"""Article history: reversion's history, compare and restore views fitted to articles."""
