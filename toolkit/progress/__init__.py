"""The roadmap and the learner's progress on it.

``roadmap`` holds every roadmap item and the exercises that prove it (the single
source of truth); ``note`` reads an Obsidian note's task lines; ``ticker`` ticks the
items whose exercises have passed without touching any other byte; ``plot`` draws
done / total per section.
"""
