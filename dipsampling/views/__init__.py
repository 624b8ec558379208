"""Dip sampling pages, one module per screen: the queue and my dip samples (queue), the dip sample form (samples),
selections proposed, confirmed and re-checked (selections), re-mark tables, rates and accreditations (tables),
consistency exercises (exercises).

Every page needs the dip sampler role (exercises: being in the exercise) and reads through
dipsampling/selectors.py: an IQA or dip sample outside the user's purview, or one they recorded or that is about
their own work, is a 404.
"""
