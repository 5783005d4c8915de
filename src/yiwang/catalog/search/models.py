"""Tables of the catalogue search: the index, the synonyms operators edit, logs and aggregates.

The index (:class:`SearchEntry`) is derived data: it is written only by
:mod:`yiwang.catalog.search.indexing` and can be rebuilt at any time (``yiwang search reindex``).
The full-text part lives beside it in each database's own way, created by the search migration:

- SQLite: the FTS5 table ``catalog_search_fts`` over the three segmented columns (external
  content = this table, kept in step by the indexing code, never by triggers, so that a bulk
  rebuild can fill it in one pass);
- PostgreSQL: the generated column ``document tsvector`` (``'simple'`` configuration over the
  same three columns) with a GIN index.

Neither needs a database extension. Display fields (name, code, organisation, region, badges)
are copied into the row so that a result page is one query without joins.
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """One published service item as the search sees it."""

    item_id = models.BigIntegerField("事项 id", unique=True)
    code = models.CharField("实施编码", max_length=31)
    name = models.CharField("事项名称", max_length=200)
    # normalize(name): the exact-name match compares this with the normalised query.
    name_norm = models.CharField("规范化名称", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    organization_id = models.BigIntegerField("实施机构 id", null=True)
    organization_name = models.CharField("实施机构", max_length=100, blank=True)
    region_code = models.CharField("实施区划", max_length=12, blank=True)
    region_name = models.CharField("区划名称", max_length=100, blank=True)
    # 0 province … 4 village, -1 national/none: "the user's region first, then its parents".
    region_depth = models.SmallIntegerField("区划层级", default=-1)
    # Space-delimited codes (" person enterprise ", " T01 T05 "): filters applied to the rows a
    # full-text match already selected, where a LIKE on a short string costs nothing.
    audiences = models.CharField("服务对象", max_length=64, blank=True)
    themes = models.CharField("服务主题", max_length=400, blank=True)
    # Segmented text: tokens between single spaces, with a leading and a trailing space.
    name_tokens = models.TextField("名称分词", blank=True)
    alias_tokens = models.TextField("别名分词", blank=True)
    text_tokens = models.TextField("材料条件分词", blank=True)
    # Filter tokens (r<region code>/rnational, a<audience>, t<theme code>, o<organisation id>),
    # indexed with the text so that a filter narrows the full-text match inside the index
    # (FTS5 column filter; tsvector weight D) instead of checking each matching row.
    facet_tokens = models.TextField("筛选标记", blank=True)
    name_pinyin = models.CharField("名称全拼", max_length=600, blank=True)
    name_initials = models.CharField("名称首字母", max_length=200, blank=True)
    badges = models.JSONField("标签", default=dict, blank=True)
    clicks = models.PositiveIntegerField("搜索点击", default=0)
    views = models.PositiveIntegerField("浏览次数", default=0)
    applications = models.PositiveIntegerField("申请次数", default=0)
    # Derived from the counters (search.stats.popularity_score): 0–99, added to the ranking.
    popularity = models.PositiveSmallIntegerField("热度分", default=0)
    # Recent clicks + applications (``yiwang search hot``): the 热门服务 order.
    hot_score = models.PositiveIntegerField("热门分", default=0)
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "搜索索引条目"
        verbose_name_plural = "搜索索引"
        indexes = (
            models.Index(fields=["region_code", "-hot_score"], name="search_region_hot_idx"),
            models.Index(fields=["-hot_score"], name="search_hot_idx"),
            models.Index(fields=["name_norm"], name="search_name_norm_idx"),
            models.Index(fields=["organization_id"], name="search_organization_idx"),
        )

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class SearchTerm(models.Model):
    """The vocabulary for suggestions and the pinyin fallback: item names, aliases and synonym
    words, each once, with its pinyin (``yyzz`` → 营业执照 → the synonyms → 企业设立登记)."""

    class Kind(models.TextChoices):
        NAME = "name", "事项名称"
        ALIAS = "alias", "别名"
        SYNONYM = "synonym", "同义词"

    term = models.CharField("词", max_length=200, unique=True)
    kind = models.CharField("来源", max_length=16, choices=Kind.choices)
    pinyin = models.CharField("全拼", max_length=600)
    initials = models.CharField("首字母", max_length=200)
    weight = models.PositiveIntegerField("权重", default=0)

    class Meta:
        verbose_name = "搜索词表"
        verbose_name_plural = "搜索词表"
        indexes = (
            models.Index(fields=["pinyin"], name="searchterm_pinyin_idx"),
            models.Index(fields=["initials"], name="searchterm_initials_idx"),
        )

    def __str__(self) -> str:
        return self.term


class Synonym(models.Model):
    """A group of words citizens use for the same thing, edited by operators.

    Equivalent groups (营业执照 ~ 企业设立登记 ~ 工商登记) expand each word to the others;
    one-way groups (开饭店 → 食品经营许可) expand only the first word, to the rest, because the
    everyday words must find the item but the item's name must not find everyday chatter.
    """

    terms = models.TextField(
        "词组",
        help_text="用逗号、顿号、空格或换行分隔；单向时第一个词为口语词，其余为它指向的事项用语",
    )
    one_way = models.BooleanField(
        "单向", default=False, help_text="只把第一个词扩展为其余各词（如 开饭店 → 食品经营许可）"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ("id",)

    def __str__(self) -> str:
        return " → ".join(self.words()[:2]) if self.one_way else " ~ ".join(self.words())

    def words(self) -> list[str]:
        from yiwang.catalog.search.synonyms import split_terms

        return split_terms(self.terms)


class SearchLog(models.Model):
    """One search as typed, for hot searches and the 无结果搜索词 list; no user, no IP."""

    query = models.CharField("搜索词", max_length=100)
    normalized = models.CharField("规范化搜索词", max_length=100)
    result_count = models.PositiveIntegerField("结果数")
    region_code = models.CharField("区划", max_length=12, blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "搜索日志"
        verbose_name_plural = "搜索日志"
        ordering = ("-at",)

    def __str__(self) -> str:
        return self.query


class SearchQueryDay(models.Model):
    """Searches per normalised query and day, aggregated from :class:`SearchLog` by
    ``yiwang search hot``: hot searches and the no-result list read these few rows."""

    day = models.DateField("日期")
    normalized = models.CharField("规范化搜索词", max_length=100)
    query = models.CharField("搜索词", max_length=100, help_text="当天最常见的原始写法")
    searches = models.PositiveIntegerField("搜索次数")
    no_result_searches = models.PositiveIntegerField("无结果次数")

    class Meta:
        verbose_name = "每日搜索词统计"
        verbose_name_plural = "每日搜索词统计"
        ordering = ("-day", "-searches")
        constraints = (
            models.UniqueConstraint(fields=["day", "normalized"], name="searchqueryday_unique"),
        )
        indexes = (models.Index(fields=["day", "-searches"], name="searchqueryday_day_idx"),)

    def __str__(self) -> str:
        return f"{self.day} {self.query}"


class NoResultQuery(SearchQueryDay):
    """The admin's 无结果搜索词 list: the same rows, only those that found nothing."""

    class Meta:
        proxy = True
        verbose_name = "无结果搜索词"
        verbose_name_plural = "无结果搜索词"


class SearchClick(models.Model):
    """A click on a search result or a guide opened from a list: the raw log behind 热门服务."""

    item_id = models.BigIntegerField("事项 id")
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "事项点击"
        verbose_name_plural = "事项点击"

    def __str__(self) -> str:
        return f"{self.item_id} {self.at:%Y-%m-%d %H:%M}"


class ItemClickDay(models.Model):
    """Clicks per item and day, aggregated from :class:`SearchClick` by ``yiwang search hot``."""

    day = models.DateField("日期")
    item_id = models.BigIntegerField("事项 id")
    clicks = models.PositiveIntegerField("点击次数")

    class Meta:
        verbose_name = "每日事项点击"
        verbose_name_plural = "每日事项点击"
        constraints = (
            models.UniqueConstraint(fields=["day", "item_id"], name="itemclickday_unique"),
        )

    def __str__(self) -> str:
        return f"{self.day} {self.item_id}"
