"""The reporting facts: answers, reasons and IQAs counted by the keys the figures read, kept by triggers.

The triggers' SQL comes from reporting.fact_sql as it was then (frozen in _fact_sql_0005); the facts are filled from the raw
rows as they are at the end of the migration.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from . import _fact_sql_0005 as fact_sql  # frozen: as it ran (no app code)

# The facts this migration creates: its triggers keep these only (later migrations add others).
FACTS = ("reporting_answerfact", "reporting_reasonfact", "reporting_iqafact")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_assessment_case_as_assessed_half_day_unique'),
        ('dipsampling', '0001_initial'),
        ('organisation', '0001_initial'),
        ('reporting', '0002_performancemeasure_performancemeasureevent_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnswerFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The month of the work: its first day.')),
                ('activity', models.CharField(choices=[('advice', 'Advice'), ('charging_review', 'Charging and review'), ('case_progression', 'Case progression'), ('case_presentation', 'Case presentation')], max_length=30)),
                ('case_court', models.CharField(max_length=20, verbose_name='court when assessed')),
                ('n', models.IntegerField(verbose_name='count')),
                ('value', models.CharField(choices=[('fully_met', 'Fully met'), ('not_met', 'Not met'), ('not_met_other', 'Not met – other'), ('not_applicable', 'Not applicable')], max_length=20)),
                ('assessor', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('question', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.question')),
                ('team', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisation.team')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('n', 0)), fields=['id'], name='answer_fact_zero')],
                'constraints': [models.UniqueConstraint(fields=('month', 'team', 'assessor', 'activity', 'case_court', 'question', 'value'), name='answer_fact_key')],
            },
        ),
        migrations.CreateModel(
            name='IqaFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The month of the work: its first day.')),
                ('activity', models.CharField(choices=[('advice', 'Advice'), ('charging_review', 'Charging and review'), ('case_progression', 'Case progression'), ('case_presentation', 'Case presentation')], max_length=30)),
                ('case_court', models.CharField(max_length=20, verbose_name='court when assessed')),
                ('n', models.IntegerField(verbose_name='count')),
                ('case_status', models.CharField(max_length=20, verbose_name='case status when assessed')),
                ('recorded_on_time', models.BooleanField()),
                ('action_required', models.BooleanField()),
                ('dip_sampled', models.BooleanField(help_text='A dip sample of the IQA is recorded.')),
                ('feedback_given', models.BooleanField()),
                ('feedback_in_time', models.BooleanField(help_text='Given within five working days of the day it was recorded.')),
                ('pending_recorded_on', models.DateField(help_text='No feedback yet: the day (London) it was recorded.', null=True)),
                ('work_third', models.PositiveSmallIntegerField(help_text='Third of the month of the work: 1 (days 1–10), 2, 3.')),
                ('recorded_month', models.DateField(help_text='The month (London) it was recorded: its first day.')),
                ('recorded_third', models.PositiveSmallIntegerField(help_text='Third of the month it was recorded: 1, 2 or 3.')),
                ('assessor', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisation.team')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('n', 0)), fields=['id'], name='iqa_fact_zero'), models.Index(fields=['recorded_month'], name='iqa_fact_recorded_month')],
                'constraints': [models.UniqueConstraint(fields=('month', 'team', 'assessor', 'activity', 'case_court', 'case_status', 'recorded_on_time', 'action_required', 'dip_sampled', 'feedback_given', 'feedback_in_time', 'pending_recorded_on', 'work_third', 'recorded_month', 'recorded_third'), name='iqa_fact_key', nulls_distinct=False)],
            },
        ),
        migrations.CreateModel(
            name='ReasonFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The month of the work: its first day.')),
                ('activity', models.CharField(choices=[('advice', 'Advice'), ('charging_review', 'Charging and review'), ('case_progression', 'Case progression'), ('case_presentation', 'Case presentation')], max_length=30)),
                ('case_court', models.CharField(max_length=20, verbose_name='court when assessed')),
                ('n', models.IntegerField(verbose_name='count')),
                ('assessor', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reason', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.reason')),
                ('team', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisation.team')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('n', 0)), fields=['id'], name='reason_fact_zero')],
                'constraints': [models.UniqueConstraint(fields=('month', 'team', 'assessor', 'activity', 'case_court', 'reason'), name='reason_fact_key')],
            },
        ),
        migrations.RunSQL(
            fact_sql.feedback_in_time_function_sql(timezone.localdate()) + fact_sql.create_triggers_sql(FACTS),
            fact_sql.drop_triggers_sql(FACTS),
        ),
        migrations.RunSQL(fact_sql.rebuild_sql(FACTS), migrations.RunSQL.noop),
    ]
