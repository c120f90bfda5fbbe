"""Factories shared by every test module."""

import factory
from factory.django import DjangoModelFactory

from learning.models import Department, JobRole, Municipality, User

TEST_PASSWORD = "Korrekt-Hest-Batteri-9"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kommune{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.capitalize()} Kommune")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    kind = Department.Kind.SCHOOL


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@forebyg.example")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    municipality = factory.SubFactory(MunicipalityFactory)
    department = factory.LazyAttribute(lambda o: DepartmentFactory(municipality=o.municipality))
    job_role = JobRole.TEACHER
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        from learning.mfa import user_mfa_provision
        from learning.roles import ROLES_REQUIRING_MFA
        from learning.services import user_mark_email_verified, user_set_roles

        roles = set(extracted or ())
        user_set_roles(user=self, roles=roles)
        user_mark_email_verified(user=self)
        # Privileged roles must have a second factor; give them one like a real enrolled user.
        if roles & ROLES_REQUIRING_MFA:
            user_mfa_provision(user=self)
