# The per-person training summary behind the coordinators' dashboard, filled from the existing rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def summary_rebuild(apps, schema_editor):
    """Fill the new tables from lesson progress, restarts, certificates and users (coverage.summary)."""
    from coverage.summary import coverage_summary_rebuild

    coverage_summary_rebuild(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('certificates', '0002_cpr_validators'),
        ('courses', '0004_cpr_validators'),
        ('coverage', '0001_initial'),
        ('learning', '0003_security_auditevent_cpr'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StaffMember',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='coverage_staff', serialize=False, to=settings.AUTH_USER_MODEL, verbose_name='bruger')),
                ('job_role', models.CharField(blank=True, choices=[('teacher', 'Lærer'), ('pedagogue', 'Pædagog'), ('social_worker', 'Socialrådgiver'), ('jobcentre', 'Jobcentermedarbejder'), ('club_worker', 'Klub- og fritidsmedarbejder'), ('health', 'Sundhedsplejerske'), ('ssp_consultant', 'SSP-konsulent'), ('leader', 'Leder'), ('other', 'Anden')], editable=False, max_length=30, verbose_name='stillingsfunktion')),
                ('is_active_learner', models.BooleanField(db_default=False, help_text='Aktiv konto med rollen Medarbejder.', verbose_name='aktiv medarbejder')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='learning.department', verbose_name='afdeling')),
                ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.municipality', verbose_name='kommune')),
            ],
            options={
                'verbose_name': 'medarbejder (dækning)',
                'verbose_name_plural': 'medarbejdere (dækning)',
            },
        ),
        migrations.CreateModel(
            name='StaffTrainingStatus',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lessons_opened', models.PositiveIntegerField(db_default=0, verbose_name='lektioner åbnet')),
                ('first_opened_at', models.DateTimeField(blank=True, null=True, verbose_name='første lektion åbnet')),
                ('last_opened_at', models.DateTimeField(blank=True, null=True, verbose_name='seneste lektion åbnet')),
                ('last_activity_at', models.DateTimeField(blank=True, null=True, verbose_name='seneste aktivitet')),
                ('restarted_at', models.DateTimeField(blank=True, null=True, verbose_name='senest startet forfra')),
                ('certificates_held', models.PositiveIntegerField(db_default=0, verbose_name='beviser (ikke tilbagekaldte)')),
                ('first_certified_at', models.DateTimeField(blank=True, null=True, verbose_name='første bevis udstedt')),
                ('last_certified_at', models.DateTimeField(blank=True, null=True, verbose_name='seneste bevis udstedt')),
                ('valid_until', models.DateTimeField(blank=True, null=True, verbose_name='gyldigt til')),
                ('course', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='courses.coursepage', verbose_name='kursus')),
                ('municipality', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.municipality', verbose_name='kommune')),
                ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='coverage_training', to=settings.AUTH_USER_MODEL, verbose_name='bruger')),
            ],
            options={
                'verbose_name': 'uddannelsesstatus',
                'verbose_name_plural': 'uddannelsesstatus',
            },
        ),
        migrations.AddIndex(
            model_name='staffmember',
            index=models.Index(condition=models.Q(('is_active_learner', True)), fields=['municipality', 'department', 'job_role'], name='coverage_staff_audience_idx'),
        ),
        migrations.AddIndex(
            model_name='stafftrainingstatus',
            index=models.Index(fields=['municipality', 'course'], name='coverage_training_muni_idx'),
        ),
        migrations.AddConstraint(
            model_name='stafftrainingstatus',
            constraint=models.UniqueConstraint(fields=('user', 'course'), name='coverage_training_once_per_user_course'),
        ),
        migrations.RunPython(summary_rebuild, migrations.RunPython.noop, elidable=True),
    ]
