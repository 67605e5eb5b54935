"""factory_boy factories for the registry's models. Feature tests build on these."""

import datetime

import factory
from django.contrib.auth import get_user_model

from accountability.models import ObligationRecipient, ObligationSender, Relation, ReportingObligation
from boards.models import Area, Board, Membership, Person, Post, RoleAssignment
from protocols.models import Approval, Clause, Party, Protocol, ProtocolVersion, Section


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo-password")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Borough {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Safeguarding Children Board {n}")
    short_name = "LSCB"
    slug = factory.Sequence(lambda n: f"board-{n}")
    kind = Board.Kind.LSCB

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            self.areas.set(extracted or [AreaFactory()])


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Director of Children's Services {n}")
    short_title = "DCS"
    kind = Post.Kind.DCS


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardFactory)
    post = factory.SubFactory(PostFactory)
    capacity = Membership.Capacity.MEMBER


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Protocol

    title = factory.Sequence(lambda n: f"Working protocol {n}")
    slug = factory.Sequence(lambda n: f"protocol-{n}")
    area = factory.SubFactory(AreaFactory)


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolVersion

    protocol = factory.SubFactory(ProtocolFactory)
    number = 1
    title = factory.LazyAttribute(lambda o: o.protocol.title)
    status = ProtocolVersion.Status.DRAFT


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(VersionFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    heading = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(int)


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    section = factory.SubFactory(SectionFactory)
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    text = "<p>The board will publish an annual report.</p>"
    position = factory.Sequence(int)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    version = factory.SubFactory(VersionFactory)
    board = factory.SubFactory(BoardFactory)
    position = factory.Sequence(int)


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    party = factory.SubFactory(PartyFactory)
    approved_on = datetime.date(2015, 7, 23)
    signatory_name = "A. Chair"
    signatory_post_title = "Chair"


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingObligation
        skip_postgeneration_save = True

    subject = ReportingObligation.Subject.ANNUAL_REPORT
    title = "Annual report"
    frequency = "annual"
    window_start_month = 9
    window_end_month = 11

    @factory.post_generation
    def senders(obligation, create, extracted, **kwargs):
        """A new board sends it unless `senders` names who does (a list; empty for "not stated")."""
        if not create:
            return
        parties = [BoardFactory()] if extracted is None else extracted
        for party in parties:
            ObligationSender.objects.create(
                obligation=obligation,
                board=party if isinstance(party, Board) else None,
                post=None if isinstance(party, Board) else party,
            )


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObligationRecipient

    obligation = factory.SubFactory(ObligationFactory)
    board = factory.SubFactory(BoardFactory)


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    kind = Relation.Kind.HOLDS_TO_ACCOUNT
    subject_board = factory.SubFactory(BoardFactory)
    object_board = factory.SubFactory(BoardFactory)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.BUSINESS_MANAGER
    area = factory.SubFactory(AreaFactory)
