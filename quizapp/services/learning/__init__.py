"""Learning: what a learner does. Lessons and their pages' data, practice (answering, hints, solutions), the
one presenter for a question, the way through a lesson, progress, the course catalogue, and spaced review
(the queue, its cards, the FSRS schedule, review progress)."""
