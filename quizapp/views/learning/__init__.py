"""The learner's pages: lessons and questions, their progress, spaced review."""
