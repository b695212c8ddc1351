"""The yearly immigrant survey of a programme (seed 002: "Årligen enkät för invandrare").

Questions are written in every language the survey offers: Finnish, Swedish, English and the
client languages the municipalities choose. People answer without an account through a link of
their own, once. An answer is not tied to its link: the link only records that it was used, so
nobody can tell who answered what. Results are shown only for groups of at least 5 answers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Programme

__all__ = ["Answer", "Invitation", "Question", "Response", "Survey"]

RIGHT_TO_LEFT = frozenset({"ar", "fa", "prs", "ckb", "ur", "he", "ps"})


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    year = models.PositiveSmallIntegerField(_("year"))
    languages = models.CharField(
        _("languages"), max_length=200, help_text=_("Language codes, comma-separated.")
    )
    # Per language: {"fi": {"title": ..., "intro": ..., "submit": ..., "thanks": ...}, ...}
    texts = models.JSONField(_("texts"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["programme", "-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="survey_once_a_year")]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def text(self, language: str, key: str) -> str:
        return self.texts.get(language, {}).get(key, "")


class Question(models.Model):
    """A question answered by choosing one option, or in free text. An option may carry a value
    (a scale's 1–5, or 100 for yes and 0 for no), which indicators average."""

    class Kind(models.TextChoices):
        CHOICE = "choice", _("Choose one")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # {"fi": "Kysymys?", "ar": "..."}
    texts = models.JSONField(_("question"), default=dict)
    # [{"value": 5, "texts": {"fi": "Erittäin hyvin", ...}}, ...]
    options = models.JSONField(_("options"), default=list, blank=True)
    groups_results = models.BooleanField(
        _("groups the results"),
        default=False,
        help_text=_(
            "A background question (e.g. age group): the results of the others are shown by its answers too."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position"]

    def __str__(self) -> str:
        return next(iter(self.texts.values()), "")

    def text(self, language: str) -> str:
        return self.texts.get(language, "")


class Invitation(models.Model):
    """A link for one person; used once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Whether it was used, not when: a time could be matched with the order of the answers.
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Response(models.Model):
    """One person's answers, with the language they answered in and nothing that tells who: a
    random id, not a running number, and no time, so the order of answering is not kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    language = models.CharField(max_length=3)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.PositiveSmallIntegerField(null=True, blank=True)  # the option's index
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option if self.option is not None else self.text[:20]}"
