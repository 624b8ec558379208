"""The scrutiny pages, one module per screen: the case list, the case page and its 1:1 notes (cases); opening,
correcting, closing and reopening a case (case_changes); recording a milestone's scrutiny, following up its
actions and the MOT selection (milestones); the managers' overview (overview); the closed-case dip sample (closed).

Every page reads through scrutiny.selectors (scoping): a case outside the user's scope is a 404.
"""
