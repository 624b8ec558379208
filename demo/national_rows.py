"""The national demo's rows: the half-days, cases, IQAs, answers, feedback, acknowledgements, dip samples and
re-marks the loader (demo/national.py) streams with COPY, drawn by the shape in demo/national_shape.py."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.models import (
    Activity,
    AnswerValue,
    CaseStatus,
    Court,
    SensitiveCategory,
    State,
)
from assessments.rules import feedback_due_after
from demo.national_shape import (
    ACKNOWLEDGED_SHARE,
    ACKNOWLEDGEMENT_RESPONSE_SHARE,
    DEFAULT_FULLY_MET,
    DEFAULT_NOT_APPLICABLE,
    DIP_SAMPLE_SHARE_FIRST_YEAR,
    DIP_SAMPLE_SHARE_LAST_YEAR,
    DISCLOSURE_SHARE,
    FEEDBACK_DELAY_WEIGHTS,
    FEEDBACK_MODES,
    FEEDBACK_SHARE,
    FULLY_MET,
    HATE_CRIME,
    IQAS_PER_HALF_DAY_WEIGHTS,
    MONTH_CUMULATIVE,
    NOT_APPLICABLE,
    NOT_MET_OTHER_SHARE,
    OFFICE_ACTIVITY_WEIGHTS,
    OTHER_REASON_SHARE,
    OUTCOME_WEIGHTS,
    RECORDING_DELAY_WEIGHTS,
    REMARKED_SHARE,
    STAGE_BY_ACTIVITY,
    THIRD_CUMULATIVE,
    Place,
    draw_weighted,
)
from organisation.models import RoleType, UnitType
from qa_platform.periods import business_year_of, quarter_of
from qa_platform.working_days import add_working_days, is_working_day, next_working_day


class RowMaker:
    """The loader's row builders (mixed into demo.national._Loader, which holds the cursor, ids and random streams)."""

    def _work_date(self, start: date, end: date) -> date | None:
        """A working day in start..end, bunched towards the end of the month and the quarter (annex C)."""
        rng = self.rng
        for _ in range(6):
            day = start + timedelta(days=rng.randrange((end - start).days + 1))
            quarter_start = quarter_of(day).start  # a quarter never spans calendar years: Jan–Mar is Q4
            month_number = quarter_start.month + rng.choices(range(3), cum_weights=MONTH_CUMULATIVE)[0]
            year = quarter_start.year
            third = rng.choices(range(3), cum_weights=THIRD_CUMULATIVE)[0]
            first, last = (1, 10) if third == 0 else (11, 20) if third == 1 else (21, 28)
            candidate = date(year, month_number, rng.randint(first, last))
            if start <= candidate <= end and is_working_day(candidate):
                return candidate
        return None

    def _recorded(self, work_date: date, delay: int):
        key = (work_date, delay)
        if key not in self._recorded_on:
            recorded_on = work_date if delay == 0 else add_working_days(work_date, delay)
            recorded_on = min(recorded_on, self.today)
            self._recorded_on[key] = (recorded_on, recorded_on <= next_working_day(work_date))
        return self._recorded_on[key]

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        key = (day, hour, minute)
        if key not in self._aware:
            self._aware[key] = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return self._aware[key]

    @staticmethod
    def _assessor(place: Place, person_id: int) -> int | None:
        """The team's DCP assesses; the unit's Senior DCP assesses the DCP (nobody assesses themselves)."""
        for candidate in (place.assessor_id, place.dip_sampler_id):
            if candidate not in (None, person_id):
                return candidate
        return None

    def _half_day(self, rows, person_id, role_type, place: Place, start, end):
        rng = self.rng
        work_date = self._work_date(start, end)
        if work_date is None:
            return
        assessor_id = self._assessor(place, person_id)
        # Advocates are assessed in court; everyone else on office-based work.
        court = role_type == RoleType.ADVOCACY
        activity = Activity.CASE_PRESENTATION if court else draw_weighted(rng, OFFICE_ACTIVITY_WEIGHTS)
        delay = draw_weighted(rng, RECORDING_DELAY_WEIGHTS)
        recorded_on, on_time = self._recorded(work_date, delay)
        recorded_at = self._at(recorded_on, rng.randint(9, 17), rng.choice((0, 15, 30, 45)))
        # One half-day per assessor, person, activity and date of the work (the unique constraint): a second draw of
        # the same adds its IQAs to the first.
        key = (assessor_id, person_id, activity, work_date)
        half_day_id = self.half_days.get(key)
        if half_day_id is None:
            half_day_id = self.half_days[key] = self.ids.take("assessments_halfday")
            rows["assessments_halfday"].append((half_day_id, *key, recorded_at))
        count = draw_weighted(rng, IQAS_PER_HALF_DAY_WEIGHTS)
        for _ in range(count):
            self._iqa(rows, person_id, place, activity, work_date, half_day_id, assessor_id, recorded_at, on_time)

    def _case(self, rows, place: Place, activity, work_date, assessor_id, recorded_at) -> tuple:
        """A new case; returns its id and, as the IQA keeps them, its status, stage, court and sensitive categories."""
        rng = self.rng
        case_id = self.ids.take("assessments_case")
        year = work_date.year % 100
        self.urn_serial[(place.area_id, year)] += 1
        urn = f"{place.area_number:02d}{self.urn_mark}{self.urn_serial[(place.area_id, year)]:05d}{year:02d}"
        if place.unit_type == UnitType.RASSO:
            sensitive = [
                rng.choice([SensitiveCategory.RAPE, SensitiveCategory.RAPE, SensitiveCategory.OTHER_SERIOUS_SEXUAL])
            ]
        else:
            draw = rng.random()
            sensitive = (
                [SensitiveCategory.DOMESTIC_ABUSE] if draw < 0.18 else [rng.choice(HATE_CRIME)] if draw < 0.22 else []
            )
        court = (
            Court.MAGISTRATES
            if place.unit_type == UnitType.MAGISTRATES_COURTS
            or (place.unit_type == UnitType.OTHER and rng.random() < 0.7)
            else Court.CROWN
        )
        status = CaseStatus.FINALISED if rng.random() < 0.1 else CaseStatus.LIVE
        stage = rng.choice(STAGE_BY_ACTIVITY[activity])
        rows["assessments_case"].append(
            (case_id, urn, place.area_id, place.unit_id, court, sensitive, [], status, stage, assessor_id, recorded_at)
        )
        return case_id, status, stage, court, sensitive

    def _iqa(self, rows, person_id, place, activity, work_date, half_day_id, assessor_id, recorded_at, on_time):
        rng = self.rng
        case_id, *case_as_assessed = self._case(rows, place, activity, work_date, assessor_id, recorded_at)
        iqa_id = self.ids.take("assessments_assessment")
        question_set_id, questions = self.sets[activity]
        disclosure_set_id = None
        if activity == Activity.CASE_PROGRESSION and "disclosure" in self.sets and rng.random() < DISCLOSURE_SHARE:
            disclosure_set_id, disclosure = self.sets["disclosure"]
            questions = questions + disclosure
        age = (self.today - work_date).days
        action = rng.random() < 0.12
        action_taken_on = add_working_days(work_date, rng.randint(3, 20)) if action and age > 30 else None
        closed = age > 45 and (not action or action_taken_on is not None) and rng.random() < 0.8
        state = State.CLOSED if closed else State.ACTION_TAKEN if action_taken_on else State.RECORDED
        closed_at = self._at(work_date + timedelta(days=rng.randint(10, 40)), 12) if closed else None
        rows["assessments_assessment"].append(
            (
                iqa_id,
                assessor_id,
                person_id,
                place.team_id,
                activity,
                question_set_id,
                disclosure_set_id,
                case_id,
                *case_as_assessed,  # status, stage, court, sensitive categories
                half_day_id,
                work_date,
                recorded_at,
                on_time,
                feedback_due_after(timezone.localdate(recorded_at)),
                True if activity == Activity.ADVICE else None,
                action,
                "Discuss the case strategy and record it on the file." if action else "",
                "",
                state,
                action_taken_on,
                "Discussed and recorded." if action_taken_on else "",
                closed_at,
                1,
                recorded_at,
            )
        )
        answers = self._answers(rows, iqa_id, questions, assessor_id, work_date)
        given_on = None
        if rng.random() < FEEDBACK_SHARE:
            delay = draw_weighted(rng, dict(enumerate(FEEDBACK_DELAY_WEIGHTS)))
            given_on = add_working_days(recorded_at.date(), delay) if delay else recorded_at.date()
            if given_on < self.today:
                rows["assessments_feedback"].append(
                    (
                        self.ids.take("assessments_feedback"),
                        iqa_id,
                        given_on,
                        rng.choice(FEEDBACK_MODES),
                        "Clear, well-reasoned work.",
                        "See the comments on the answers not fully met."
                        if any(a != "fully_met" for _, a in answers)
                        else "",
                        assessor_id,
                        self._at(given_on, 17),
                    )
                )
        self._acknowledgement(rows, iqa_id, recorded_at, given_on)
        self._dip_sample(rows, iqa_id, place, work_date, recorded_at, answers, assessor_id)

    def _answers(self, rows, iqa_id, questions, assessor_id, work_date):
        rng = self.rng
        # Fully met rates drift up a little over the years, and generous assessors add to them.
        drift = 0.01 * (business_year_of(work_date) - business_year_of(self.first_day))
        lenient = self.leniency[assessor_id]
        answers = []
        for question_id, code, reason_ids, other_reason_id in questions:
            if rng.random() < NOT_APPLICABLE.get(code, DEFAULT_NOT_APPLICABLE):
                value, comment = AnswerValue.NOT_APPLICABLE, ""
            elif rng.random() < min(0.99, FULLY_MET.get(code, DEFAULT_FULLY_MET) + drift + lenient):
                value, comment = AnswerValue.FULLY_MET, ""
            elif rng.random() < NOT_MET_OTHER_SHARE:
                value, comment = AnswerValue.NOT_MET_OTHER, "The police supplied the file late despite chasing."
            else:
                value, comment = AnswerValue.NOT_MET, "Not to the standard; discussed at feedback."
            reason_id = None
            if value == AnswerValue.NOT_MET and (reason_ids or other_reason_id):
                # Rule 1: a reason and a comment; the "other" reason is explained in the comment.
                use_other = other_reason_id and (not reason_ids or rng.random() < OTHER_REASON_SHARE)
                reason_id = other_reason_id if use_other else rng.choice(reason_ids)
                comment = (
                    "Other: the plan was not shared with the officer." if use_other else self.reason_text[reason_id]
                )
            answer_id = self.ids.take("assessments_answer")
            rows["assessments_answer"].append((answer_id, iqa_id, question_id, value, comment))
            if reason_id is not None:
                rows["assessments_answerreason"].append(
                    (self.ids.take("assessments_answerreason"), answer_id, reason_id)
                )
            answers.append((question_id, value))
        return answers

    def _acknowledgement(self, rows, iqa_id, recorded_at, given_on):
        """Most IQAs more than two weeks old are acknowledged by the assessed person, a few days after the feedback
        (or the recording); the newest are still waiting on their home page."""
        rng = self.acknowledgement_rng
        seen_on = max(recorded_at.date(), given_on or recorded_at.date()) + timedelta(days=rng.randint(1, 5))
        if seen_on >= self.today - timedelta(days=14) or rng.random() >= ACKNOWLEDGED_SHARE:
            return
        response = (
            "Thank you: agreed, and I have noted the points for next time."
            if (rng.random() < ACKNOWLEDGEMENT_RESPONSE_SHARE)
            else ""
        )
        rows["assessments_acknowledgement"].append(
            (self.ids.take("assessments_acknowledgement"), iqa_id, self._at(seen_on, 10, 30), response)
        )

    def _dip_sample(self, rows, iqa_id, place, work_date, recorded_at, answers, assessor_id):
        rng = self.rng
        span = max(1, (self.last_day - self.first_day).days)
        share = DIP_SAMPLE_SHARE_FIRST_YEAR + (DIP_SAMPLE_SHARE_LAST_YEAR - DIP_SAMPLE_SHARE_FIRST_YEAR) * (
            (work_date - self.first_day).days / span
        )
        if place.dip_sampler_id is None or place.dip_sampler_id == assessor_id or rng.random() >= share:
            return
        dip_sample_id = self.ids.take("dipsampling_dipsample")
        sampled_on = recorded_at.date() + timedelta(days=rng.randint(5, 40))
        created_at = self._at(recorded_at.date() + timedelta(days=rng.randint(1, 4)), 9)
        if sampled_on >= self.today:  # selected, not yet done
            rows["dipsampling_dipsample"].append(
                (dip_sample_id, iqa_id, place.dip_sampler_id, None, None, "", "", "", None, created_at)
            )
            return
        outcome = draw_weighted(rng, OUTCOME_WEIGHTS)
        rows["dipsampling_dipsample"].append(
            (
                dip_sample_id,
                iqa_id,
                place.dip_sampler_id,
                None,
                sampled_on,
                "The answers and comments reflect the file; feedback was apt.",
                "Sound casework overall.",
                outcome,
                self._at(sampled_on, 15),
                created_at,
            )
        )
        if rng.random() >= REMARKED_SHARE:
            return
        lenient = self.leniency[assessor_id]
        for question_id, value in answers:
            draw = rng.random()
            if value == AnswerValue.FULLY_MET:
                # Annex B: too lenient far more often than too robust; generous markers more so.
                remark = (
                    AnswerValue.NOT_MET
                    if draw < 0.10 + 2 * lenient
                    else AnswerValue.NOT_APPLICABLE
                    if draw > 0.98
                    else value
                )
            elif value == AnswerValue.NOT_APPLICABLE:
                remark = AnswerValue.FULLY_MET if draw < 0.3 else value
            else:
                remark = AnswerValue.FULLY_MET if draw < 0.12 else value
            rows["dipsampling_remark"].append(
                (self.ids.take("dipsampling_remark"), dip_sample_id, question_id, value, remark, "")
            )
